package io.streamrec.trainer.exchange;

import io.streamrec.model.MiniBatch;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * This subtask's item-row changes and ratings not yet published, summed per item, and cut into {@link ItemDelta}
 * messages of at most {@link #MAX_ROWS_PER_DELTA} rows when published.
 */
final class DeltaAccumulator {

    /** Item deltas are split into messages of at most this many rows, keeping each Kafka record well under 1 MB. */
    static final int MAX_ROWS_PER_DELTA = 1024;

    private final HashMap<Long, float[]> rows = new HashMap<>();
    private RatingStats ratings = RatingStats.NONE;

    /** Adds {@code after − before} to item {@code id}'s pending change. */
    void addChange(long id, float[] before, float[] after) {
        float[] acc = rows.get(id);
        if (acc == null) {
            acc = new float[after.length];
            rows.put(id, acc);
        }
        for (int j = 0; j < after.length; j++) {
            acc[j] += after[j] - before[j];
        }
    }

    void addRatings(MiniBatch batch) {
        ratings = ratings.plus(batch);
    }

    /** Items with a pending change. */
    int rowCount() {
        return rows.size();
    }

    boolean isEmpty() {
        return rows.isEmpty() && ratings.count() == 0;
    }

    /**
     * Everything pending as messages of {@code width}-float rows, numbered from {@code firstSequence}, and clears it.
     * At least one message even without rows (ratings alone); the rating stats travel once, with the first message.
     */
    List<ItemDelta> drain(String origin, long firstSequence, int width) {
        List<ItemDelta> out = new java.util.ArrayList<>();
        Iterator<Map.Entry<Long, float[]>> it = rows.entrySet().iterator();
        boolean first = true;
        long sequence = firstSequence;
        while (it.hasNext() || first) {
            int n = Math.min(MAX_ROWS_PER_DELTA, rows.size());
            long[] ids = new long[n];
            float[] deltas = new float[n * width];
            int k = 0;
            while (k < n && it.hasNext()) {
                Map.Entry<Long, float[]> e = it.next();
                ids[k] = e.getKey();
                System.arraycopy(e.getValue(), 0, deltas, k * width, width);
                k++;
                it.remove();
            }
            out.add(ItemDelta.of(origin, sequence++, width, Arrays.copyOf(ids, k), Arrays.copyOf(deltas, k * width),
                    first ? ratings : RatingStats.NONE));
            first = false;
        }
        ratings = RatingStats.NONE;
        return out;
    }
}
