package io.streamrec.scorer.index;

import io.streamrec.common.event.FactorRow;
import io.streamrec.common.model.RatingOutput;
import io.streamrec.model.dense.DlPlusScorer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Holds every item's latent vector and bias in one contiguous, dimension-major float array
 * ({@code cols[d * capacity + row]}, so SIMD lanes run over items), with the ids, norms, event times, μ and the
 * output transform beside it.
 *
 * <p>Written by the global-store thread (one row at a time, as the trainer publishes), read concurrently by HTTP
 * threads and the recompute punctuator: a read-write lock keeps every reader on one consistent matrix. The scan
 * ({@link TopKSearch}, same package) reads the arrays directly, holding {@link #readLock()} for the whole scan.
 *
 * <p>With DL+ weights set ({@link #setDense}) every row also keeps its first-layer share
 * ({@link DlPlusScorer#itemShare}), computed when the row arrives and recomputed for every row when the weights change,
 * so a DL+ scan is left with ReLU(userShare + itemShare) and the small layers after it. The weights are in force only
 * while their embedding dimension equals the rows' ({@link #denseActive}): until then MF's dot product ranks.
 *
 * <p>A row whose dimension differs from the rows held means the trainer switched to a model of another size: the old
 * rows are dropped and the matrix starts over at the new dimension (counted in {@link IndexStats#dimensionResets()}).
 */
public final class ItemMatrix {

    private static final Logger LOG = LoggerFactory.getLogger(ItemMatrix.class);

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    // Read by TopKSearch under readLock(); written only here, under the write lock.
    int dim = -1;
    int capacity;
    int size;
    float[] cols = new float[0];
    float[] bias = new float[0];
    float[] norm = new float[0];
    long[] ids = new long[0];
    private long[] eventTimes = new long[0];
    private final LongIntMap rowOf = new LongIntMap(1024);
    private float globalMean;
    private RatingOutput.Published output;
    private long modelVersion;
    private long maxEventTimeMs;
    private long dimensionResets;
    // DL+: the scorer over the current weights (null: none), the family and the weights' step count; shares by row.
    DlPlusScorer dense;
    private String denseFamily;
    private long denseSteps;
    // share j of row r at shareCols[j * capacity + r], like cols: DlPlusScorer.scoreAllColumns runs over items
    float[] shareCols = new float[0];
    private int shareWidth;
    private long writes;
    private io.streamrec.model.dense.ColumnOps columnOps = io.streamrec.model.dense.ColumnOps.SCALAR;

    /** The item loop for refreshing all shares (the scan's kernel's, set by {@link ItemIndex}). */
    void columnOps(io.streamrec.model.dense.ColumnOps ops) {
        this.columnOps = ops;
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
            if (denseActive()) {
                float[] share = dense.itemShare(denseRow(row.bias(), v));
                for (int j = 0; j < shareWidth; j++) {
                    shareCols[j * capacity + r] = share[j];
                }
            }
            writes++;
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
                for (int j = 0; j < shareWidth; j++) {
                    shareCols[j * capacity + r] = shareCols[j * capacity + last];
                }
                rowOf.put(ids[r], r);
            }
            writes++;
            return true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** μ alone, keeping the output transform in force. */
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
     * Puts DL+ weights in force (null: none, MF's scan ranks) and recomputes every row's share. The shares are computed
     * under the read lock, so requests keep being answered meanwhile, and swapped in under the write lock; rows written
     * in between (another writer thread) are caught by the write counter and computed again.
     */
    public void setDense(DlPlusScorer scorer, String family, long steps) {
        while (true) {
            long seen;
            float[] fresh;
            int width = scorer == null ? 0 : scorer.shareWidth();
            lock.readLock().lock();
            try {
                seen = writes;
                fresh = new float[width * capacity];
                if (scorer != null && scorer.dim() == dim) {
                    scorer.itemShareColumns(cols, capacity, size, fresh, columnOps);
                }
            } finally {
                lock.readLock().unlock();
            }
            lock.writeLock().lock();
            try {
                if (writes != seen) {
                    continue; // rows changed while the shares were computed: compute them again
                }
                dense = scorer;
                denseFamily = scorer == null ? null : family;
                denseSteps = scorer == null ? 0 : steps;
                shareCols = fresh;
                shareWidth = width;
                writes++;
                return;
            } finally {
                lock.writeLock().unlock();
            }
        }
    }

    /** Whether DL+ ranks: weights known and their embedding size matches the rows held; call under a lock. */
    boolean denseActive() {
        return dense != null && dense.dim() == dim;
    }

    /** The family that ranks now ("mf" for the dot-product scan), its weights' steps (0 for MF), read together. */
    public DenseState denseState() {
        lock.readLock().lock();
        try {
            return denseActive() ? new DenseState(denseFamily, denseSteps, dense.fingerprint())
                    : new DenseState(MF, 0, dense == null ? null : dense.fingerprint());
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Family name of the dot-product scan. */
    public static final String MF = "mf";

    /**
     * @param family      the family whose scoring ranks ("mf" or e.g. "dlplus")
     * @param steps       optimizer steps of the dense weights in force (0 for MF)
     * @param fingerprint fingerprint of the dense weights held, in force or not (null: none)
     */
    public record DenseState(String family, long steps, String fingerprint) {
    }

    /** [bias, embedding...]: the row layout DlPlusScorer reads. */
    static float[] denseRow(float bias, float[] vector) {
        float[] row = new float[1 + vector.length];
        row[0] = bias;
        System.arraycopy(vector, 0, row, 1, vector.length);
        return row;
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
        shareCols = new float[0];
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
        float[] newShares = new float[shareWidth * newCap];
        for (int j = 0; j < shareWidth; j++) {
            System.arraycopy(shareCols, j * capacity, newShares, j * newCap, size);
        }
        shareCols = newShares;
        capacity = newCap;
    }

    // ---------------------------------------------------------------- reads

    /** Every figure of the matrix, read at once. */
    public IndexStats stats() {
        lock.readLock().lock();
        try {
            return new IndexStats(size, dim, modelVersion, globalMean, output, maxEventTimeMs, dimensionResets);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** μ and the output transform, read together. */
    public Serving serving() {
        lock.readLock().lock();
        try {
            return new Serving(globalMean, output);
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
            return new ItemVector(item, bias[r], rowVector(r), eventTimes[r]);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The lock a scan holds while it reads the arrays. */
    Lock readLock() {
        return lock.readLock();
    }

    /** Row of an item, -1 when unknown; call under {@link #readLock()}. */
    int rowOf(long item) {
        return rowOf.get(item);
    }

    /** A copy of one row's vector; call under {@link #readLock()}. */
    float[] rowVector(int r) {
        float[] v = new float[dim];
        for (int d = 0; d < dim; d++) {
            v[d] = cols[d * capacity + r];
        }
        return v;
    }
}
