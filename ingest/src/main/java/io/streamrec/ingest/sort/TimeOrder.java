package io.streamrec.ingest.sort;

/**
 * Stable ordering of events by timestamp without boxing: an LSD radix sort of (key, index) pairs in primitive arrays.
 * Linear time, and stable by construction, so events with the same timestamp keep their file order (MovieLens has
 * many ties: one user's ratings often share a second).
 *
 * <p>Keys are shrunk before sorting: timestamps minus the minimum, divided by their common unit when every timestamp
 * is a whole second (MovieLens) or a whole day (Netflix). That usually fits the keys in 32 bits, which halves the
 * memory traffic and the number of passes.
 */
public final class TimeOrder {

    private static final int DIGIT_BITS = 11;
    private static final int BUCKETS = 1 << DIGIT_BITS;
    private static final long DAY_MS = 86_400_000L;

    private TimeOrder() {
    }

    /** True when {@code ts[0..n)} is already non-decreasing (then no sort is needed). */
    public static boolean isSorted(long[] ts, int n) {
        for (int i = 1; i < n; i++) {
            if (ts[i] < ts[i - 1]) {
                return false;
            }
        }
        return true;
    }

    /**
     * The permutation that sorts {@code ts[0..n)} stably: {@code order[k]} is the index of the k-th earliest event.
     * Timestamps may be any longs (negative included).
     */
    public static int[] stableOrder(long[] ts, int n) {
        int[] order = new int[n];
        if (n == 0) {
            return order;
        }
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        boolean seconds = true;
        boolean days = true;
        for (int i = 0; i < n; i++) {
            long t = ts[i];
            if (t < min) {
                min = t;
            }
            if (t > max) {
                max = t;
            }
            if (seconds && t % 1000 != 0) {
                seconds = false;
                days = false;
            } else if (days && t % DAY_MS != 0) {
                days = false;
            }
        }
        long unit = days ? DAY_MS : seconds ? 1000 : 1;
        // (max - min) may overflow for extreme inputs; compare unsigned so the range stays right.
        long range = Long.divideUnsigned(max - min, unit);
        int bits = 64 - Long.numberOfLeadingZeros(range);
        if (bits == 0) {
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            return order;
        }
        if (bits <= 31) {
            int[] keys = new int[n];
            for (int i = 0; i < n; i++) {
                keys[i] = (int) Long.divideUnsigned(ts[i] - min, unit);
                order[i] = i;
            }
            sortInt(keys, order, n, bits);
        } else {
            long[] keys = new long[n];
            for (int i = 0; i < n; i++) {
                keys[i] = Long.divideUnsigned(ts[i] - min, unit);
                order[i] = i;
            }
            sortLong(keys, order, n, bits);
        }
        return order;
    }

    private static void sortInt(int[] keys, int[] order, int n, int bits) {
        int passes = (bits + DIGIT_BITS - 1) / DIGIT_BITS;
        int[][] counts = new int[passes][BUCKETS];
        for (int i = 0; i < n; i++) {
            int k = keys[i];
            for (int p = 0; p < passes; p++) {
                counts[p][(k >>> (p * DIGIT_BITS)) & (BUCKETS - 1)]++;
            }
        }
        int[] keysTmp = new int[n];
        int[] orderTmp = new int[n];
        int[] srcK = keys;
        int[] srcO = order;
        int[] dstK = keysTmp;
        int[] dstO = orderTmp;
        for (int p = 0; p < passes; p++) {
            int[] c = counts[p];
            if (c[(srcK[0] >>> (p * DIGIT_BITS)) & (BUCKETS - 1)] == n) {
                continue; // every key has the same digit here: the pass would not move anything
            }
            toOffsets(c);
            int shift = p * DIGIT_BITS;
            for (int i = 0; i < n; i++) {
                int k = srcK[i];
                int pos = c[(k >>> shift) & (BUCKETS - 1)]++;
                dstK[pos] = k;
                dstO[pos] = srcO[i];
            }
            int[] t = srcK;
            srcK = dstK;
            dstK = t;
            t = srcO;
            srcO = dstO;
            dstO = t;
        }
        if (srcO != order) {
            System.arraycopy(srcO, 0, order, 0, n);
        }
    }

    private static void sortLong(long[] keys, int[] order, int n, int bits) {
        int passes = (bits + DIGIT_BITS - 1) / DIGIT_BITS;
        int[][] counts = new int[passes][BUCKETS];
        for (int i = 0; i < n; i++) {
            long k = keys[i];
            for (int p = 0; p < passes; p++) {
                counts[p][(int) ((k >>> (p * DIGIT_BITS)) & (BUCKETS - 1))]++;
            }
        }
        long[] keysTmp = new long[n];
        int[] orderTmp = new int[n];
        long[] srcK = keys;
        int[] srcO = order;
        long[] dstK = keysTmp;
        int[] dstO = orderTmp;
        for (int p = 0; p < passes; p++) {
            int[] c = counts[p];
            int shift = p * DIGIT_BITS;
            if (c[(int) ((srcK[0] >>> shift) & (BUCKETS - 1))] == n) {
                continue;
            }
            toOffsets(c);
            for (int i = 0; i < n; i++) {
                long k = srcK[i];
                int pos = c[(int) ((k >>> shift) & (BUCKETS - 1))]++;
                dstK[pos] = k;
                dstO[pos] = srcO[i];
            }
            long[] tk = srcK;
            srcK = dstK;
            dstK = tk;
            int[] to = srcO;
            srcO = dstO;
            dstO = to;
        }
        if (srcO != order) {
            System.arraycopy(srcO, 0, order, 0, n);
        }
    }

    private static void toOffsets(int[] c) {
        int sum = 0;
        for (int b = 0; b < BUCKETS; b++) {
            int v = c[b];
            c[b] = sum;
            sum += v;
        }
    }
}
