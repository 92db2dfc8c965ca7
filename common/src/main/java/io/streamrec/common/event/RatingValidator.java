package io.streamrec.common.event;

import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;

/** Semantic checks every rating must pass after it decoded, whatever its wire format. */
public final class RatingValidator {

    private final RatingScale scale;
    private final EventTimeBound eventTimeBound;
    private final LongSupplier clock;
    private long lastNowMs;

    /** Checks against {@code scale} and the {@linkplain EventTimeBound#DEFAULT default} event-time bound. */
    public RatingValidator(RatingScale scale) {
        this(scale, EventTimeBound.DEFAULT, System::currentTimeMillis);
    }

    /**
     * @param clock the wall clock event times are judged against (epoch ms), injectable so tests need not wait
     */
    public RatingValidator(RatingScale scale, EventTimeBound eventTimeBound, LongSupplier clock) {
        this.scale = Objects.requireNonNull(scale, "scale");
        this.eventTimeBound = Objects.requireNonNull(eventTimeBound, "eventTimeBound");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public EventTimeBound eventTimeBound() {
        return eventTimeBound;
    }

    /** The reading of the clock the last {@link #check} used, so a rejection message quotes the same instant. */
    public long lastCheckedAtMs() {
        return lastNowMs;
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
        lastNowMs = clock.getAsLong();
        if (!eventTimeBound.accepts(r.timestampMs(), lastNowMs)) {
            return Optional.of(RejectReason.FUTURE_TIMESTAMP);
        }
        return Optional.empty();
    }
}
