package io.streamrec.scorer.index;

import io.streamrec.common.event.FactorRow;
import io.streamrec.common.event.ScoredItem;
import io.streamrec.common.model.RatingOutput;
import io.streamrec.model.dense.DlPlusScorer;
import io.streamrec.model.dense.UAutoRecScorer;
import io.streamrec.model.dense.UserHistory;

import java.util.List;

/**
 * The scorer's in-memory item index: the one object the processors, the HTTP service and the benchmarks hold. It
 * pairs the {@link ItemMatrix} (the rows, written by the factors processor) with the {@link TopKSearch} over it (exact
 * top-K, similar items, items by bias) and delegates to them; every figure about it comes from one {@link #stats()}
 * snapshot.
 */
public final class ItemIndex {

    private final ItemMatrix matrix = new ItemMatrix();
    private final TopKSearch search;
    private final HybridItems hybrid = new HybridItems(matrix);
    /** U-AutoRec's encoder bias in force (null: none); immutable, swapped whole. */
    private volatile UAutoRecScorer uAutoRec;
    private volatile long uAutoRecSteps;

    public ItemIndex() {
        this(ScoringKernel.best());
    }

    public ItemIndex(ScoringKernel kernel) {
        this.search = new TopKSearch(matrix, kernel);
        matrix.columnOps(kernel.columnOps());
    }

    /** Gets the scoring kernel JIT-compiled before the first request ({@link ScoringKernel#warmUp}). */
    public void warmUp() {
        search.warmUp();
    }

    public String kernelName() {
        return search.kernelName();
    }

    // ---------------------------------------------------------------- writes

    /** Inserts or replaces an item's row. */
    public void upsert(long item, FactorRow row) {
        hybrid.itemRow(item, row);
    }

    /** Removes an item (a tombstone on the factors topic); under hybrid weights one with metadata stays, features-only. */
    public boolean remove(long item) {
        return hybrid.itemRemoved(item);
    }

    /** The hybrid family's effective and features-only vectors (see {@link HybridItems}). */
    public HybridItems hybrid() {
        return hybrid;
    }

    /** Hybrid weights and feature tables in force (null: none); every item's vector is rebuilt. */
    public void setHybrid(io.streamrec.model.features.HybridScorer scorer, long steps) {
        hybrid.setScorer(scorer, steps);
    }

    public void setGlobalMean(float mean, long version) {
        matrix.setGlobalMean(mean, version);
    }

    /** μ and the output transform the trainer published with it (null: none known, scores are served raw). */
    public void setGlobal(float mean, long version, RatingOutput.Published output) {
        matrix.setGlobal(mean, version, output);
    }

    /** DL+ weights of {@code family} in force (null: none; the dot-product scan ranks); see {@link ItemMatrix#setDense}. */
    public void setDense(DlPlusScorer scorer, String family, long steps) {
        if (hybrid.active()) {
            hybrid.setScorer(null, 0); // another family's weights: effective and features-only vectors go
        }
        matrix.setDense(scorer, family, steps);
    }

    /** U-AutoRec's dense parameters in force (null: none): user rows are then histories, see {@link #servingRow}. */
    public void setUAutoRec(UAutoRecScorer scorer) {
        setUAutoRec(scorer, 0);
    }

    /** U-AutoRec's encoder bias in force (null: none), and the optimizer steps of the weights it came from. */
    public void setUAutoRec(UAutoRecScorer scorer, long steps) {
        this.uAutoRecSteps = steps;
        this.uAutoRec = scorer;
    }

    // ---------------------------------------------------------------- reads

    /**
     * The row a user is ranked with. For U-AutoRec (its weights in force, the user row a rating history) that is the
     * query row: bias o_u (the user's offset), vector [0 | code], so the dot-product scan's μ + b + c_i + [V_i | W_i]·v
     * is exactly {@link UAutoRecScorer}'s score; any other row (or null) is returned as is.
     */
    public FactorRow servingRow(long user, FactorRow userRow) {
        return hybrid.active() ? hybrid.userRow(user, userRow) : servingRow(userRow);
    }

    /** {@link #servingRow(long, FactorRow)} without the user's id (no demographics). */
    public FactorRow servingRow(FactorRow userRow) {
        UAutoRecScorer s = uAutoRec;
        if (s == null || userRow == null || (userRow.vector().length - 1) % 3 != 0 || 2 * s.hidden() != matrix.stats().dim()) {
            return userRow;
        }
        float mean = serving().mean();
        java.util.function.LongFunction<float[]> items = id -> {
            ItemVector v = matrix.vector(id);
            if (v == null) {
                return null;
            }
            float[] row = new float[1 + v.vector().length];
            row[0] = v.bias();
            System.arraycopy(v.vector(), 0, row, 1, v.vector().length);
            return row;
        };
        float[] history = userRow.vector();
        float[] code = new float[s.hidden()];
        s.code(history, items, mean, code);
        return new FactorRow(userRow.modelVersion(), UAutoRecScorer.userOffset(history, items, mean), s.query(code),
                userRow.eventTimeMs());
    }

    /** Whether a U-AutoRec model is in force (its user rows are histories of {@link UserHistory}'s layout). */
    public boolean servesUAutoRec() {
        return uAutoRec != null;
    }

    /** Which family ranks now, and its weights' steps. */
    public ItemMatrix.DenseState model() {
        UAutoRecScorer s = uAutoRec;
        // U-AutoRec ranks through the dot-product scan, but the lists are its predictions: name it while it is in force.
        if (s != null && 2 * s.hidden() == matrix.stats().dim()) {
            return new ItemMatrix.DenseState("u-autorec", uAutoRecSteps, s.fingerprint());
        }
        return matrix.denseState();
    }

    /** See {@link TopKSearch#topKDense}: null when no DL+ weights are in force. */
    public TopKSearch.DenseResult topKDense(float[] biases, float[][] vectors, int k, long[][] excluded) {
        return search.topKDense(biases, vectors, k, excluded);
    }

    /** Item count, dimension, model version, μ, newest event time, ... read together. */
    public IndexStats stats() {
        return matrix.stats();
    }

    /** μ and the output transform, read together (also in {@link #stats()}). */
    public Serving serving() {
        return matrix.serving();
    }

    public boolean contains(long item) {
        return matrix.contains(item);
    }

    /** A copy of an item's row, or null when unknown. */
    public ItemVector vector(long item) {
        return matrix.vector(item);
    }

    /** See {@link TopKSearch#topK}. */
    public List<ScoredItem> topK(float[] u, float biasWeight, float offset, int k, long[] excluded) {
        return search.topK(u, biasWeight, offset, k, excluded);
    }

    /** See {@link TopKSearch#topKBatch}. */
    public List<List<ScoredItem>> topKBatch(float[][] users, float biasWeight, float[] offsets, int k, long[][] excluded) {
        return search.topKBatch(users, biasWeight, offsets, k, excluded);
    }

    /** See {@link TopKSearch#similar}. */
    public List<ScoredItem> similar(long item, int k) {
        return search.similar(item, k);
    }

    /** See {@link TopKSearch#topBiased}. */
    public List<ScoredItem> topBiased(int k, boolean descending) {
        return search.topBiased(k, descending);
    }
}
