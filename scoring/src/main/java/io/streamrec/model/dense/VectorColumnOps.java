package io.streamrec.model.dense;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * DL+'s item loop ({@link ColumnOps}) on {@code jdk.incubator.vector}, handed out by {@link ColumnOps#best()} (so it
 * loads only when that module is present): the scorer's top-K and the trainer's prequential ranking both run on it. Multiply then add, lane by lane, never a fused multiply-add: the floats are
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
    public void axpyMany(float[] a, int ao, int as, int count, float[] x, int xo, int xs, float[] y, int yo, int len) {
        int r = 0;
        // Four vectors of items in flight: the sums stay in registers over all count terms, stored once.
        for (int end = len - 4 * L; r <= end; r += 4 * L) {
            int o = yo + r;
            FloatVector s0 = FloatVector.fromArray(S, y, o);
            FloatVector s1 = FloatVector.fromArray(S, y, o + L);
            FloatVector s2 = FloatVector.fromArray(S, y, o + 2 * L);
            FloatVector s3 = FloatVector.fromArray(S, y, o + 3 * L);
            for (int i = 0, xi = xo + r, ai = ao; i < count; i++, xi += xs, ai += as) {
                FloatVector va = FloatVector.broadcast(S, a[ai]);
                s0 = FloatVector.fromArray(S, x, xi).mul(va).add(s0);
                s1 = FloatVector.fromArray(S, x, xi + L).mul(va).add(s1);
                s2 = FloatVector.fromArray(S, x, xi + 2 * L).mul(va).add(s2);
                s3 = FloatVector.fromArray(S, x, xi + 3 * L).mul(va).add(s3);
            }
            s0.intoArray(y, o);
            s1.intoArray(y, o + L);
            s2.intoArray(y, o + 2 * L);
            s3.intoArray(y, o + 3 * L);
        }
        for (int end = len - L; r <= end; r += L) {
            FloatVector s0 = FloatVector.fromArray(S, y, yo + r);
            for (int i = 0, xi = xo + r, ai = ao; i < count; i++, xi += xs, ai += as) {
                s0 = FloatVector.fromArray(S, x, xi).mul(FloatVector.broadcast(S, a[ai])).add(s0);
            }
            s0.intoArray(y, yo + r);
        }
        for (; r < len; r++) {
            float acc = y[yo + r];
            for (int i = 0, xi = xo + r, ai = ao; i < count; i++, xi += xs, ai += as) {
                acc += x[xi] * a[ai];
            }
            y[yo + r] = acc;
        }
    }

    @Override
    public void addScalar(float u, float[] x, int xo, float[] y, int yo, int len) {
        FloatVector vu = FloatVector.broadcast(S, u);
        int r = 0;
        for (int end = len - L; r <= end; r += L) {
            vu.add(FloatVector.fromArray(S, x, xo + r)).intoArray(y, yo + r);
        }
        for (; r < len; r++) {
            y[yo + r] = u + x[xo + r];
        }
    }

    @Override
    public void relu(float[] y, int yo, int len) {
        FloatVector zero = FloatVector.zero(S);
        int r = 0;
        for (int end = len - L; r <= end; r += L) {
            FloatVector.fromArray(S, y, yo + r).max(zero).intoArray(y, yo + r);
        }
        for (; r < len; r++) {
            y[yo + r] = Math.max(0f, y[yo + r]);
        }
    }

    @Override
    public String toString() {
        return "simd-256";
    }
}
