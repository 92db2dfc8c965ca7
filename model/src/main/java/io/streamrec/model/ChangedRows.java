package io.streamrec.model;

import java.util.Arrays;

/**
 * The rows the last {@link OnlineModel#learn} changed, each once, in first-touch order, with the arrays that were
 * written back through {@link Rows#put}: the trainer emits them (coalesced) to the {@code factors} topic with
 * {@link RowLayout#toFactorRow}. Valid until the next call on the same model; reused to avoid allocation.
 */
public final class ChangedRows {

    private long[] userIds = new long[16];
    private float[][] userRows = new float[16][];
    private int users;
    private long[] itemIds = new long[16];
    private float[][] itemRows = new float[16][];
    private int items;
    private double globalMean;
    private long newestEventTimeMs = Long.MIN_VALUE;

    void clear() {
        Arrays.fill(userRows, 0, users, null);
        Arrays.fill(itemRows, 0, items, null);
        users = 0;
        items = 0;
        newestEventTimeMs = Long.MIN_VALUE;
    }

    void addUser(long id, float[] row) {
        if (users == userIds.length) {
            userIds = Arrays.copyOf(userIds, users * 2);
            userRows = Arrays.copyOf(userRows, users * 2);
        }
        userIds[users] = id;
        userRows[users++] = row;
    }

    void addItem(long id, float[] row) {
        if (items == itemIds.length) {
            itemIds = Arrays.copyOf(itemIds, items * 2);
            itemRows = Arrays.copyOf(itemRows, items * 2);
        }
        itemIds[items] = id;
        itemRows[items++] = row;
    }

    /** Writes the first {@code n} gathered user rows back through {@code users} and records them as changed. */
    void putUsers(Rows users, long[] ids, float[][] rows, int n) {
        for (int k = 0; k < n; k++) {
            users.put(ids[k], rows[k]);
            addUser(ids[k], rows[k]);
        }
    }

    /** Writes the first {@code n} gathered item rows back through {@code items} and records them as changed. */
    void putItems(Rows items, long[] ids, float[][] rows, int n) {
        for (int k = 0; k < n; k++) {
            items.put(ids[k], rows[k]);
            addItem(ids[k], rows[k]);
        }
    }

    void setGlobal(double mean, long newestEventTimeMs) {
        this.globalMean = mean;
        this.newestEventTimeMs = newestEventTimeMs;
    }

    public int userCount() {
        return users;
    }

    public long userId(int i) {
        checkIndex(i, users);
        return userIds[i];
    }

    public float[] userRow(int i) {
        checkIndex(i, users);
        return userRows[i];
    }

    public int itemCount() {
        return items;
    }

    public long itemId(int i) {
        checkIndex(i, items);
        return itemIds[i];
    }

    public float[] itemRow(int i) {
        checkIndex(i, items);
        return itemRows[i];
    }

    /** μ after the batch (the {@code factors} topic's GLOBAL record). */
    public double globalMean() {
        return globalMean;
    }

    /** Event time of the newest rating in the batch. */
    public long newestEventTimeMs() {
        return newestEventTimeMs;
    }

    private static void checkIndex(int i, int size) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException(i + " outside " + size + " changed rows");
        }
    }
}
