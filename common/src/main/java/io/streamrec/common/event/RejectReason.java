package io.streamrec.common.event;

/**
 * Why an input record was refused. Shared by ingest (bad dataset lines) and the trainer (bad Kafka records), so
 * rejection counts read the same everywhere and dead-letter records carry a stable code.
 */
public enum RejectReason {
    /** Not our binary format and not JSON: random bytes, another producer's format. */
    GARBAGE,
    /** Our format's version byte, but a version this build does not know. */
    UNKNOWN_VERSION,
    /** A binary record shorter or longer than its version's fixed layout. */
    TRUNCATED,
    /** Looks like JSON but does not parse, or lacks a required field. */
    MALFORMED_JSON,
    /** A text line with the wrong number of fields. */
    WRONG_FIELD_COUNT,
    /** An id that is not a non-negative integer. */
    BAD_ID,
    /** A rating that is not a number, NaN or infinite. */
    BAD_RATING,
    /** A finite rating outside the configured scale. */
    RATING_OUT_OF_SCALE,
    /** A timestamp or date that cannot be parsed, or is negative. */
    BAD_TIMESTAMP,
    /**
     * An event time further ahead of the receiver's clock than {@link EventTimeBound} accepts: a skewed producer
     * clock, or microseconds/nanoseconds sent as milliseconds.
     */
    FUTURE_TIMESTAMP,
    /** A value larger than any valid rating could be. */
    TOO_LARGE,
    /** An empty or null value. */
    EMPTY,
    /**
     * Item or user metadata that parses but cannot be true or would swamp a model: an absurd release year or age,
     * thousands of genres, a title of a megabyte (limits in the hybrid family's {@code FeatureEncoder}).
     */
    BAD_METADATA
}
