package io.streamrec.common.event;

/**
 * The closed range ratings of a dataset fall in, and the step they come in (0 = continuous). Used to reject
 * out-of-scale input and to squash predictions into the range.
 */
public record RatingScale(float min, float max, float step) {

    public static final RatingScale MOVIELENS_HALF_STARS = new RatingScale(0.5f, 5.0f, 0.5f);
    public static final RatingScale FIVE_STARS = new RatingScale(1.0f, 5.0f, 1.0f);
    /** Accepts any finite rating from 0 to 5; the trainer's default so both MovieLens scales pass. */
    public static final RatingScale ZERO_TO_FIVE = new RatingScale(0.0f, 5.0f, 0.0f);

    public RatingScale {
        if (!Float.isFinite(min) || !Float.isFinite(max) || !(min < max)) {
            throw new IllegalArgumentException("rating scale needs finite min < max, got [" + min + ", " + max + "]");
        }
        if (!Float.isFinite(step) || step < 0 || step > max - min) {
            throw new IllegalArgumentException("rating step must be in [0, max-min], got " + step);
        }
    }

    public boolean contains(float rating) {
        return rating >= min && rating <= max;
    }

    public float clamp(float value) {
        return Math.max(min, Math.min(max, value));
    }

    /** Parses "min:max" or "min:max:step", the form used on the command line. */
    public static RatingScale parse(String text) {
        String[] parts = text.trim().split(":");
        if (parts.length < 2 || parts.length > 3) {
            throw new IllegalArgumentException("rating scale must look like MIN:MAX or MIN:MAX:STEP, got '" + text + "'");
        }
        try {
            float step = parts.length == 3 ? Float.parseFloat(parts[2]) : 0f;
            return new RatingScale(Float.parseFloat(parts[0]), Float.parseFloat(parts[1]), step);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("rating scale must be numeric, got '" + text + "'", e);
        }
    }

    @Override
    public String toString() {
        return min + ":" + max + (step > 0 ? ":" + step : "");
    }
}
