package io.streamrec.scorer.index;

import io.streamrec.common.event.ScoredItem;
import io.streamrec.common.model.RatingOutput;
import io.streamrec.model.dense.DlPlusScorer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.Lock;

/**
 * Exact top-K over an {@link ItemMatrix}: every item is scored by the {@link ScoringKernel} (SIMD, or its scalar
 * fallback) block by block, and a bounded heap ({@link TopK}) keeps the best. A block of the matrix (2048 items × 32
 * dims, 256 KB) stays in L2 while every user of a batch is scored against it. The whole scan holds the matrix's read
 * lock, so it sees one consistent matrix. Raw scores come out; {@link Serving} turns the K kept into served ratings.
 */
public final class TopKSearch {

    private static final Logger LOG = LoggerFactory.getLogger(TopKSearch.class);
    /** Items per block: 2048 partial scores (8 KB) stay in L1, 2048 × 32 dims (256 KB) of matrix in L2. */
    static final int BLOCK = 2048;

    private final ItemMatrix m;
    private final ScoringKernel kernel;

    public TopKSearch(ItemMatrix matrix, ScoringKernel kernel) {
        this.m = matrix;
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
        Lock read = m.readLock();
        read.lock();
        try {
            int n = users.length;
            int size = m.size;
            int dim = m.dim;
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
                    int mUsers = Math.min(g, n - first);
                    System.arraycopy(users, first, group, 0, mUsers);
                    // Two or three users are padded to four with the first: one pass of the four-user kernel costs
                    // less than two or three single-user passes. A lone user keeps the single-user kernel.
                    int pass = mUsers == 1 ? 1 : g;
                    for (int j = mUsers; j < pass; j++) {
                        group[j] = group[0];
                    }
                    kernel.score(m.cols, m.capacity, dim, m.bias, biasWeight, start, len, group, pass, s);
                    for (int j = 0; j < mUsers; j++) {
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
            read.unlock();
        }
    }

    /** Row terms x come out of {@link DlPlusScorer#scoreAll} unchanged: rank on x, serve the K kept. */
    private static final io.streamrec.model.dense.RatingOutput RAW = new io.streamrec.model.dense.RatingOutput(0f, false,
            0f, 0f, 0f, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY);

    /**
     * The DL+ top-K, exact over the whole catalogue, served: for each user ({@code biases[b]}, {@code vectors[b]}) every
     * item is scored with {@link DlPlusScorer#scoreAllColumns} over the precomputed item shares (column-major, like the
     * matrix), ranked on the row terms
     * x = b_u + b_i + z (the output transform is monotone, see {@link Serving}), excluded items skipped, and the K kept
     * turned into served ratings by the transform of the GLOBAL record read under the same lock. Null when no DL+
     * weights are in force (the caller ranks with the dot-product scan instead).
     */
    public DenseResult topKDense(float[] biases, float[][] vectors, int k, long[][] excluded) {
        Lock read = m.readLock();
        read.lock();
        try {
            if (!m.denseActive()) {
                return null;
            }
            DlPlusScorer scorer = m.dense;
            int size = m.size;
            Serving serving = m.serving();
            io.streamrec.model.dense.RatingOutput output = denseOutput(serving);
            List<List<ScoredItem>> out = new ArrayList<>(vectors.length);
            float[] x = new float[size];
            TopK heap = new TopK(Math.min(k, size));
            for (int b = 0; b < vectors.length; b++) {
                if (vectors[b].length != m.dim) {
                    throw new IllegalArgumentException("user vector has dimension " + vectors[b].length + ", items have " + m.dim);
                }
                if (size == 0 || k == 0) {
                    out.add(List.of());
                    continue;
                }
                scorer.scoreAllColumns(ItemMatrix.denseRow(biases[b], vectors[b]), m.shareCols, m.cols, m.capacity, size,
                        m.bias, RAW, x, kernel.columnOps());
                int[] skip = excludedRows(excluded == null ? null : excluded[b]);
                heap.reset(Math.min(k, size));
                int c = 0;
                for (int row = 0; row < size; row++) {
                    float s = x[row];
                    if (s > heap.threshold()) {
                        while (c < skip.length && skip[c] < row) {
                            c++;
                        }
                        if (c >= skip.length || skip[c] != row) {
                            heap.offer(s, row);
                        }
                    }
                }
                int n = heap.size();
                int[] rows = new int[n];
                float[] scores = new float[n];
                heap.drainBestFirst(rows, scores);
                List<ScoredItem> top = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    top.add(new ScoredItem(m.ids[rows[i]], output.apply(scores[i])));
                }
                out.add(top);
            }
            return new DenseResult(m.denseState(), out);
        } finally {
            read.unlock();
        }
    }

