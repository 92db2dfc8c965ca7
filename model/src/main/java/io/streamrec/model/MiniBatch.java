package io.streamrec.model;

import java.util.Arrays;

/**
 * A reusable, bounded, columnar batch of ratings in arrival order, plus the per-event outputs of
 * {@link OnlineModel#predict}: the prequential prediction and whether it was a cold start. Not thread-safe; one per
 * trainer subtask. {@link #clear()} makes it reusable without allocating.
 */
public final class MiniBatch {

    private final int capacity;
    private final long[] users;
    private final long[] items;
    private final float[] ratings;
    private final long[] timestamps;
    private final float[] predictions;
    private final boolean[] coldStart;
    private int size;

    public MiniBatch(int capacity) {
        if (capacity < 1 || capacity > MfHyperParameters.MAX_BATCH_SIZE) {
            throw new IllegalArgumentException("mini-batch capacity must be in [1, " + MfHyperParameters.MAX_BATCH_SIZE
                    + "], got " + capacity);
        }
        this.capacity = capacity;
        this.users = new long[capacity];
        this.items = new long[capacity];
        this.ratings = new float[capacity];
        this.timestamps = new long[capacity];
        this.predictions = new float[capacity];
        this.coldStart = new boolean[capacity];
    }

    /**
     * Appends one rating. The rating must be finite (validation upstream sends bad ones to the DLQ; this is the
     * last line of defence so a NaN can never poison a row).
     *
     * @throws IllegalStateException    when the batch is full (check {@link #isFull()} first)
     * @throws IllegalArgumentException when the rating is not finite
     */
    public void add(long user, long item, float rating, long timestampMs) {
        if (size == capacity) {
            throw new IllegalStateException("mini-batch is full (" + capacity + " events); flush it before adding");
        }
        if (!Float.isFinite(rating)) {
            throw new IllegalArgumentException("rating must be finite, got " + rating + " (user " + user + ", item " + item + ")");
        }
        users[size] = user;
        items[size] = item;
        ratings[size] = rating;
        timestamps[size] = timestampMs;
        predictions[size] = Float.NaN;
        coldStart[size] = false;
        size++;
    }

    public void clear() {
        size = 0;
    }

    public int size() {
        return size;
    }

    public int capacity() {
        return capacity;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public boolean isFull() {
        return size == capacity;
    }

    public long user(int i) {
        check(i);
        return users[i];
    }

    public long item(int i) {
        check(i);
        return items[i];
    }

    public float rating(int i) {
        check(i);
        return ratings[i];
    }

    public long timestamp(int i) {
        check(i);
        return timestamps[i];
    }

    /** The prequential prediction of event i (NaN until {@link OnlineModel#predict} ran on this batch). */
    public float prediction(int i) {
        check(i);
        return predictions[i];
    }

    /** Whether event i's user or item row did not exist when it was predicted. */
    public boolean coldStart(int i) {
        check(i);
        return coldStart[i];
    }

    /** Newest event time in the batch (Long.MIN_VALUE when empty). */
    public long maxTimestamp() {
        long max = Long.MIN_VALUE;
        for (int i = 0; i < size; i++) {
            max = Math.max(max, timestamps[i]);
        }
        return max;
    }

    // Raw columns for the model and kernels in this package; valid entries are [0, size).
    long[] usersColumn() {
        return users;
    }

    long[] itemsColumn() {
        return items;
    }

    float[] ratingsColumn() {
        return ratings;
    }

    long[] timestampsColumn() {
        return timestamps;
    }

    void setPrediction(int i, float prediction, boolean cold) {
        predictions[i] = prediction;
        coldStart[i] = cold;
    }

    private void check(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("event " + i + " outside mini-batch of " + size);
        }
    }

    @Override
    public String toString() {
        return "MiniBatch{size=" + size + ", capacity=" + capacity + ", firstUsers="
                + Arrays.toString(Arrays.copyOf(users, Math.min(size, 4))) + '}';
    }
}
