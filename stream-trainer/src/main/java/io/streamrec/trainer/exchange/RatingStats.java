package io.streamrec.trainer.exchange;

import io.streamrec.model.GlobalStats;
import io.streamrec.model.MiniBatch;

/**
 * Count, sum and range of a set of ratings: what one subtask tells the others about the ratings behind its item
 * deltas, so every copy of the global mean μ counts every rating once. {@link #NONE} is the empty set
 * (min +∞, max −∞), the identity of {@link #plus}.
 */
public record RatingStats(long count, double sum, float min, float max) {

    public static final RatingStats NONE = new RatingStats(0, 0.0, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY);

    /** These stats plus every rating of {@code batch}. */
    public RatingStats plus(MiniBatch batch) {
        double s = sum;
        float lo = min;
        float hi = max;
        for (int i = 0; i < batch.size(); i++) {
            float r = batch.rating(i);
            s += r;
            lo = Math.min(lo, r);
            hi = Math.max(hi, r);
        }
        return new RatingStats(count + batch.size(), s, lo, hi);
    }

    /** {@code g} with these ratings folded in (a subtask that has learned nothing yet takes the sender's range). */
    public GlobalStats addTo(GlobalStats g) {
        return g.plus(count, sum, min, max);
    }
}
