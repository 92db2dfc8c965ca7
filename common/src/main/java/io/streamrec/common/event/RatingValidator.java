package io.streamrec.common.event;

import java.util.Optional;

/** Semantic checks every rating must pass after it decoded, whatever its wire format. */
public final class RatingValidator {

    private final RatingScale scale;

    public RatingValidator(RatingScale scale) {
        this.scale = scale;
    }

    public RatingScale scale() {
        return scale;
    }

    /** Returns the reason the rating is unacceptable, or empty when it is fine. */
    public Optional<RejectReason> check(Rating r) {
        if (r.user() < 0 || r.item() < 0) {
            return Optional.of(RejectReason.BAD_ID);
        }
        if (!Float.isFinite(r.rating())) {
            return Optional.of(RejectReason.BAD_RATING);
        }
        if (!scale.contains(r.rating())) {
            return Optional.of(RejectReason.RATING_OUT_OF_SCALE);
        }
        if (r.timestampMs() < 0) {
            return Optional.of(RejectReason.BAD_TIMESTAMP);
        }
        return Optional.empty();
    }
}
