package io.streamrec.ingest.synthetic;

import io.streamrec.common.event.RatingScale;

/**
 * Everything that defines a synthetic rating stream; the same config always yields the same stream.
 *
 * @param users       number of users (ids 1..users)
 * @param items       number of items (ids 1..items)
 * @param events      number of rating events
 * @param rank        rank k of the planted factors
 * @param noise       standard deviation of the Gaussian noise added to each rating
 * @param userSkew    Zipf exponent of user activity (0 = uniform; ~1 = a few very active users)
 * @param itemSkew    Zipf exponent of item popularity (0 = uniform; ~1 = long tail like MovieLens)
 * @param seed        random seed
 * @param driftAt     fraction of the stream (0..1, exclusive) at which drift happens; ignored when kind is NONE
 * @param driftKind   what drifts
 * @param driftShare  share of users and/or items affected by the drift (0..1]
 * @param scale       rating scale: true scores are clamped into it and rounded to its step
 * @param globalMean  planted global mean μ
 * @param biasStd     standard deviation of the planted user and item biases
 * @param factorStd   standard deviation of each factor component; p·q then has std ≈ factorStd² √k
 * @param startMs     event time of the first event
 * @param intervalMs  event-time spacing between consecutive events
 */
public record SyntheticConfig(int users, int items, long events, int rank, double noise, double userSkew,
                              double itemSkew, long seed, double driftAt, DriftKind driftKind, double driftShare,
                              RatingScale scale, double globalMean, double biasStd, double factorStd,
                              long startMs, long intervalMs) {

    /** 2020-01-01T00:00:00Z. */
    public static final long DEFAULT_START_MS = 1_577_836_800_000L;

    public SyntheticConfig {
        require(users >= 1, "users must be >= 1, got " + users);
        require(items >= 1, "items must be >= 1, got " + items);
        require(events >= 0, "events must be >= 0, got " + events);
        require(rank >= 1 && rank <= 1024, "rank must be in [1, 1024], got " + rank);
        require((long) users * rank <= Integer.MAX_VALUE - 16 && (long) items * rank <= Integer.MAX_VALUE - 16,
                "users × rank and items × rank must each stay below 2^31 (factors are held in memory)");
        require(Double.isFinite(noise) && noise >= 0, "noise must be a finite number >= 0, got " + noise);
        require(Double.isFinite(userSkew) && userSkew >= 0 && userSkew <= 5, "user skew must be in [0, 5], got " + userSkew);
        require(Double.isFinite(itemSkew) && itemSkew >= 0 && itemSkew <= 5, "item skew must be in [0, 5], got " + itemSkew);
        if (driftKind == null) {
            driftKind = DriftKind.NONE;
        }
        if (driftKind != DriftKind.NONE) {
            require(driftAt > 0 && driftAt < 1, "drift-at must be a fraction in (0, 1), got " + driftAt);
            require(driftShare > 0 && driftShare <= 1, "drift share must be in (0, 1], got " + driftShare);
        }
        require(scale != null, "scale must be set");
        require(Double.isFinite(globalMean), "global mean must be finite");
        require(Double.isFinite(biasStd) && biasStd >= 0, "bias std must be >= 0, got " + biasStd);
        require(Double.isFinite(factorStd) && factorStd >= 0, "factor std must be >= 0, got " + factorStd);
        require(startMs >= 0, "start time must be >= 0, got " + startMs);
        require(intervalMs >= 0, "interval must be >= 0 ms, got " + intervalMs);
        require(events == 0 || startMs + (double) intervalMs * (events - 1) < Long.MAX_VALUE / 2,
                "event times would overflow: lower events or interval");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /**
     * A MovieLens-like default: half-star scale, μ = 3.5, rank 8, noise 0.5, Zipf 0.8 items and 0.6 users, one event
     * per second of event time, no drift.
     */
    public static SyntheticConfig defaults() {
        int rank = 8;
        return new SyntheticConfig(1000, 2000, 100_000, rank, 0.5, 0.6, 0.8, 42L, 0.5, DriftKind.NONE, 0.5,
                RatingScale.MOVIELENS_HALF_STARS, 3.5, 0.4, factorStdFor(0.8, rank), DEFAULT_START_MS, 1000);
    }

    /** The factor std that gives p·q a standard deviation of about {@code interactionStd} at rank k. */
    public static double factorStdFor(double interactionStd, int rank) {
        return Math.sqrt(interactionStd / Math.sqrt(rank));
    }

    /** The event index at which drift takes effect, or -1 when there is none. */
    public long driftEvent() {
        return driftKind == DriftKind.NONE ? -1 : (long) Math.floor(driftAt * events);
    }

    public SyntheticConfig withSize(int users, int items, long events) {
        return new SyntheticConfig(users, items, events, rank, noise, userSkew, itemSkew, seed, driftAt, driftKind,
                driftShare, scale, globalMean, biasStd, factorStd, startMs, intervalMs);
    }

    public SyntheticConfig withSeed(long seed) {
        return new SyntheticConfig(users, items, events, rank, noise, userSkew, itemSkew, seed, driftAt, driftKind,
                driftShare, scale, globalMean, biasStd, factorStd, startMs, intervalMs);
    }

    public SyntheticConfig withDrift(double at, DriftKind kind, double share) {
        return new SyntheticConfig(users, items, events, rank, noise, userSkew, itemSkew, seed, at, kind,
                share, scale, globalMean, biasStd, factorStd, startMs, intervalMs);
    }

    public SyntheticConfig withSkew(double userSkew, double itemSkew) {
        return new SyntheticConfig(users, items, events, rank, noise, userSkew, itemSkew, seed, driftAt, driftKind,
                driftShare, scale, globalMean, biasStd, factorStd, startMs, intervalMs);
    }

    public SyntheticConfig withNoise(double noise) {
        return new SyntheticConfig(users, items, events, rank, noise, userSkew, itemSkew, seed, driftAt, driftKind,
                driftShare, scale, globalMean, biasStd, factorStd, startMs, intervalMs);
    }

    /** Rank changes rescale the factor std so the interaction's spread stays the same. */
    public SyntheticConfig withRank(int rank) {
        double interaction = factorStd * factorStd * Math.sqrt(this.rank);
        return new SyntheticConfig(users, items, events, rank, noise, userSkew, itemSkew, seed, driftAt, driftKind,
                driftShare, scale, globalMean, biasStd, factorStdFor(interaction, rank), startMs, intervalMs);
    }

    public SyntheticConfig withScale(RatingScale scale) {
        return new SyntheticConfig(users, items, events, rank, noise, userSkew, itemSkew, seed, driftAt, driftKind,
                driftShare, scale, globalMean, biasStd, factorStd, startMs, intervalMs);
    }

    public SyntheticConfig withTime(long startMs, long intervalMs) {
        return new SyntheticConfig(users, items, events, rank, noise, userSkew, itemSkew, seed, driftAt, driftKind,
                driftShare, scale, globalMean, biasStd, factorStd, startMs, intervalMs);
    }
}
