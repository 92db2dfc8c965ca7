package io.streamrec.scorer.index;

/** A copy of one item's row of the {@link ItemMatrix}: the caller may keep or change it freely. */
public record ItemVector(long item, float bias, float[] vector, long eventTimeMs) {
}
