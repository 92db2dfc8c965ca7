package io.streamrec.scorer.index;

import java.util.Arrays;

/**
 * Open-addressing map from 64-bit ids to non-negative ints (row numbers), without boxing: 62k items as
 * {@code HashMap<Long,Integer>} cost ~4 MB of objects and a pointer chase per lookup. Not thread-safe; the owner locks.
 */
final class LongIntMap {

    private static final int ABSENT = -1;
    private long[] keys;
    private int[] values;
    private boolean[] used;
    private int size;
    private int mask;

    LongIntMap(int expected) {
        int cap = Integer.highestOneBit(Math.max(16, expected * 2) - 1) << 1;
        allocate(cap);
    }

    private void allocate(int cap) {
        keys = new long[cap];
        values = new int[cap];
        used = new boolean[cap];
        mask = cap - 1;
        size = 0;
    }

    int size() {
        return size;
    }

    /** The value for {@code key}, or -1. */
    int get(long key) {
        int i = slot(key);
        while (used[i]) {
            if (keys[i] == key) {
                return values[i];
            }
            i = (i + 1) & mask;
        }
        return ABSENT;
    }

    void put(long key, int value) {
        if (value < 0) {
            throw new IllegalArgumentException("values must be non-negative, got " + value);
        }
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        int i = slot(key);
        while (used[i]) {
            if (keys[i] == key) {
                values[i] = value;
                return;
            }
            i = (i + 1) & mask;
        }
        used[i] = true;
        keys[i] = key;
        values[i] = value;
        size++;
    }

    /** Removes {@code key}; returns its value or -1. Backward-shift deletion keeps probe chains intact without tombstones. */
    int remove(long key) {
        int i = slot(key);
        while (used[i]) {
            if (keys[i] == key) {
                int old = values[i];
                shiftBack(i);
                size--;
                return old;
            }
            i = (i + 1) & mask;
        }
        return ABSENT;
    }

    void clear() {
        Arrays.fill(used, false);
        size = 0;
    }

    private void shiftBack(int hole) {
        int i = hole;
        while (true) {
            i = (i + 1) & mask;
            if (!used[i]) {
                break;
            }
            int home = slot(keys[i]);
            // Move entry i into the hole if its home slot is not cyclically within (hole, i].
            boolean between = hole <= i ? (home > hole && home <= i) : (home > hole || home <= i);
            if (!between) {
                keys[hole] = keys[i];
                values[hole] = values[i];
                hole = i;
            }
        }
        used[hole] = false;
    }

    private void grow() {
        long[] k = keys;
        int[] v = values;
        boolean[] u = used;
        allocate(keys.length * 2);
        for (int i = 0; i < k.length; i++) {
            if (u[i]) {
                put(k[i], v[i]);
            }
        }
    }

    private int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }
}
