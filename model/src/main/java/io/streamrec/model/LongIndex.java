package io.streamrec.model;

import java.util.Arrays;

/** Assigns dense indices 0, 1, 2… to distinct long ids within one batch; cleared in O(distinct). Not thread-safe. */
final class LongIndex {

    private long[] keys;
    private int[] values;
    private int[] usedSlots;
    private int size;
    private int mask;

    LongIndex(int expected) {
        int cap = Integer.highestOneBit(Math.max(16, expected * 2) - 1) << 1;
        keys = new long[cap];
        values = new int[cap];
        Arrays.fill(values, -1);
        usedSlots = new int[cap];
        mask = cap - 1;
    }

    /** The index of {@code id}, or -1 when absent. */
    int get(long id) {
        int slot = slot(id);
        while (values[slot] >= 0) {
            if (keys[slot] == id) {
                return values[slot];
            }
            slot = (slot + 1) & mask;
        }
        return -1;
    }

    /** The index of {@code id}, assigning the next one when absent; {@link #size()} tells whether it was new. */
    int indexOf(long id) {
        if (size * 2 >= keys.length) {
            grow();
        }
        int slot = slot(id);
        while (values[slot] >= 0) {
            if (keys[slot] == id) {
                return values[slot];
            }
            slot = (slot + 1) & mask;
        }
        keys[slot] = id;
        values[slot] = size;
        usedSlots[size] = slot;
        return size++;
    }

    int size() {
        return size;
    }

    void clear() {
        for (int i = 0; i < size; i++) {
            values[usedSlots[i]] = -1;
        }
        size = 0;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldValues = values;
        int[] oldUsed = usedSlots;
        int oldSize = size;
        int cap = keys.length << 1;
        keys = new long[cap];
        values = new int[cap];
        Arrays.fill(values, -1);
        usedSlots = new int[cap];
        mask = cap - 1;
        size = 0;
        // Re-insert in index order so indices stay the same.
        for (int i = 0; i < oldSize; i++) {
            int s = oldUsed[i];
            int idx = indexOf(oldKeys[s]);
            assert idx == oldValues[s];
        }
    }

    private int slot(long id) {
        long h = id * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }
}
