package io.streamrec.model;

import java.util.Arrays;

/**
 * An in-memory {@link Rows}: open addressing on primitive long keys, so a table of 100 k rows costs the rows plus
 * two arrays, not 100 k boxed entries. Used for the trainer's per-subtask item table and by {@code evaluate} for
 * both tables. Not thread-safe.
 */
public final class RowTable implements Rows {

    private static final float LOAD_FACTOR = 0.6f;

    private long[] keys;
    private float[][] values;
    private int size;
    private int mask;

    public RowTable() {
        this(1024);
    }

    public RowTable(int expectedSize) {
        if (expectedSize < 0) {
            throw new IllegalArgumentException("expectedSize must be >= 0, got " + expectedSize);
        }
        int cap = Integer.highestOneBit(Math.max(16, (int) Math.min(1 << 30, (long) (expectedSize / LOAD_FACTOR) + 1)) - 1) << 1;
        allocate(cap);
    }

    private void allocate(int capacity) {
        keys = new long[capacity];
        values = new float[capacity][];
        mask = capacity - 1;
    }

    @Override
    public float[] get(long id) {
        int slot = slot(id);
        while (values[slot] != null) {
            if (keys[slot] == id) {
                return values[slot];
            }
            slot = (slot + 1) & mask;
        }
        return null;
    }

    @Override
    public void put(long id, float[] row) {
        if (row == null) {
            throw new IllegalArgumentException("row of id " + id + " must not be null");
        }
        int slot = slot(id);
        while (values[slot] != null) {
            if (keys[slot] == id) {
                values[slot] = row;
                return;
            }
            slot = (slot + 1) & mask;
        }
        keys[slot] = id;
        values[slot] = row;
        if (++size > (mask + 1) * LOAD_FACTOR) {
            grow();
        }
    }

    public int size() {
        return size;
    }

    /** Visits every (id, row); the row is the stored array, not a copy. */
    public void forEach(RowVisitor visitor) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] != null) {
                visitor.visit(keys[i], values[i]);
            }
        }
    }

    public void clear() {
        Arrays.fill(values, null);
        size = 0;
    }

    private void grow() {
        long[] oldKeys = keys;
        float[][] oldValues = values;
        allocate(oldKeys.length << 1);
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldValues[i] != null) {
                put(oldKeys[i], oldValues[i]);
            }
        }
    }

    private int slot(long id) {
        long h = id * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    @FunctionalInterface
    public interface RowVisitor {
        void visit(long id, float[] row);
    }
}
