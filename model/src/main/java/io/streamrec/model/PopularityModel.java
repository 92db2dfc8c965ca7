package io.streamrec.model;

import io.streamrec.common.event.FactorKind;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The standard ranking baseline: items ranked by how often they were rated so far, optionally with each rating's
 * weight halving every half-life of event time. Rating predictions are the running global mean μ, exactly as
 * {@link GlobalMeanModel} predicts (same cold-start flags, same sequential/batch folding of μ), so its RMSE equals
 * {@code mean}'s and only its lists differ.
 *
 * <p>State: one item row per rated item, MF-shaped with dimension 0, so it is stored, exchanged and published like
 * any item row. Its bias slot holds the popularity score: the count of ratings (no decay: additive, so item deltas
 * from other trainer subtasks add up exactly), or with decay log2 Σ 2^(t_k / halfLife), which orders items as the
 * decayed count at any common "now" does and never overflows; its count slot holds the plain count. No user rows are
 * written (popularity is the same for every user); presence markers in the given user rows only drive cold-start
 * flags, like the mean model's.
 */
public final class PopularityModel implements OnlineModel {

    /** Version of what the bias slot means; part of the fingerprint. */
    public static final int FORMAT = 1;
    private static final double MS_PER_HOUR = 3_600_000.0;

    private final PopularityHyperParameters params;
    private final MfHyperParameters rowParams;
    private final RowLayout layout;
    private final String fingerprint;
    private final ChangedRows changed = new ChangedRows();
    /** The rows this batch touched, read once each: a Rows view may remember what it first handed out. */
    private final java.util.LinkedHashMap<Long, float[]> touched = new java.util.LinkedHashMap<>();
    private final float[] userMarker;
    private final RunningGlobalStats stats;

    public PopularityModel(PopularityHyperParameters params) {
        this.params = Objects.requireNonNull(params, "params");
        this.rowParams = params.rows();
        this.layout = RowLayout.of(rowParams);
        this.userMarker = new float[layout.width()];
        this.fingerprint = ModelKind.POPULAR.id() + ";score=" + (params.decays()
                ? "log2-decayed-count;half-life-hours=" + String.format(Locale.ROOT, "%s", params.halfLifeHours())
                : "count") + ";row-width=" + layout.width() + ";format=" + FORMAT;
        this.stats = new RunningGlobalStats(GlobalStats.empty(rowParams.ratingScale()).mean());
    }

    public PopularityHyperParameters popularityHyperParameters() {
        return params;
    }

    @Override
    public ModelKind kind() {
        return ModelKind.POPULAR;
    }

    @Override
    public MfHyperParameters hyperParameters() {
        return rowParams;
    }

    @Override
    public Map<String, String> settings() {
        return params.toSettings();
    }

    @Override
    public String fingerprint() {
        return fingerprint;
    }

    @Override
    public RowLayout layout() {
        return layout;
    }

    @Override
    public void predict(MiniBatch batch, Rows users, Rows items) {
        float p = (float) stats.mean();
        for (int e = 0; e < batch.size(); e++) {
            batch.setPrediction(e, p, cold(batch, e, users, items));
        }
    }

    @Override
    public ChangedRows learn(MiniBatch batch, Rows users, Rows items) {
        startBatch();
        for (int e = 0; e < batch.size(); e++) {
            learnOne(batch, e, users, items);
        }
        return finishBatch(batch, items);
    }

    @Override
    public ChangedRows process(MiniBatch batch, Rows users, Rows items) {
        if (rowParams.update() == UpdateMode.BATCH) {
            predict(batch, users, items);
            return learn(batch, users, items);
        }
        // Sequential, like the mean model: each event sees the mean of every earlier one.
        startBatch();
        for (int e = 0; e < batch.size(); e++) {
            batch.setPrediction(e, (float) stats.mean(), cold(batch, e, users, items));
            learnOne(batch, e, users, items);
        }
        return finishBatch(batch, items);
    }

    /** As the mean model flags them: an item an earlier event of this batch created is no longer cold. */
    private boolean cold(MiniBatch batch, int e, Rows users, Rows items) {
        return users.get(batch.user(e)) == null
                || (!touched.containsKey(batch.item(e)) && items.get(batch.item(e)) == null);
    }

    private void startBatch() {
        changed.clear();
    }

    private void learnOne(MiniBatch batch, int e, Rows users, Rows items) {
        long user = batch.user(e);
        long item = batch.item(e);
        if (users.get(user) == null) {
            users.put(user, userMarker);
        }
        float[] row = touched.get(item);
        if (row == null) {
            row = items.get(item);
            if (row == null) {
                row = layout.newRow(FactorKind.ITEM, item);
            } else {
                layout.requireShape(row);
            }
            touched.put(item, row);
        }
        int c = layout.countOffset();
        row[0] = params.decays() ? addDecayed(row[0], row[c] == 0f, batch.timestamp(e)) : row[0] + 1f;
        row[c] += 1f;
        stats.add(batch.rating(e));
    }

    /** log2(2^score + 2^(t / halfLife)), computed without leaving the log domain. */
    private float addDecayed(float score, boolean first, long timestampMs) {
        double a = timestampMs / (params.halfLifeHours() * MS_PER_HOUR);
        if (first) {
            return (float) a;
        }
        double hi = Math.max(score, a);
        double lo = Math.min(score, a);
        return (float) (hi + Math.log1p(Math.pow(2, lo - hi)) / Math.log(2));
    }

    private ChangedRows finishBatch(MiniBatch batch, Rows items) {
        // One write per touched row, after the batch, as BiasedMf scatters.
        touched.forEach((id, row) -> {
            items.put(id, row);
            changed.addItem(id, row);
        });
        touched.clear();
        changed.setGlobal(stats.mean(), batch.isEmpty() ? Long.MIN_VALUE : batch.maxTimestamp());
        return changed;
    }

    /** The rating prediction is μ for every pair: popularity orders lists, it does not predict ratings. */
    @Override
    public float score(float[] userRow, float[] itemRow) {
        return (float) stats.mean();
    }

    /** The popularity score itself, the same for every user. */
    @Override
    public CatalogueRanker catalogueRanker(float[][] itemRows, int count) {
        for (int k = 0; k < count; k++) {
            layout.requireShape(itemRows[k]);
        }
        return (userRow, out) -> {
            for (int k = 0; k < count; k++) {
                out[k] = itemRows[k][0];
            }
        };
    }

    /**
     * The GLOBAL record's output layout with both clamp bounds at μ: a scorer ranks on μ + b_i (b_i = popularity,
     * no user rows) and serves clamp(μ + b_i, μ, μ) = μ, this model's prediction, with no family-specific code.
     */
    @Override
    public float[] globalOutputVector() {
        float lo = rowParams.ratingScale().min();
        float hi = rowParams.ratingScale().max();
        float mean = Math.max(lo, Math.min(hi, (float) stats.mean()));
        return new float[]{lo, hi, 0f, mean, mean};
    }

    @Override
    public GlobalStats global() {
        return stats.snapshot();
    }

    @Override
    public void restoreGlobal(GlobalStats restored) {
        stats.restore(restored);
    }

    @Override
    public String toString() {
        return "PopularityModel{" + fingerprint + '}';
    }
}
