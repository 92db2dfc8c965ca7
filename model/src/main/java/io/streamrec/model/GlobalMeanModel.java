package io.streamrec.model;

import java.util.Objects;

/**
 * The weakest honest baseline: predict the running mean of every rating seen so far. It keeps no rows, but reports
 * cold starts exactly like {@link BiasedMf} (an event is cold when its user or item has no row in the given
 * tables), so the two are comparable event for event. It still writes no rows: {@link ChangedRows} stays empty.
 */
public final class GlobalMeanModel implements OnlineModel {

    private final MfHyperParameters params;
    private final RowLayout layout;
    private final ChangedRows changed = new ChangedRows();
    private final float[] marker;
    private final RunningGlobalStats stats;

    public GlobalMeanModel(MfHyperParameters params) {
        this.params = Objects.requireNonNull(params, "params").withDim(0);
        this.layout = RowLayout.of(this.params);
        this.marker = new float[layout.width()];
        this.stats = new RunningGlobalStats(GlobalStats.empty(params.ratingScale()).mean());
    }

    @Override
    public ModelKind kind() {
        return ModelKind.MEAN;
    }

    @Override
    public MfHyperParameters hyperParameters() {
        return params;
    }

    @Override
    public RowLayout layout() {
        return layout;
    }

    @Override
    public void predict(MiniBatch batch, Rows users, Rows items) {
        float p = (float) stats.mean();
        for (int e = 0; e < batch.size(); e++) {
            boolean cold = users.get(batch.user(e)) == null || items.get(batch.item(e)) == null;
            batch.setPrediction(e, p, cold);
        }
    }

    @Override
    public ChangedRows learn(MiniBatch batch, Rows users, Rows items) {
        changed.clear();
        for (int e = 0; e < batch.size(); e++) {
            learnOne(batch.user(e), batch.item(e), batch.rating(e), users, items);
        }
        changed.setGlobal(stats.mean(), batch.isEmpty() ? Long.MIN_VALUE : batch.maxTimestamp());
        return changed;
    }

    @Override
    public ChangedRows process(MiniBatch batch, Rows users, Rows items) {
        if (params.update() == UpdateMode.BATCH) {
            predict(batch, users, items);
            return learn(batch, users, items);
        }
        // Sequential, like BiasedMf: each event sees the mean of every earlier one.
        changed.clear();
        for (int e = 0; e < batch.size(); e++) {
            boolean cold = users.get(batch.user(e)) == null || items.get(batch.item(e)) == null;
            batch.setPrediction(e, (float) stats.mean(), cold);
            learnOne(batch.user(e), batch.item(e), batch.rating(e), users, items);
        }
        changed.setGlobal(stats.mean(), batch.isEmpty() ? Long.MIN_VALUE : batch.maxTimestamp());
        return changed;
    }

    private void learnOne(long user, long item, float r, Rows users, Rows items) {
        // Presence markers only, so cold-start counts match the other models; they carry no parameters.
        if (users.get(user) == null) {
            users.put(user, marker);
        }
        if (items.get(item) == null) {
            items.put(item, marker);
        }
        stats.add(r);
    }

    @Override
    public float score(float[] userRow, float[] itemRow) {
        return (float) stats.mean();
    }

    /** Every item scores μ: the mean model has no list to offer, so ranks fall to the catalogue's tie order. */
    @Override
    public CatalogueRanker catalogueRanker(float[][] itemRows, int count) {
        float mean = (float) stats.mean();
        return (userRow, out) -> java.util.Arrays.fill(out, 0, count, mean);
    }

    @Override
    public GlobalStats global() {
        return stats.snapshot();
    }

    @Override
    public void restoreGlobal(GlobalStats restored) {
        stats.restore(restored);
    }
}
