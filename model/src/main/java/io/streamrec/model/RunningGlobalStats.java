package io.streamrec.model;

import java.util.Objects;

/**
 * The running form of {@link GlobalStats} a model updates rating by rating: the mean μ of every rating learned, how
 * many, and the range seen. One implementation of that arithmetic for every model, so μ means the same everywhere.
 * Single-threaded, like the models that own it.
 */
public final class RunningGlobalStats {

    private double mean;
    private long count;
    private float minSeen = Float.POSITIVE_INFINITY;
    private float maxSeen = Float.NEGATIVE_INFINITY;

    /** Nothing learned yet; μ starts at {@code initialMean} (the middle of the scale). */
    public RunningGlobalStats(double initialMean) {
        this.mean = initialMean;
    }

    /** Folds one rating in (Welford's update: no sum to overflow or lose precision over billions of events). */
    public void add(float rating) {
        count++;
        mean += (rating - mean) / count;
        minSeen = Math.min(minSeen, rating);
        maxSeen = Math.max(maxSeen, rating);
    }

    public double mean() {
        return mean;
    }

    public long count() {
        return count;
    }

    public float minSeen() {
        return minSeen;
    }

    public float maxSeen() {
        return maxSeen;
    }

    public GlobalStats snapshot() {
        return new GlobalStats(mean, count, minSeen, maxSeen);
    }

    public void restore(GlobalStats stats) {
        Objects.requireNonNull(stats, "stats");
        mean = stats.mean();
        count = stats.count();
        minSeen = stats.minRating();
        maxSeen = stats.maxRating();
    }
}
