package io.streamrec.common.event;

/** An item and its predicted rating. */
public record ScoredItem(long item, float score) {
}
