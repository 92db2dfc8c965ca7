package io.streamrec.common.event;

/**
 * One rating event: a user rated an item at an event time. Ids are 64-bit, ratings floats (MovieLens uses 0.5
 * steps, Netflix integers). The record does not police the rating scale: that is dataset configuration, checked
 * by {@link RatingValidator}.
 */
public record Rating(long user, long item, float rating, long timestampMs) {

    @Override
    public String toString() {
        return "Rating{user=" + user + ", item=" + item + ", rating=" + rating + ", ts=" + timestampMs + '}';
    }
}