    /** A DL+ ranking with the family and weights it was made with. */
    public record DenseResult(ItemMatrix.DenseState model, List<List<ScoredItem>> lists) {
    }

    /**
     * The served-rating function of one GLOBAL record in DL+'s per-batch form: with the published transform exactly
     * the trainer's ({@code RatingOutput.of} over the same μ and bounds), without one μ + x unclamped, as MF serves.
     */
    static io.streamrec.model.dense.RatingOutput denseOutput(Serving serving) {
        RatingOutput.Published p = serving.output();
        float mu = serving.mean();
        if (p == null) {
            return new io.streamrec.model.dense.RatingOutput(mu, false, 0f, 0f, 0f, Float.NEGATIVE_INFINITY,
                    Float.POSITIVE_INFINITY);
        }
        RatingOutput o = p.output();
        return new io.streamrec.model.dense.RatingOutput(mu, o.sigmoid(), o.squashLo(), o.squashSpan(), o.meanLogit(mu),
                p.clampMin(), p.clampMax());
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
        int n = 0;
        for (long item : items) {
            int r = m.rowOf(item);
            if (r >= 0) {
                rows[n++] = r;
            }
        }
        rows = Arrays.copyOf(rows, n);
        Arrays.sort(rows);
        return rows;
    }

    /** The heap's rows as item ids, best first, with {@code offset} added to each score. */
    private List<ScoredItem> drain(TopK heap, float offset) {
        int n = heap.size();
        int[] rows = new int[n];
        float[] scores = new float[n];
        heap.drainBestFirst(rows, scores);
        List<ScoredItem> result = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            result.add(new ScoredItem(m.ids[rows[i]], scores[i] + offset));
        }
        return result;
    }

    /** The k items nearest to {@code item} by cosine of their vectors, excluding the item itself; null if unknown. */
    public List<ScoredItem> similar(long item, int k) {
        Lock read = m.readLock();
        read.lock();
        try {
            int r = m.rowOf(item);
            if (r < 0) {
                return null;
            }
            int size = m.size;
            float[] u = m.rowVector(r);
            float self = m.norm[r];
            TopK heap = new TopK(Math.min(k, Math.max(0, size - 1)));
            if (self == 0f) {
                return List.of(); // a zero vector has no direction: nothing is similar to it
            }
            float[][] s = new float[1][Math.min(BLOCK, size)];
            for (int start = 0; start < size; start += BLOCK) {
                int len = Math.min(BLOCK, size - start);
                kernel.score(m.cols, m.capacity, m.dim, m.bias, 0f, start, len, new float[][]{u}, 1, s);
                for (int i = 0; i < len; i++) {
                    int row = start + i;
                    float n = m.norm[row];
                    if (row != r && n > 0f) {
                        heap.offer(s[0][i] / (self * n), row);
                    }
                }
            }
            return drain(heap, 0f);
        } finally {
            read.unlock();
        }
    }

    /** Items by learned bias, highest first ({@code descending}) or lowest first. */
    public List<ScoredItem> topBiased(int k, boolean descending) {
        Lock read = m.readLock();
        read.lock();
        try {
            int size = m.size;
            TopK heap = new TopK(Math.min(k, size));
            for (int row = 0; row < size; row++) {
                heap.offer(descending ? m.bias[row] : -m.bias[row], row);
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
            read.unlock();
        }
    }
}
