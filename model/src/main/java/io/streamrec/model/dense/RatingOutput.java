package io.streamrec.model.dense;

/**
 * Turns a model's row terms x (b_u + b_i + whatever the family adds) into the served rating: μ + x, or with the
 * sigmoid range lo + span·σ(logit(μ) + x), then clamped into the rating scale and the range of ratings seen so far.
 * The same arithmetic as {@code BiasedMf}'s output, in plain Java so trainer and scorer share it. Immutable; build one
 * per batch (μ moves) or per published model version.
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
        // fastai's y_range reaches a little past the scale; 5 % of its width on each side, as BiasedMf does.
        float margin = 0.05f * (scaleMax - scaleMin);
        float lo = scaleMin - margin;
        float span = scaleMax - scaleMin + 2 * margin;
        double p = (mean - lo) / span;
        p = Math.min(1 - 1e-6, Math.max(1e-6, p));
        float logit = (float) Math.log(p / (1 - p));
        float cLo = scaleMin;
        float cHi = scaleMax;
        if (count > 0) {
            cLo = Math.max(cLo, minSeen);
            cHi = Math.min(cHi, maxSeen);
        }
        return new RatingOutput((float) mean, sigmoidRange, lo, span, logit, cLo, cHi);
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
