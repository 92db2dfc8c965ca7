package io.streamrec.gpu;

import io.streamrec.model.kernel.GatheredBatch;

import java.util.SplittableRandom;

/** Reproducible inputs for the parity checks and the benchmark: the same seed gives the same batch on every machine. */
public final class SeededBatches {

    private SeededBatches() {
    }

    /** A gathered batch whose events draw their rows from few distinct ones, so rows are hit many times. */
    public static GatheredBatch gathered(int dim, int events, int users, int items, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        GatheredBatch g = new GatheredBatch(1 + dim);
        g.reset(events, users, items);
        for (int e = 0; e < events; e++) {
            g.userIndex()[e] = skewed(rnd, users);
            g.itemIndex()[e] = skewed(rnd, items);
        }
        fillGaussian(g.userParams(), users * (1 + dim), 0.3f, rnd);
        fillGaussian(g.itemParams(), items * (1 + dim), 0.3f, rnd);
        return g;
    }

    /** Loss derivatives of a plausible size, one per event. */
    public static float[] dLoss(int events, long seed) {
        float[] d = new float[events];
        fillGaussian(d, events, 1f, new SplittableRandom(seed));
        return d;
    }

    public static float[] gaussian(int count, float std, long seed) {
        float[] a = new float[count];
        fillGaussian(a, count, std, new SplittableRandom(seed));
        return a;
    }

    /**
     * Multiples of {@code 1/denominator} in [-range, range]: sums and products of such values are exact in float at the
     * sizes used here, so a GEMM over them has one right answer whatever order cuBLAS sums in (ReLU's kink at 0 then
     * cannot split the two sides).
     */
    public static float[] dyadic(int count, int range, int denominator, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] a = new float[count];
        for (int i = 0; i < count; i++) {
            a[i] = rnd.nextInt(-range, range + 1) / (float) denominator;
        }
        return a;
    }

    /** Row indices with a popularity skew (square of a uniform): a few rows take many events, as on MovieLens. */
    public static int skewed(SplittableRandom rnd, int rows) {
        double u = rnd.nextDouble();
        return Math.min(rows - 1, (int) (u * u * rows));
    }

    private static void fillGaussian(float[] a, int count, float std, SplittableRandom rnd) {
        for (int i = 0; i < count; i++) {
            a[i] = (float) rnd.nextGaussian() * std;
        }
    }
}
