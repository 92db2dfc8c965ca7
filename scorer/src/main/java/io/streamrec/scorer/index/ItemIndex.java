package io.streamrec.scorer.index;

import io.streamrec.common.event.FactorRow;
import io.streamrec.common.event.ScoredItem;
import io.streamrec.common.model.RatingOutput;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Every item's latent vector and bias in one contiguous, dimension-major float array ({@code cols[d * capacity + row]}),
 * so SIMD lanes run over items ({@link ScoringKernel}), block by block: a block of the matrix (2048 items × 32 dims,
 * 256 KB) stays in L2 while every user of a batch is scored against it.
 * Top-K is exact: every item is scored, a bounded heap keeps the best.
 *
 * <p>Written by the global-store thread (one row at a time, as the trainer publishes), read concurrently by HTTP
 * threads and the recompute punctuator: a read-write lock keeps every reader on one consistent matrix.
 *
 * <p>A row whose dimension differs from the rows held means the trainer switched to a model of another size: the old
 * rows are dropped and the index starts over at the new dimension (counted in {@link #dimensionResets()}).
 */
public final class ItemIndex {

    private static final Logger LOG = LoggerFactory.getLogger(ItemIndex.class);
    /** Items per block: 2048 partial scores (8 KB) stay in L1, 2048 × 32 dims (256 KB) of matrix in L2. */
    static final int BLOCK = 2048;

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final ScoringKernel kernel;
    private int dim = -1;
    private int capacity;
    private int size;
    private float[] cols = new float[0];
    private float[] bias = new float[0];
    private float[] norm = new float[0];
    private long[] ids = new long[0];
    private long[] eventTimes = new long[0];
    private final LongIntMap rowOf = new LongIntMap(1024);
    private float globalMean;
    private RatingOutput.Published output;
    private long modelVersion;
    private long maxEventTimeMs;
    private long dimensionResets;

    public ItemIndex() {
        this(ScoringKernel.best());
    }

    public ItemIndex(ScoringKernel kernel) {
        this.kernel = kernel;
    }

    /** Gets the scoring kernel JIT-compiled before the first request ({@link ScoringKernel#warmUp}). */
    public void warmUp() {
        long t0 = System.nanoTime();
        kernel.warmUp();
        LOG.debug("{} kernel warmed up in {} ms", kernel.name(), (System.nanoTime() - t0) / 1_000_000);
    }

    public String kernelName() {
        return kernel.name();
    }

    /** A copy of one item's row. */
    public record ItemVector(long item, float bias, float[] vector, long eventTimeMs) {
    }

    // ---------------------------------------------------------------- writes

    /** Inserts or replaces an item's row. */
    public void upsert(long item, FactorRow row) {
        float[] v = row.vector();
        lock.writeLock().lock();
        try {
            if (dim != v.length) {
                if (size > 0) {
                    LOG.warn("item factor dimension changed from {} to {} (item {}): dropping {} rows of the old model",
                            dim, v.length, item, size);
                    dimensionResets++;
                }
                reset(v.length);
            }
            int r = rowOf.get(item);
            if (r < 0) {
                if (size == capacity) {
                    grow();
                }
                r = size++;
                rowOf.put(item, r);
                ids[r] = item;
            }
            double sq = 0;
            for (int d = 0; d < dim; d++) {
                cols[d * capacity + r] = v[d];
                sq += (double) v[d] * v[d];
            }
            bias[r] = row.bias();
            norm[r] = (float) Math.sqrt(sq);
            eventTimes[r] = row.eventTimeMs();
            modelVersion = Math.max(modelVersion, row.modelVersion());
            maxEventTimeMs = Math.max(maxEventTimeMs, row.eventTimeMs());
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Removes an item (a tombstone on the factors topic); the last row moves into its place. */
    public boolean remove(long item) {
        lock.writeLock().lock();
        try {
            int r = rowOf.remove(item);
            if (r < 0) {
                return false;
            }
            int last = --size;
            if (r != last) {
                for (int d = 0; d < dim; d++) {
                    cols[d * capacity + r] = cols[d * capacity + last];
                }
                bias[r] = bias[last];
                norm[r] = norm[last];
                ids[r] = ids[last];
                eventTimes[r] = eventTimes[last];
                rowOf.put(ids[r], r);
            }
            return true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    public void setGlobalMean(float mean, long version) {
        lock.writeLock().lock();
        try {
            globalMean = mean;
            modelVersion = Math.max(modelVersion, version);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** μ and the output transform the trainer published with it (null: none known, scores are served raw). */
    public void setGlobal(float mean, long version, RatingOutput.Published output) {
        lock.writeLock().lock();
        try {
            globalMean = mean;
            modelVersion = Math.max(modelVersion, version);
            this.output = output;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * How raw scan scores become served ratings, frozen at one GLOBAL record: use {@link #mean()} as the offset of
     * the scan and {@link #serve} on its results, so both come from the same μ.
     *
     * @param output null when the trainer published no transform (an older trainer): raw μ + x is served, unclamped,
     *               because guessing a scale could be as wrong as none
     */
    public record Serving(float mean, RatingOutput.Published output) {

        /** The served rating for a raw score μ + b_u + b_i + p·q. */
        public float serve(float raw) {
            return output == null ? raw : output.serve(mean, raw - mean);
        }

        /**
         * The list with served scores, in the scan's order. The transform is monotone non-decreasing, so ranking on raw
         * scores is ranking on served ones; where clamping (or the sigmoid saturating in float) makes served scores tie,
         * the raw order is kept: the model still prefers the first, and the served scores stay non-increasing.
         */
        public List<ScoredItem> serve(List<ScoredItem> raw) {
            if (output == null) {
                return raw;
            }
            List<ScoredItem> out = new ArrayList<>(raw.size());
            for (ScoredItem s : raw) {
                out.add(new ScoredItem(s.item(), serve(s.score())));
            }
            return out;
        }
    }

    public Serving serving() {
        lock.readLock().lock();
        try {
            return new Serving(globalMean, output);
        } finally {
            lock.readLock().unlock();
        }
    }

    private void reset(int newDim) {
        dim = newDim;
        capacity = 0;
        size = 0;
        cols = new float[0];
        bias = new float[0];
        norm = new float[0];
        ids = new long[0];
        eventTimes = new long[0];
        rowOf.clear();
    }

    private void grow() {
        int newCap = Math.max(1024, capacity * 2);
        float[] newCols = new float[Math.max(1, dim) * newCap];
        for (int d = 0; d < dim; d++) {
            System.arraycopy(cols, d * capacity, newCols, d * newCap, size);
        }
        cols = newCols;
        bias = Arrays.copyOf(bias, newCap);
        norm = Arrays.copyOf(norm, newCap);
        ids = Arrays.copyOf(ids, newCap);
        eventTimes = Arrays.copyOf(eventTimes, newCap);
        capacity = newCap;
    }

    // ---------------------------------------------------------------- reads

    public int size() {
        lock.readLock().lock();
        try {
            return size;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Dimension of the held rows, or -1 before the first row. */
    public int dim() {
        lock.readLock().lock();
        try {
            return dim;
        } finally {
            lock.readLock().unlock();
        }
    }

    public float globalMean() {
        lock.readLock().lock();
        try {
            return globalMean;
        } finally {
            lock.readLock().unlock();
        }
    }

    public long modelVersion() {
        lock.readLock().lock();
        try {
            return modelVersion;
        } finally {
            lock.readLock().unlock();
        }
    }

    public long maxEventTimeMs() {
        lock.readLock().lock();
        try {
            return maxEventTimeMs;
        } finally {
            lock.readLock().unlock();
        }
    }

    public long dimensionResets() {
        lock.readLock().lock();
        try {
            return dimensionResets;
        } finally {
            lock.readLock().unlock();
        }
    }

    public boolean contains(long item) {
        lock.readLock().lock();
        try {
            return rowOf.get(item) >= 0;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** A copy of an item's row, or null when unknown. */
    public ItemVector vector(long item) {
        lock.readLock().lock();
        try {
            int r = rowOf.get(item);
            if (r < 0) {
                return null;
            }
            float[] v = new float[dim];
            for (int d = 0; d < dim; d++) {
                v[d] = cols[d * capacity + r];
            }
            return new ItemVector(item, bias[r], v, eventTimes[r]);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * The k items with the highest {@code offset + biasWeight·b_i + u·q_i}, best first, skipping {@code excluded}
     * item ids (unknown ids are ignored). With {@code u} the user's vector, biasWeight 1 and offset μ + b_u, the score
     * is the predicted rating.
     */
    public List<ScoredItem> topK(float[] u, float biasWeight, float offset, int k, long[] excluded) {
        return topKBatch(new float[][]{u}, biasWeight, new float[]{offset}, k, new long[][]{excluded}).get(0);
    }

    /**
     * {@link #topK} for many users at once: each block of the item matrix is loaded into cache once and scored for
     * every user in the batch before moving on, which is what makes recomputing thousands of users per second cheap.
     */
    public List<List<ScoredItem>> topKBatch(float[][] users, float biasWeight, float[] offsets, int k, long[][] excluded) {
        lock.readLock().lock();
        try {
            int n = users.length;
            List<List<ScoredItem>> out = new ArrayList<>(n);
            if (size == 0 || k == 0) {
                for (int b = 0; b < n; b++) {
                    out.add(List.of());
                }
                return out;
            }
            for (float[] u : users) {
                if (u.length != dim) {
                    throw new IllegalArgumentException("user vector has dimension " + u.length + ", items have " + dim);
                }
            }
            TopK[] heaps = new TopK[n];
            int[][] skip = new int[n][];
            int[] cursor = new int[n];
            for (int b = 0; b < n; b++) {
                heaps[b] = new TopK(Math.min(k, size));
                skip[b] = excludedRows(excluded == null ? null : excluded[b]);
            }
            int g = ScoringKernel.MAX_USERS;
            float[][] s = new float[g][Math.min(BLOCK, size)];
            float[][] group = new float[g][];
            for (int start = 0; start < size; start += BLOCK) {
                int len = Math.min(BLOCK, size - start);
                for (int first = 0; first < n; first += g) {
                    int m = Math.min(g, n - first);
                    System.arraycopy(users, first, group, 0, m);
                    // Two or three users are padded to four with the first: one pass of the four-user kernel costs
                    // less than two or three single-user passes. A lone user keeps the single-user kernel.
                    int pass = m == 1 ? 1 : g;
                    for (int j = m; j < pass; j++) {
                        group[j] = group[0];
                    }
                    kernel.score(cols, capacity, dim, bias, biasWeight, start, len, group, pass, s);
                    for (int j = 0; j < m; j++) {
                        int b = first + j;
                        cursor[b] = select(s[j], start, len, heaps[b], skip[b], cursor[b]);
                    }
                }
            }
            for (int b = 0; b < n; b++) {
                out.add(drain(heaps[b], offsets[b]));
            }
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Offers one block of scores to a user's heap, skipping excluded rows (sorted); returns the advanced cursor. */
    private int select(float[] s, int start, int len, TopK heap, int[] ex, int c) {
        float threshold = heap.threshold();
        int i = kernel.firstAbove(s, 0, len, threshold);
        while (i < len) {
            int row = start + i;
            while (c < ex.length && ex[c] < row) {
                c++;
            }
            if (c >= ex.length || ex[c] != row) {
                heap.offer(s[i], row);
                threshold = heap.threshold();
            }
            i = kernel.firstAbove(s, i + 1, len, threshold);
        }
        return c;
    }

    private int[] excludedRows(long[] items) {
        if (items == null || items.length == 0) {
            return new int[0];
        }
        int[] rows = new int[items.length];
        int m = 0;
        for (long item : items) {
            int r = rowOf.get(item);
            if (r >= 0) {
                rows[m++] = r;
            }
        }
        rows = Arrays.copyOf(rows, m);
        Arrays.sort(rows);
        return rows;
    }

    private List<ScoredItem> drain(TopK heap, float offset) {
        int m = heap.size();
        int[] rows = new int[m];
        float[] scores = new float[m];
        heap.drainBestFirst(rows, scores);
        List<ScoredItem> result = new ArrayList<>(m);
        for (int i = 0; i < m; i++) {
            result.add(new ScoredItem(ids[rows[i]], scores[i] + offset));
        }
        return result;
    }

    /** The k items nearest to {@code item} by cosine of their vectors, excluding the item itself; null if unknown. */
    public List<ScoredItem> similar(long item, int k) {
        lock.readLock().lock();
        try {
            int r = rowOf.get(item);
            if (r < 0) {
                return null;
            }
            float[] u = new float[dim];
            for (int d = 0; d < dim; d++) {
                u[d] = cols[d * capacity + r];
            }
            float self = norm[r];
            TopK heap = new TopK(Math.min(k, Math.max(0, size - 1)));
            if (self == 0f) {
                return List.of(); // a zero vector has no direction: nothing is similar to it
            }
            float[][] s = new float[1][Math.min(BLOCK, size)];
            for (int start = 0; start < size; start += BLOCK) {
                int len = Math.min(BLOCK, size - start);
                kernel.score(cols, capacity, dim, bias, 0f, start, len, new float[][]{u}, 1, s);
                for (int i = 0; i < len; i++) {
                    int row = start + i;
                    float n = norm[row];
                    if (row != r && n > 0f) {
                        heap.offer(s[0][i] / (self * n), row);
                    }
                }
            }
            return drain(heap, 0f);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Items by learned bias, highest first ({@code descending}) or lowest first. */
    public List<ScoredItem> topBiased(int k, boolean descending) {
        lock.readLock().lock();
        try {
            TopK heap = new TopK(Math.min(k, size));
            for (int row = 0; row < size; row++) {
                heap.offer(descending ? bias[row] : -bias[row], row);
            }
            List<ScoredItem> ranked = drain(heap, 0f);
            if (descending) {
                return ranked;
            }
            List<ScoredItem> flipped = new ArrayList<>(ranked.size());
            for (ScoredItem s : ranked) {
                flipped.add(new ScoredItem(s.item(), -s.score()));
            }
            return flipped;
        } finally {
            lock.readLock().unlock();
        }
    }
}
