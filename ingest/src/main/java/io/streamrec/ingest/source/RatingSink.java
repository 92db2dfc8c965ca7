package io.streamrec.ingest.source;

/** Receives parsed ratings without an object per event. */
@FunctionalInterface
public interface RatingSink {
    void accept(long user, long item, float rating, long timestampMs);
}
