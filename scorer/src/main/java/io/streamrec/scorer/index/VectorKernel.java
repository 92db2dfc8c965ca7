package io.streamrec.scorer.index;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD kernel on {@code jdk.incubator.vector} (loaded only when that module is present). Lanes run over items; each
 * accumulator sums all dimensions in a register, so partial scores are stored once per block, not once per dimension.
 * One user: four vectors of items in flight, to hide FMA latency. Several users: every matrix vector loaded is
 * multiplied into each user's accumulator, which turns a memory-bound sweep into a compute-bound one.
 */
final class VectorKernel implements ScoringKernel {

    // A compile-time species (not SPECIES_PREFERRED) so C2 binds every call to Float256Vector and intrinsifies it.
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    private static final int L = S.length();

    @Override
    public void score(float[] cols, int cap, int dim, float[] bias, float biasWeight, int start, int len,
                      float[][] users, int nUsers, float[][] out) {
        int done;
        if (nUsers == 4) {
            done = four(cols, cap, dim, bias, biasWeight, start, len, users, out);
        } else {
            done = 0;
            for (int b = 0; b < nUsers; b++) {
                done = one(cols, cap, dim, bias, biasWeight, start, len, users[b], out[b]);
            }
        }
        // scalar tail: fewer than one vector of items left
        for (int b = 0; b < nUsers; b++) {
            float[] u = users[b];
            for (int i = done; i < len; i++) {
                float c = biasWeight * bias[start + i];
                for (int d = 0, o = start + i; d < dim; d++, o += cap) {
                    c = Math.fma(u[d], cols[o], c);
                }
                out[b][i] = c;
            }
        }
    }

    private static int one(float[] q, int cap, int dim, float[] bias, float w, int start, int len, float[] u, float[] s) {
        int i = 0;
        for (; i + 4 * L <= len; i += 4 * L) {
            int base = start + i;
            FloatVector c0 = FloatVector.fromArray(S, bias, base).mul(w);
            FloatVector c1 = FloatVector.fromArray(S, bias, base + L).mul(w);
            FloatVector c2 = FloatVector.fromArray(S, bias, base + 2 * L).mul(w);
            FloatVector c3 = FloatVector.fromArray(S, bias, base + 3 * L).mul(w);
            for (int d = 0, o = base; d < dim; d++, o += cap) {
                FloatVector a = FloatVector.broadcast(S, u[d]);
                c0 = FloatVector.fromArray(S, q, o).fma(a, c0);
                c1 = FloatVector.fromArray(S, q, o + L).fma(a, c1);
                c2 = FloatVector.fromArray(S, q, o + 2 * L).fma(a, c2);
                c3 = FloatVector.fromArray(S, q, o + 3 * L).fma(a, c3);
            }
            c0.intoArray(s, i);
            c1.intoArray(s, i + L);
            c2.intoArray(s, i + 2 * L);
            c3.intoArray(s, i + 3 * L);
        }
        for (; i + L <= len; i += L) {
            int base = start + i;
            FloatVector c0 = FloatVector.fromArray(S, bias, base).mul(w);
            for (int d = 0, o = base; d < dim; d++, o += cap) {
                c0 = FloatVector.fromArray(S, q, o).fma(FloatVector.broadcast(S, u[d]), c0);
            }
            c0.intoArray(s, i);
        }
        return i;
    }

    private static int four(float[] q, int cap, int dim, float[] bias, float w, int start, int len, float[][] users, float[][] out) {
        float[] u0 = users[0], u1 = users[1], u2 = users[2], u3 = users[3];
        int i = 0;
        for (; i + 2 * L <= len; i += 2 * L) {
            int base = start + i;
            FloatVector b0 = FloatVector.fromArray(S, bias, base).mul(w);
            FloatVector b1 = FloatVector.fromArray(S, bias, base + L).mul(w);
            FloatVector a0 = b0, a1 = b1, c0 = b0, c1 = b1, e0 = b0, e1 = b1, g0 = b0, g1 = b1;
            for (int d = 0, o = base; d < dim; d++, o += cap) {
                FloatVector q0 = FloatVector.fromArray(S, q, o);
                FloatVector q1 = FloatVector.fromArray(S, q, o + L);
                FloatVector x = FloatVector.broadcast(S, u0[d]);
                a0 = q0.fma(x, a0);
                a1 = q1.fma(x, a1);
                x = FloatVector.broadcast(S, u1[d]);
                c0 = q0.fma(x, c0);
                c1 = q1.fma(x, c1);
                x = FloatVector.broadcast(S, u2[d]);
                e0 = q0.fma(x, e0);
                e1 = q1.fma(x, e1);
                x = FloatVector.broadcast(S, u3[d]);
                g0 = q0.fma(x, g0);
                g1 = q1.fma(x, g1);
            }
            a0.intoArray(out[0], i);
            a1.intoArray(out[0], i + L);
            c0.intoArray(out[1], i);
            c1.intoArray(out[1], i + L);
            e0.intoArray(out[2], i);
            e1.intoArray(out[2], i + L);
            g0.intoArray(out[3], i);
            g1.intoArray(out[3], i + L);
        }
        // one vector may remain before the scalar tail
        for (int b = 0; b < 4 && i + L <= len; b++) {
            float[] u = users[b];
            FloatVector c = FloatVector.fromArray(S, bias, start + i).mul(w);
            for (int d = 0, o = start + i; d < dim; d++, o += cap) {
                c = FloatVector.fromArray(S, q, o).fma(FloatVector.broadcast(S, u[d]), c);
            }
            c.intoArray(out[b], i);
        }
        return i + L <= len ? i + L : i;
    }

    @Override
    public int firstAbove(float[] s, int from, int len, float threshold) {
        int i = from;
        // scalar up to a vector boundary is unnecessary: unaligned loads are fine; step a vector at a time
        for (; i + L <= len; i += L) {
            VectorMask<Float> m = FloatVector.fromArray(S, s, i).compare(VectorOperators.GT, threshold);
            if (m.anyTrue()) {
                return i + m.firstTrue();
            }
        }
        for (; i < len; i++) {
            if (s[i] > threshold) {
                return i;
            }
        }
        return len;
    }

    @Override
    public String name() {
        return "simd-" + S.vectorBitSize();
    }

    private final io.streamrec.model.dense.ColumnOps columnOps = io.streamrec.model.dense.ColumnOps.best();

    @Override
    public io.streamrec.model.dense.ColumnOps columnOps() {
        return columnOps;
    }
}
