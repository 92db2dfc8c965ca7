package io.streamrec.ingest;

/**
 * Ratings in event-time order that can be walked several times (a looping replay starts over) and from any position
 * (a resumed replay skips what it already sent). In memory ({@link RatingColumns}) or merged from sorted runs on disk.
 */
public interface RatingSource extends AutoCloseable {

    long size();

    /** A cursor whose first {@link RatingCursor#advance()} lands on event {@code from} (0-based). */
    RatingCursor cursor(long from);

    /** Deletes temporary files, if any. */
    @Override
    default void close() {
    }
}
