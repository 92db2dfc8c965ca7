package io.streamrec.gpu;

/**
 * Worst error of one float array against a reference, as |a − ref| / (1 + |ref|): absolute near zero, relative for large
 * values, so one bound serves gradients and weights alike.
 */
public final class Tolerance {

    /**
     * MF kernels: same terms in the same order and no FMA contraction (--fmad=false), so the device reproduces the Java
     * kernel exactly; the bound only absorbs a compiler that reorders anyway.
     */
    public static final double MF = 1e-6;
    /** Dense layer: cuBLAS sums a GEMM's k products in another order than the Java loops (FP32, no TF32). */
    public static final double DENSE = 2e-4;

    private Tolerance() {
    }

    public static double worst(float[] actual, float[] reference, int n) {
        double worst = 0;
        for (int i = 0; i < n; i++) {
            double a = actual[i];
            double r = reference[i];
            double err = Double.isNaN(a) != Double.isNaN(r) ? Double.POSITIVE_INFINITY : Math.abs(a - r) / (1 + Math.abs(r));
            worst = Math.max(worst, err);
        }
        return worst;
    }

    public static CheckResult check(String name, float[] actual, float[] reference, int n, double bound) {
        double w = worst(actual, reference, n);
        return new CheckResult(name, w <= bound, String.format(java.util.Locale.ROOT, "worst error %.3g (bound %.1g) over %d values", w, bound, n));
    }
}
