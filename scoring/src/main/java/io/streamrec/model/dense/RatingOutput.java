package io.streamrec.model.dense;

/**
 * Turns a model's row terms x (b_u + b_i + whatever the family adds) into the served rating: μ + x, or with the
 * sigmoid range lo + span·σ(logit(μ) + x), then clamped into the rating scale and the range of ratings seen so far.
 * A per-batch snapshot of {@link io.streamrec.common.model.RatingOutput} (the arithmetic BiasedMf and the scorer
 * share), with μ and the clamp bounds fixed, for the DL+ forward pass's hot loop. Immutable; build one per batch (μ
 * moves) or per published model version.
 *
 * @param mean         the global mean μ
 * @param sigmoidRange squash instead of adding
 * @param squashLo     lower end of the sigmoid's range (a little below the scale, so extreme ratings are attainable)
 * @param squashSpan   width of the sigmoid's range
 * @param meanLogit    logit of μ's position inside the sigmoid's range (x = 0 predicts μ)
 * @param clampLo      smallest rating served
 * @param clampHi      largest rating served
 */
public record RatingOutput(float mean, boolean sigmoidRange, float squashLo, float squashSpan, float meanLogit,
                           float clampLo, float clampHi) {

    /**
     * @param count    ratings learned so far; when > 0, predictions also stay inside [minSeen, maxSeen]
     * @param scaleMin the rating scale's minimum
     * @param scaleMax the rating scale's maximum
     */
    public static RatingOutput of(double mean, long count, float minSeen, float maxSeen, boolean sigmoidRange,
                                  float scaleMin, float scaleMax) {
        // The margins, logit and clamp bounds come from the one shared implementation (BiasedMf and the scorer use it).
        io.streamrec.common.model.RatingOutput shared = new io.streamrec.common.model.RatingOutput(
                new io.streamrec.common.event.RatingScale(scaleMin, scaleMax, 0f), sigmoidRange);
        return new RatingOutput((float) mean, sigmoidRange, shared.squashLo(), shared.squashSpan(), shared.meanLogit(mean),
                shared.clampMin(count, minSeen), shared.clampMax(count, maxSeen));
    }

    /** The offset the row terms are added to before the output function: μ, or logit(μ) with the sigmoid range. */
    public float offset() {
        return sigmoidRange ? meanLogit : mean;
    }

    /** The prediction before clamping, for row terms x. */
    public float unclamped(float x) {
        if (!sigmoidRange) {
            return mean + x;
        }
        return squashLo + squashSpan * sigmoid(meanLogit + x);
    }

    /** The served rating for row terms x. */
    public float apply(float x) {
        return Math.max(clampLo, Math.min(clampHi, unclamped(x)));
    }

    static float sigmoid(float z) {
        return (float) (1.0 / (1.0 + Math.exp(-z)));
    }
}
