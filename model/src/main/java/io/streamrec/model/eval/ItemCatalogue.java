package io.streamrec.model.eval;

import io.streamrec.model.RowTable;

import java.util.Arrays;

/**
 * The items a model knows at one moment, as arrays a {@link io.streamrec.model.CatalogueRanker} scores, with each
 * item's position: a position is also the tie-break of the ranking (on equal scores the earlier position ranks
 * first, as the scorer's heap prefers the lower matrix row). Rebuilt, not updated: the rows are referenced, so it is
 * valid while the table is not written.
 */
final class ItemCatalogue {

    private long[] ids = new long[0];
    private float[][] rows = new float[0][];
    private int size;
    // Open addressing id → position + 1 (0 = empty).
    private long[] keys = new long[0];
    private int[] slots = new int[0];
    private int mask;

    /** Refills from {@code items}. */
    void rebuild(RowTable items) {
        int n = items.size();
        if (ids.length < n) {
            ids = new long[n];
            rows = new float[n][];
        }
        int cap = Integer.highestOneBit(Math.max(4, n * 2 - 1)) << 1;
        if (keys.length != cap) {
            keys = new long[cap];
            slots = new int[cap];
        } else {
            Arrays.fill(slots, 0);
        }
        mask = cap - 1;
        size = 0;
        items.forEach((id, row) -> {
            ids[size] = id;
            rows[size] = row;
            size++;
            int s = slot(id);
            while (slots[s] != 0) {
                s = (s + 1) & mask;
            }
            keys[s] = id;
            slots[s] = size;
        });
        Arrays.fill(rows, size, rows.length, null);
    }

    int size() {
        return size;
    }

    long[] ids() {
        return ids;
    }

    float[][] rows() {
        return rows;
    }

    long id(int position) {
        return ids[position];
    }

    /** The position of {@code id}, or -1 when the catalogue does not hold it. */
    int positionOf(long id) {
        if (size == 0) {
            return -1;
        }
        int s = slot(id);
        while (slots[s] != 0) {
            if (keys[s] == id) {
                return slots[s] - 1;
            }
            s = (s + 1) & mask;
        }
        return -1;
    }

    private int slot(long id) {
        long h = id * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }
}
