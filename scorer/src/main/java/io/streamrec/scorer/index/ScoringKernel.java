package io.streamrec.scorer.index;

/**
 * Scores a block of items for up to {@link #MAX_USERS} users at once:
 * {@code out[b][i] = biasWeight·bias[start+i] + Σ_d users[b][d]·cols[d·cap + start + i]} for i in [0, len).
 * The matrix is dimension-major, so consecutive items of one dimension are contiguous and SIMD lanes run over items.
 */
public interface ScoringKernel {

    /** Users scored per call; the batch path groups users by this many so each loaded matrix vector feeds several FMAs. */
    int MAX_USERS = 4;

    void score(float[] cols, int cap, int dim, float[] bias, float biasWeight, int start, int len,
               float[][] users, int nUsers, float[][] out);

    /**
     * The first index in [from, len) whose score is above {@code threshold} (NaN never is), or len. Most of a block
     * falls below a full heap's threshold, so top-K selection is mostly this scan.
     */
    default int firstAbove(float[] s, int from, int len, float threshold) {
        for (int i = from; i < len; i++) {
            if (s[i] > threshold) {
                return i;
            }
        }
        return len;
    }

    String name();

    /** The item loop DL+'s catalogue scan runs on ({@link io.streamrec.model.dense.DlPlusScorer#scoreAllColumns}). */
    default io.streamrec.model.dense.ColumnOps columnOps() {
        return io.streamrec.model.dense.ColumnOps.SCALAR;
    }

    /**
     * Runs the kernel on a small synthetic block until the JIT has compiled it: Vector API code that C2 has not yet
     * compiled runs on slow fallback paths, so the first requests would otherwise pay for it. Both the one-user and
     * the four-user paths are exercised, so a later batch does not deoptimise the compiled code.
     */
    default void warmUp() {
        int dim = 32;
        int len = 1024;
        float[] cols = new float[dim * len];
        float[] bias = new float[len];
        java.util.Random rnd = new java.util.Random(1);
        for (int i = 0; i < cols.length; i++) {
            cols[i] = (float) rnd.nextGaussian();
        }
        float[][] users = new float[MAX_USERS][dim];
        float[][] out = new float[MAX_USERS][len];
        for (int iter = 0; iter < 3000; iter++) {
            score(cols, len, dim, bias, 1f, 0, len, users, (iter & 1) == 0 ? 1 : MAX_USERS, out);
            firstAbove(out[0], 0, len, 1e30f);
            columnOps().axpy(0.5f, cols, iter & 7, out[0], 0, 256 + (iter & 7));
            columnOps().axpyMany(cols, iter & 7, 32, dim, cols, iter & 7, len, out[1], 0, 256 + (iter & 7));
        }
    }

    /** The plain-Java kernel: the reference the SIMD one is measured against. */
    static ScoringKernel scalar() {
        return new ScalarKernel();
    }

    /** The SIMD kernel when the JVM runs with {@code --add-modules jdk.incubator.vector}, else the scalar one. */
    static ScoringKernel best() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            try {
                return (ScoringKernel) Class.forName("io.streamrec.scorer.index.VectorKernel")
                        .getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                org.slf4j.LoggerFactory.getLogger(ScoringKernel.class)
                        .warn("jdk.incubator.vector is present but the SIMD kernel failed to load ({}); using the scalar kernel", e.toString());
            }
        }
        return new ScalarKernel();
    }
}
