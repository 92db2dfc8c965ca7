package io.streamrec.model;

/**
 * The model's global (not per-row) state: the running mean μ of every rating learned, how many, and the smallest and
 * largest rating seen (predictions are clamped to what the stream has shown, within the configured scale). The
 * trainer checkpoints it in operator state and restores it with {@link OnlineModel#restoreGlobal}.
 */
public record GlobalStats(double mean, long count, float minRating, float maxRating) {

    public GlobalStats {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, got " + count);
        }
        if (!Double.isFinite(mean)) {
            throw new IllegalArgumentException("mean must be finite, got " + mean);
        }
        if (count > 0 && !(minRating <= maxRating)) {
            throw new IllegalArgumentException("minRating must be <= maxRating, got " + minRating + " > " + maxRating);
        }
    }

    /** Nothing learned yet: μ starts at the middle of the scale. */
    public static GlobalStats empty(io.streamrec.common.event.RatingScale scale) {
        return new GlobalStats((scale.min() + scale.max()) / 2.0, 0L, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY);
    }

    /** These stats with {@code n} more ratings of sum {@code sum} and range [min, max] folded in. */
    public GlobalStats plus(long n, double sum, float min, float max) {
        if (n == 0) {
            return this;
        }
        long total = count + n;
        return new GlobalStats((mean * count + sum) / total, total, Math.min(minRating, min), Math.max(maxRating, max));
    }

    /**
     * These stats without {@code n} ratings of sum {@code sum} that were folded in earlier (the range cannot be
     * unwound and is kept). With nothing left, μ stays where it was rather than becoming 0/0.
     */
    public GlobalStats minus(long n, double sum) {
        if (n == 0) {
            return this;
        }
        long left = Math.max(0, count - n);
        return new GlobalStats(left == 0 ? mean : (mean * count - sum) / left, left, minRating, maxRating);
    }
}
