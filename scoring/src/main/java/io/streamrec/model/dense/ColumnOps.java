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

    /**
     * {@code count} axpys into the same run of y in one pass: {@code y[yo + r] += x[xo + i·xs + r] · a[ao + i·as]} for
     * i = 0, 1, ..., count-1 in that order, so the floats are those of the {@link #axpy} loop over i; a vector form keeps
     * the partial sums in registers instead of storing and reloading y count times.
     */
    default void axpyMany(float[] a, int ao, int as, int count, float[] x, int xo, int xs, float[] y, int yo, int len) {
        for (int i = 0; i < count; i++) {
            axpy(a[ao + i * as], x, xo + i * xs, y, yo, len);
        }
    }

    /** {@code y[yo + r] = u + x[xo + r]} for r &lt; len. */
    default void addScalar(float u, float[] x, int xo, float[] y, int yo, int len) {
        for (int r = 0; r < len; r++) {
            y[yo + r] = u + x[xo + r];
        }
    }

    /** {@code y[yo + r] = max(0, y[yo + r])} for r &lt; len. */
    default void relu(float[] y, int yo, int len) {
        for (int r = 0; r < len; r++) {
            y[yo + r] = Math.max(0f, y[yo + r]);
        }
    }

    /**
     * The SIMD loops ({@link VectorColumnOps}) when this JVM runs with {@code --add-modules jdk.incubator.vector}
     * ({@code io.streamrec.common.config.JvmOptions#SIMD}: every streamrec JVM does), else {@link #SCALAR}; the floats
     * are the same either way, only the time differs (the whole-catalogue DL+ score 8× faster at 62 k items).
     */
    static ColumnOps best() {
        return Best.OPS;
    }

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

    /** Chooses once per JVM: the lookup is reflective, so that without the module nothing links against it. */
    final class Best {
        static final ColumnOps OPS = choose();

        private Best() {
        }

        private static ColumnOps choose() {
            if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
                try {
                    return (ColumnOps) Class.forName("io.streamrec.model.dense.VectorColumnOps").getDeclaredConstructor()
                            .newInstance();
                } catch (ReflectiveOperationException | LinkageError e) {
                    org.slf4j.LoggerFactory.getLogger(ColumnOps.class).warn(
                            "jdk.incubator.vector is present but the SIMD loops failed to load ({}); using scalar ones", e.toString());
                }
            }
            return SCALAR;
        }
    }
}
