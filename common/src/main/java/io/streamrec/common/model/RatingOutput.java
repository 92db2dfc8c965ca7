package io.streamrec.common.model;

import io.streamrec.common.event.RatingScale;

/**
 * How a biased-MF model turns its row terms {@code x = b_u + b_i + p_u·q_i} into a predicted rating: either
 * {@code μ + x}, or (sigmoid range, as in fastai's y_range) a scaled sigmoid around μ,
 * {@code lo' + span' · σ(logit((μ − lo') / span') + x)} over the scale widened by 5 % on each side so the extreme
 * ratings stay attainable; then clamped into the scale and into the range of ratings seen so far. One implementation
 * shared by the trainer (which learns with it) and the scorer (which serves with it), so served scores are exactly
 * the trainer's predictions.
 *
 * <p>The trainer publishes what the scorer needs in the vector of the {@code factors} topic's GLOBAL record
 * ({@link #globalVector}, layout in {@link io.streamrec.common.event.FactorRow}); {@link #fromGlobalVector} reads it.
 */
public final class RatingOutput {

    /** Length of the GLOBAL record's vector in layout 1: [scaleMin, scaleMax, sigmoid, clampMin, clampMax]. */
    public static final int GLOBAL_LAYOUT_LENGTH = 5;

    private final float scaleMin;
    private final float scaleMax;
    private final boolean sigmoid;
    private final float squashLo;
    private final float squashSpan;

    public RatingOutput(RatingScale scale, boolean sigmoid) {
        this(scale.min(), scale.max(), sigmoid);
    }

    private RatingOutput(float scaleMin, float scaleMax, boolean sigmoid) {
        this.scaleMin = scaleMin;
        this.scaleMax = scaleMax;
        this.sigmoid = sigmoid;
        // The sigmoid range reaches a little past the scale so the extreme ratings are attainable (fastai's y_range).
        float margin = 0.05f * (scaleMax - scaleMin);
        this.squashLo = scaleMin - margin;
        this.squashSpan = scaleMax - scaleMin + 2 * margin;
    }

    public boolean sigmoid() {
        return sigmoid;
    }

    /** Lower end of the sigmoid's range (a little below the scale, so the extreme ratings are attainable). */
    public float squashLo() {
        return squashLo;
    }

    /** Width of the sigmoid's range. */
    public float squashSpan() {
        return squashSpan;
    }

    public float scaleMin() {
        return scaleMin;
    }

    public float scaleMax() {
        return scaleMax;
    }

    /** r̂ before clamping, from the global mean and the row terms x = b_u + b_i + p·q. */
    public float output(double mean, float x) {
        if (!sigmoid) {
            return (float) mean + x;
        }
        return squashLo + squashSpan * sigmoid(meanLogit(mean) + x);
    }

    /** ∂(½(r̂ − r)²)/∂x. */
    public float lossDerivative(double mean, float x, float rating) {
        if (!sigmoid) {
            return (float) mean + x - rating;
        }
        float s = sigmoid(meanLogit(mean) + x);
        float pred = squashLo + squashSpan * s;
        return (pred - rating) * squashSpan * s * (1f - s);
    }

    /** The logit at which the sigmoid gives μ, so x = 0 predicts the mean. */
    public float meanLogit(double mean) {
        double p = (mean - squashLo) / squashSpan;
        p = Math.min(1 - 1e-6, Math.max(1e-6, p));
        return (float) Math.log(p / (1 - p));
    }

    private static float sigmoid(float z) {
        return (float) (1.0 / (1.0 + Math.exp(-z)));
    }

    /** Lower clamp bound: the scale's minimum, raised to the smallest rating seen once any was. */
    public float clampMin(long count, float minSeen) {
        return count > 0 ? Math.max(scaleMin, minSeen) : scaleMin;
    }

    /** Upper clamp bound: the scale's maximum, lowered to the largest rating seen once any was. */
    public float clampMax(long count, float maxSeen) {
        return count > 0 ? Math.min(scaleMax, maxSeen) : scaleMax;
    }

    public static float clamp(float v, float lo, float hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    /** The trainer's prediction: {@link #output} clamped into the scale and the range seen. */
    public float predict(double mean, float x, long count, float minSeen, float maxSeen) {
        return clamp(output(mean, x), clampMin(count, minSeen), clampMax(count, maxSeen));
    }

    /** The GLOBAL record's vector (layout 1) for the current clamp bounds. */
    public float[] globalVector(long count, float minSeen, float maxSeen) {
        return new float[]{scaleMin, scaleMax, sigmoid ? 1f : 0f, clampMin(count, minSeen), clampMax(count, maxSeen)};
    }

    /**
     * What a reader serves with, decoded from a GLOBAL record: the output transform and the clamp bounds in force when
     * the record was written.
     */
    public record Published(RatingOutput output, float clampMin, float clampMax) {

        /** The served rating for row terms x under global mean μ: exactly the trainer's prediction. */
        public float serve(double mean, float x) {
            return clamp(output.output(mean, x), clampMin, clampMax);
        }
    }

    /**
     * Reads a GLOBAL record's vector. Empty: an older trainer that published no transform (null: the caller serves
     * μ + x unclamped, as before). Layout 1: {@link #GLOBAL_LAYOUT_LENGTH} floats. Anything else is an unknown layout.
     *
     * @throws IllegalArgumentException for an unknown layout or values that cannot be a rating scale
     */
    public static Published fromGlobalVector(float[] v) {
        if (v.length == 0) {
            return null;
        }
        if (v.length != GLOBAL_LAYOUT_LENGTH) {
            throw new IllegalArgumentException("unknown GLOBAL factor layout: " + v.length + " floats (known: 0 or "
                    + GLOBAL_LAYOUT_LENGTH + ")");
        }
        if (v[2] != 0f && v[2] != 1f) {
            throw new IllegalArgumentException("GLOBAL factor layout: sigmoid flag must be 0 or 1, got " + v[2]);
        }
        RatingScale scale = new RatingScale(v[0], v[1], 0f);
        if (!(v[3] <= v[4]) || v[3] < v[0] || v[4] > v[1]) {
            throw new IllegalArgumentException("GLOBAL factor layout: clamp bounds [" + v[3] + ", " + v[4]
                    + "] outside the scale " + scale);
        }
        return new Published(new RatingOutput(v[0], v[1], v[2] == 1f), v[3], v[4]);
    }

    @Override
    public String toString() {
        return "RatingOutput{" + scaleMin + ":" + scaleMax + (sigmoid ? ", sigmoid range" : "") + '}';
    }
}
