package io.streamrec.model.dense;

/**
 * A user's most recent ratings as one fixed-width float vector, so it can live where user rows live (Flink keyed
 * state, the factors topic) and be read by the scorer: {@code [count, (idHigh, idLow, rating) × capacity]}, oldest
 * first. An id is split into two 24-bit halves because a float holds integers exactly only up to 2^24; ids must be
 * in [0, 2^48). A full history drops its oldest rating to take a new one.
 */
public final class UserHistory {

    /** Ids must be below this (two 24-bit halves). */
    public static final long MAX_ID = 1L << 48;
    private static final int HALF = 1 << 24;

    private UserHistory() {
    }

    /** Floats a history of {@code capacity} ratings takes. */
    public static int width(int capacity) {
        return 1 + 3 * capacity;
    }

    public static int capacity(float[] history) {
        return (history.length - 1) / 3;
    }

    public static float[] empty(int capacity) {
        return new float[width(capacity)];
    }

    public static int size(float[] history) {
        return (int) history[0];
    }

    public static long item(float[] history, int k) {
        int o = 1 + 3 * k;
        return (long) history[o] * HALF + (long) history[o + 1];
    }

    public static float rating(float[] history, int k) {
        return history[1 + 3 * k + 2];
    }

    /**
     * Appends (item, rating), dropping the oldest rating when full. A re-rating of an item already in the history
     * replaces the old rating and moves it to the newest place (a user has one rating per item).
     */
    public static void add(float[] history, long item, float rating) {
        if (item < 0 || item >= MAX_ID) {
            throw new IllegalArgumentException("item id " + item + " outside [0, 2^48): a user history cannot hold it");
        }
        int n = size(history);
        int cap = capacity(history);
        if (cap == 0) {
            return;
        }
        int at = -1;
        for (int k = 0; k < n; k++) {
            if (item(history, k) == item) {
                at = k;
                break;
            }
        }
        if (at < 0 && n == cap) {
            at = 0;
        }
        if (at >= 0) {
            // Shift the newer entries down over the removed one.
            System.arraycopy(history, 1 + 3 * (at + 1), history, 1 + 3 * at, 3 * (n - at - 1));
            n--;
        }
        int o = 1 + 3 * n;
        history[o] = (float) (item / HALF);
        history[o + 1] = (float) (item % HALF);
        history[o + 2] = rating;
        history[0] = n + 1;
    }

    /** Whether {@code item} is in the history. */
    public static boolean contains(float[] history, long item) {
        for (int k = 0; k < size(history); k++) {
            if (item(history, k) == item) {
                return true;
            }
        }
        return false;
    }

    /** "[12=4.0, 7=3.5] of 50", for logs and test messages. */
    public static String describe(float[] history) {
        StringBuilder b = new StringBuilder("[");
        for (int k = 0; k < size(history); k++) {
            b.append(k == 0 ? "" : ", ").append(item(history, k)).append('=').append(rating(history, k));
        }
        return b.append("] of ").append(capacity(history)).toString();
    }
}
