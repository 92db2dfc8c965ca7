package io.streamrec.model.dense;

/**
 * The one loop of DL+'s column-major catalogue scoring ({@link DlPlusScorer#scoreAllColumns},
 * {@link DlPlusScorer#itemShareColumns}): {@code y[yo + r] += x[xo + r] * a} for r &lt; len, a run over items. The
 * network's arithmetic (which sums, in which order) stays in {@link DlPlusScorer}; a reader with SIMD at hand (the
 * scorer, on {@code jdk.incubator.vector}) supplies a vector form of this loop. Any implementation must round exactly
 * like the scalar one (a multiply, then an add: no fused multiply-add), so scores do not depend on which ran.
 */
public interface ColumnOps {

    void axpy(float a, float[] x, int xo, float[] y, int yo, int len);

    /** Plain Java: the reference, and the default. */
    ColumnOps SCALAR = new ColumnOps() {
        @Override
        public void axpy(float a, float[] x, int xo, float[] y, int yo, int len) {
            for (int r = 0; r < len; r++) {
                y[yo + r] += x[xo + r] * a;
            }
        }

        @Override
        public String toString() {
            return "scalar";
        }
    };
}
