package io.streamrec.scorer.index;

/**
 * Plain-Java fallback. C2 cannot vectorise {@code s[i] += a * q[o + i]} here (it cannot rule out that the two float
 * arrays alias, and JDK 17 emits no runtime alias check), so this kernel goes for instruction-level parallelism
 * instead: four items at a time with independent accumulators, all dimensions summed in registers.
 */
final class ScalarKernel implements ScoringKernel {

    @Override
    public void score(float[] cols, int cap, int dim, float[] bias, float biasWeight, int start, int len,
                      float[][] users, int nUsers, float[][] out) {
        for (int b = 0; b < nUsers; b++) {
            float[] u = users[b];
            float[] s = out[b];
            int i = 0;
            for (; i + 4 <= len; i += 4) {
                int base = start + i;
                float c0 = biasWeight * bias[base], c1 = biasWeight * bias[base + 1];
                float c2 = biasWeight * bias[base + 2], c3 = biasWeight * bias[base + 3];
                for (int d = 0, o = base; d < dim; d++, o += cap) {
                    float a = u[d];
                    c0 += a * cols[o];
                    c1 += a * cols[o + 1];
                    c2 += a * cols[o + 2];
                    c3 += a * cols[o + 3];
                }
                s[i] = c0;
                s[i + 1] = c1;
                s[i + 2] = c2;
                s[i + 3] = c3;
            }
            for (; i < len; i++) {
                float c = biasWeight * bias[start + i];
                for (int d = 0, o = start + i; d < dim; d++, o += cap) {
                    c += u[d] * cols[o];
                }
                s[i] = c;
            }
        }
    }

    @Override
    public String name() {
        return "scalar";
    }
}
