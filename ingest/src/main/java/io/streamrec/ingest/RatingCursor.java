package io.streamrec.ingest;

import io.streamrec.common.event.Rating;

/**
 * Walks ratings one at a time without allocating an object per event: call {@link #advance()}, then read the
 * current event's fields. Replaying 100 M events through {@code Iterator<Rating>} would create 100 M records; this
 * keeps the hot loop garbage-free.
 */
public interface RatingCursor extends AutoCloseable {

    /** Moves to the next event; false when there is none (the field getters are then undefined). */
    boolean advance();

    long user();

    long item();

    float rating();

    long timestampMs();

    /** Zero-based position of the current event in the whole stream (so a replay can report where to resume). */
    long position();

    /** The current event as a record, for code that prefers objects. */
    default Rating current() {
        return new Rating(user(), item(), rating(), timestampMs());
    }

    /** Releases files or buffers; the default holds none. */
    @Override
    default void close() {
    }
}
