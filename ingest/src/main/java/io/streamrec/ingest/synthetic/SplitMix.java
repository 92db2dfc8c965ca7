package io.streamrec.ingest.synthetic;

/**
 * SplitMix64: a tiny, fast, seedable generator whose output is fixed by its published algorithm, so a synthetic
 * stream is the same on every JDK (java.util generators promise no such thing across versions for Gaussians).
 */
final class SplitMix {

    private long state;
    private double spare;
    private boolean hasSpare;

    SplitMix(long seed) {
        this.state = seed;
    }

    /** A generator for one entity (user, item, ...) of one purpose, independent of the order entities are visited. */
    static SplitMix of(long seed, long purpose, long entity) {
        return new SplitMix(mix(seed ^ mix(purpose * 0x9E3779B97F4A7C15L + entity)));
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    long nextLong() {
        state += 0x9E3779B97F4A7C15L;
        return mix(state);
    }

    /** Uniform in [0, 1). */
    double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Standard normal by the polar method. */
    double nextGaussian() {
        if (hasSpare) {
            hasSpare = false;
            return spare;
        }
        double u;
        double v;
        double s;
        do {
            u = 2 * nextDouble() - 1;
            v = 2 * nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double m = Math.sqrt(-2 * Math.log(s) / s);
        spare = v * m;
        hasSpare = true;
        return u * m;
    }
}
