package io.streamrec.scorer.index;

import io.streamrec.model.dense.ColumnOps;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * DL+'s item loop ({@link ColumnOps}) on {@code jdk.incubator.vector}, handed out by {@link VectorKernel} (so it loads
 * only when that module is present). Multiply then add, lane by lane, never a fused multiply-add: the floats are
 * exactly the scalar loop's, so served DL+ scores do not depend on the kernel.
 */
final class VectorColumnOps implements ColumnOps {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    private static final int L = S.length();

    @Override
    public void axpy(float a, float[] x, int xo, float[] y, int yo, int len) {
        FloatVector va = FloatVector.broadcast(S, a);
        int r = 0;
        for (int end = len - 2 * L; r <= end; r += 2 * L) {
            FloatVector.fromArray(S, x, xo + r).mul(va).add(FloatVector.fromArray(S, y, yo + r)).intoArray(y, yo + r);
            FloatVector.fromArray(S, x, xo + r + L).mul(va).add(FloatVector.fromArray(S, y, yo + r + L)).intoArray(y, yo + r + L);
        }
        for (int end = len - L; r <= end; r += L) {
            FloatVector.fromArray(S, x, xo + r).mul(va).add(FloatVector.fromArray(S, y, yo + r)).intoArray(y, yo + r);
        }
        for (; r < len; r++) {
            y[yo + r] += x[xo + r] * a;
        }
    }

    @Override
    public String toString() {
        return "simd-256";
    }
}
