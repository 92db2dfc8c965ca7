package io.streamrec.trainer.exchange;

import java.util.Arrays;
import java.util.Objects;

/**
 * What one trainer subtask changed in its copy of the item table since its previous delta: for each item, the
 * element-wise difference (after − before) of the whole row, optimizer state included. Other subtasks add it to their
 * copies, so with parallelism &gt; 1 every copy converges on the sum of everyone's updates (a parameter server
 * through Kafka, stale by about one checkpoint interval).
 *
 * @param origin   which subtask incarnation made it ({@code runId/attempt/subtask}): a subtask skips its own deltas
 * @param sequence per-origin sequence number, so the origin can tell which of its own deltas came back
 * @param width    floats per row
 * @param items    item ids
 * @param deltas   {@code items.length × width} floats, row-major
 * @param ratingCount how many ratings the origin learned since its previous delta (for the shared global mean)
 * @param ratingSum   their sum
 * @param ratingMin   their smallest rating (+∞ when none)
 * @param ratingMax   their largest rating (−∞ when none)
 */
public record ItemDelta(String origin, long sequence, int width, long[] items, float[] deltas, long ratingCount,
                        double ratingSum, float ratingMin, float ratingMax) implements ExchangeMessage {

    public ItemDelta {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(items, "items");
        Objects.requireNonNull(deltas, "deltas");
        if (width < 1 || (long) items.length * width != deltas.length) {
            throw new IllegalArgumentException("item delta needs " + items.length + " × " + width + " floats, got " + deltas.length);
        }
    }

    /** A delta of {@code items} rows that also carries the origin's {@code ratings} since its previous delta. */
    public static ItemDelta of(String origin, long sequence, int width, long[] items, float[] deltas, RatingStats ratings) {
        return new ItemDelta(origin, sequence, width, items, deltas, ratings.count(), ratings.sum(), ratings.min(), ratings.max());
    }

    /** The ratings this delta reports ({@link RatingStats#NONE}-like when it carries rows only). */
    public RatingStats ratings() {
        return new RatingStats(ratingCount, ratingSum, ratingMin, ratingMax);
    }

    public int size() {
        return items.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ItemDelta d && d.origin.equals(origin) && d.sequence == sequence && d.width == width
                && Arrays.equals(d.items, items) && Arrays.equals(d.deltas, deltas) && d.ratingCount == ratingCount
                && Double.compare(d.ratingSum, ratingSum) == 0
                && Float.compare(d.ratingMin, ratingMin) == 0 && Float.compare(d.ratingMax, ratingMax) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(origin, sequence, width) * 31 + Arrays.hashCode(items);
    }

    @Override
    public String toString() {
        return "ItemDelta{origin=" + origin + ", seq=" + sequence + ", items=" + items.length + '}';
    }
}
