package io.streamrec.scorer.index;

/**
 * The k best (score, row) pairs seen so far, in a bounded min-heap: the root is the worst of the kept, so a candidate
 * costs one comparison against {@link #threshold()} unless it beats it. NaN scores never enter. Reusable via
 * {@link #reset(int)} so batch scoring allocates nothing per user.
 */
public final class TopK {

    private float[] scores;
    private int[] rows;
    private int k;
    private int size;

    public TopK(int k) {
        reset(k);
    }

    public void reset(int newK) {
        if (newK < 0) {
            throw new IllegalArgumentException("k must be >= 0, got " + newK);
        }
        if (scores == null || scores.length < newK) {
            scores = new float[newK];
            rows = new int[newK];
        }
        k = newK;
        size = 0;
    }

    public int size() {
        return size;
    }

    /** A score must be strictly greater than this to enter; -Infinity while the heap is not full. */
    public float threshold() {
        return size < k ? Float.NEGATIVE_INFINITY : scores[0];
    }

    public void offer(float score, int row) {
        if (!(score > threshold())) {
            return;
        }
        if (size < k) {
            int i = size++;
            // sift up
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (!worse(score, row, scores[parent], rows[parent])) {
                    break;
                }
                scores[i] = scores[parent];
                rows[i] = rows[parent];
                i = parent;
            }
            scores[i] = score;
            rows[i] = row;
        } else {
            siftDown(score, row);
        }
    }

    private void siftDown(float score, int row) {
        int i = 0;
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && worse(scores[right], rows[right], scores[child], rows[child])) {
                child = right;
            }
            if (!worse(scores[child], rows[child], score, row)) {
                break;
            }
            scores[i] = scores[child];
            rows[i] = rows[child];
            i = child;
        }
        scores[i] = score;
        rows[i] = row;
    }

    /** Heap order: lower score is worse; on equal scores the higher row is worse, so ties resolve deterministically. */
    private static boolean worse(float s1, int r1, float s2, int r2) {
        return s1 < s2 || (s1 == s2 && r1 > r2);
    }

    /** Drains the heap best first into {@code outRows}/{@code outScores}; returns the count. Empties the heap. */
    public int drainBestFirst(int[] outRows, float[] outScores) {
        int n = size;
        for (int pos = n - 1; pos >= 0; pos--) {
            outRows[pos] = rows[0];
            outScores[pos] = scores[0];
            size--;
            if (size > 0) {
                siftDown(scores[size], rows[size]);
            }
        }
        return n;
    }
}
