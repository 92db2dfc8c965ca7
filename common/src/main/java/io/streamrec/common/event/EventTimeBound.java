package io.streamrec.common.event;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * How far ahead of the wall clock an event time may be before a rating is refused. Event time becomes the time of
 * what the trainer publishes and drives its windows: a producer that sends microseconds (or a skewed clock) must
 * end in the dead-letter queue with a reason, not in the model or in a Kafka timestamp the broker refuses.
 * Times in the past are always accepted: replays of historical datasets are the normal case.
 *
 * @param maxAheadMs the largest accepted lead of an event time over the receiver's wall clock, in milliseconds
 */
public record EventTimeBound(long maxAheadMs) implements Serializable {

    /** Generous for clock skew and time zones mistaken for offsets, finite so microseconds are caught. */
    public static final Duration DEFAULT_MAX_AHEAD = Duration.ofDays(1);
    public static final EventTimeBound DEFAULT = new EventTimeBound(DEFAULT_MAX_AHEAD.toMillis());

    public EventTimeBound {
        if (maxAheadMs < 0) {
            throw new IllegalArgumentException("the accepted lead of event time over the clock must be >= 0, got " + maxAheadMs + " ms");
        }
    }

    public static EventTimeBound ahead(Duration maxAhead) {
        return new EventTimeBound(maxAhead.toMillis());
    }

    /** Whether an event at {@code eventTimeMs} is acceptable to a receiver whose clock reads {@code nowMs}. */
    public boolean accepts(long eventTimeMs, long nowMs) {
        // Written as a difference so a bound near Long.MAX_VALUE cannot overflow.
        return eventTimeMs <= nowMs || eventTimeMs - nowMs <= maxAheadMs;
    }

    /** Why {@code eventTimeMs} was refused, with a guess at the producer's mistake when the size gives it away. */
    public String describe(long eventTimeMs, long nowMs) {
        StringBuilder s = new StringBuilder("event time ").append(eventTimeMs).append(" ms is ")
                .append(humanLead(eventTimeMs - nowMs)).append(" ahead of the clock (accepted: up to ")
                .append(Duration.ofMillis(maxAheadMs)).append(')');
        if (nowMs > 0 && eventTimeMs / 1000 > nowMs / 10 && eventTimeMs / 1000 <= nowMs * 10) {
            s.append("; it reads as ").append(Instant.ofEpochMilli(eventTimeMs / 1000).atOffset(ZoneOffset.UTC).toLocalDate())
                    .append(" in microseconds: send epoch milliseconds");
        } else if (nowMs > 0 && eventTimeMs / 1_000_000 > nowMs / 10 && eventTimeMs / 1_000_000 <= nowMs * 10) {
            s.append("; it reads as ").append(Instant.ofEpochMilli(eventTimeMs / 1_000_000).atOffset(ZoneOffset.UTC).toLocalDate())
                    .append(" in nanoseconds: send epoch milliseconds");
        }
        return s.toString();
    }

    private static String humanLead(long ms) {
        if (ms < 0) {
            return "not";
        }
        double days = ms / 86_400_000.0;
        if (days >= 365 * 2) {
            return String.format(java.util.Locale.ROOT, "%.0f years", days / 365.25);
        }
        if (days >= 2) {
            return String.format(java.util.Locale.ROOT, "%.0f days", days);
        }
        // Rounded: the exact lead depends on when the check ran, the magnitude is what tells the producer's mistake.
        return ms >= 3_600_000 ? Duration.ofMinutes(Math.round(ms / 60_000.0)).toString()
                : Duration.ofSeconds(Math.round(ms / 1000.0)).toString();
    }
}
