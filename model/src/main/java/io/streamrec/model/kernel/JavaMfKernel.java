package io.streamrec.model.kernel;

/** Plain {@code float[]} loops over packed rows: no allocation per batch, JIT-vectorizable inner loops. */
public final class JavaMfKernel implements MfKernel {

    @Override
    public void dots(GatheredBatch g, float[] out) {
        final int w = g.width();
        final int n = g.events();
        final int[] ui = g.userIndex();
        final int[] ii = g.itemIndex();
        final float[] up = g.userParams();
        final float[] ip = g.itemParams();
        for (int e = 0; e < n; e++) {
            int uo = ui[e] * w;
            int io = ii[e] * w;
            float s = 0f;
            for (int j = 1; j < w; j++) {
                s += up[uo + j] * ip[io + j];
            }
            out[e] = s;
        }
    }

    @Override
    public void backward(GatheredBatch g, float[] dLoss, float l2Bias, float l2Factors) {
        final int w = g.width();
        final int n = g.events();
        final int[] ui = g.userIndex();
        final int[] ii = g.itemIndex();
        final float[] up = g.userParams();
        final float[] ip = g.itemParams();
        final float[] ug = g.userGrad();
        final float[] ig = g.itemGrad();
        for (int e = 0; e < n; e++) {
            int uo = ui[e] * w;
            int io = ii[e] * w;
            float d = dLoss[e];
            ug[uo] += d + l2Bias * up[uo];
            ig[io] += d + l2Bias * ip[io];
            for (int j = 1; j < w; j++) {
                float p = up[uo + j];
                float q = ip[io + j];
                ug[uo + j] += d * q + l2Factors * p;
                ig[io + j] += d * p + l2Factors * q;
            }
        }
    }

    @Override
    public KernelKind kind() {
        return KernelKind.JAVA;
    }
}
