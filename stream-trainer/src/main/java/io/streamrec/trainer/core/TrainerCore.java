package io.streamrec.trainer.core;

import io.streamrec.common.event.FactorKey;
import io.streamrec.common.event.FactorRow;
import io.streamrec.common.event.PrequentialMetrics;
import io.streamrec.common.event.Rating;
import io.streamrec.model.ChangedRows;
import io.streamrec.model.MfHyperParameters;
import io.streamrec.model.MiniBatch;
import io.streamrec.model.OnlineModel;
import io.streamrec.model.PopularityHyperParameters;
import io.streamrec.model.PopularityModel;
import io.streamrec.model.RowLayout;
import io.streamrec.model.RowTable;
import io.streamrec.model.Rows;
import io.streamrec.model.eval.InMemoryRatedItems;
import io.streamrec.model.eval.RatedItems;
import io.streamrec.trainer.TrainerSettings;
import io.streamrec.trainer.exchange.Incarnation;
import io.streamrec.trainer.exchange.DenseWeights;
import io.streamrec.trainer.exchange.ExchangeMessage;
import io.streamrec.trainer.exchange.ItemExchange;
import io.streamrec.trainer.io.FactorUpdate;
import io.streamrec.trainer.io.ModelUpdate;
import io.streamrec.trainer.snapshot.RestorePlan;
import io.streamrec.trainer.snapshot.TrainerSnapshot;
import io.streamrec.trainer.snapshot.ModelCompatibility;
import io.streamrec.model.dense.DenseCodec;
import io.streamrec.model.dense.DenseParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * One trainer subtask's learning, without Flink: drives the {@link OnlineModel} one mini-batch at a time. Ratings
 * are buffered in an {@link OpenBatch}; a closed batch is processed as gather ► predict ► learn ► scatter:
 * <ol>
 *   <li>gather: each distinct user's row is read once from the {@link Rows} the shell backs with keyed state
 *       (RocksDB in production) into a per-batch view;</li>
 *   <li>predict (prequential, before learning) and learn, through {@link OnlineModel#process}; item rows come from
 *       this subtask's item table through the {@link ItemExchange} strategy's view;</li>
 *   <li>scatter: changed user rows are written back, changed rows are noted in {@link DirtyRows}.</li>
 * </ol>
 * Changed rows are emitted coalesced (per batch, or per checkpoint when output is transactional), prequential
 * reports every {@code metricsEvery} events and at each barrier. {@link #snapshot} and {@link #restore} turn the
 * item table, μ and the counters into a {@link TrainerSnapshot} and back. Single-threaded, like the operator.
 * (About 300 lines: the batch cycle and the snapshot of what it built read best together; the parts with rules of
 * their own, batch closing, coalescing, exchange, restore planning, are classes of their own.)
 */
public final class TrainerCore {

    private static final Logger LOG = LoggerFactory.getLogger(TrainerCore.class);

    private final OnlineModel model;
    private final RowLayout layout;
    private final TrainerSettings settings;
    private final Incarnation self;
    private final String source;
    private final Rows users;
    private final TrainerOutput output;
    private final BatchClock clock;
    private final TrainerCounters counters;
    private final OpenBatch open;
    private final RowTable userView;
    private final HashSet<Long> gathered = new HashSet<>();
    private final RowTable items = new RowTable(16_384);
    private final ItemExchange exchange;
    private final DirtyRows dirty = new DirtyRows();
    private final PrequentialTracker tracker;
    /** Each user's rated items, for the ranking's exclusions (keyed state in the operator). */
    private final RatedItems rated;
    /** Sources of subtasks a rescale removed (their counts now live in subtask 0): retired in the next report. */
    private final List<String> retiredSources = new ArrayList<>();

    private long trained;
    private long batches;
    /** The dense weights changed (learned, averaged, restored) since they were last emitted to the models topic. */
    private boolean denseChanged;
    private boolean othersRetired;
    private long nextReportAt;
    private long reportedAt;

    /** Rated items kept in unbounded memory: for tests and single-process use (the operator keeps them in keyed state). */
    public TrainerCore(OnlineModel model, TrainerSettings settings, Incarnation self, Rows users, TrainerOutput output,
                       BatchClock clock, TrainerCounters counters) {
        this(model, settings, self, users, new InMemoryRatedItems(), output, clock, counters);
    }

    /**
     * @param users where user rows live (keyed state in the operator, a map in tests); read once per distinct user
     *              per batch, written once per changed user
     * @param rated where each user's rated items live for the ranking metrics (keyed state in the operator; unbounded
     *              memory in the other constructor, for tests); added to for every event when ranking is on
     */
    public TrainerCore(OnlineModel model, TrainerSettings settings, Incarnation self, Rows users, RatedItems rated,
                       TrainerOutput output, BatchClock clock, TrainerCounters counters) {
        if (model instanceof PopularityModel p && p.popularityHyperParameters().decays() && settings.exchangeItems()) {
            // Decayed popularity is kept in the log domain, where subtasks' item deltas do not add up.
            throw new IllegalArgumentException("popular with a half-life cannot exchange item rows between subtasks: "
                    + "run it at parallelism 1 or without " + PopularityHyperParameters.Keys.HALF_LIFE_HOURS);
        }
        this.rated = rated;
        this.model = model;
        this.layout = model.layout();
        this.settings = settings;
        this.self = self;
        this.source = settings.metricsSource(self.subtask());
        this.users = users;
        this.output = output;
        this.clock = clock;
        this.counters = counters;
        MfHyperParameters hp = model.hyperParameters();
        this.open = new OpenBatch(hp.batchSize(), hp.batchTimeoutMs(), clock);
        this.userView = new RowTable(Math.min(hp.batchSize(), 1 << 16));
        this.exchange = ItemExchange.create(settings.exchangeItems(), self, settings.exchangeIntervalMs(),
                settings.maxDirtyRows(), items, model);
        this.tracker = new PrequentialTracker(source, model, settings.rankingEvery(), settings.rankingUserPanel(),
                model.hyperParameters().seed() * 31 + self.subtask(), model.hyperParameters().seed());
        scheduleReports();
    }

    // ------------------------------------------------------------------ input

    /** Adds one rating to the open batch; processes the batch when it is full. */
    public void add(Rating r) {
        if (open.add(r)) {
            processBatch();
        }
    }

    /**
     * Adds one rating with the side features joined to it (null: that metadata had not arrived): a hybrid model
     * learns it with them; other families ignore them.
     */
    public void add(Rating r, io.streamrec.model.features.ItemFeatures item, io.streamrec.model.features.UserFeatures user) {
        if (model instanceof io.streamrec.model.HybridModel h) {
            if (item != null) {
                h.features().putItem(r.item(), item);
            }
            if (user != null) {
                h.features().putUser(r.user(), user);
            }
        }
        add(r);
    }

    /** The wake-up {@link BatchClock#wakeUpAt} asked for: processes the open batch if its timeout passed. */
    public void onWakeUp(long timeMs) {
        if (open.onWakeUp(timeMs)) {
            processBatch();
        }
    }

    /** Handles a message read from the exchange topic (an item delta, or another subtask's dense weights). */
    public void applyDelta(ExchangeMessage message) {
        switch (exchange.apply(message)) {
            case APPLIED -> {
                counters.deltaApplied();
                if (message instanceof DenseWeights) {
                    denseChanged = true;
                }
            }
            case DISCARDED -> counters.deltaDiscarded();
            case OWN -> {
            }
        }
    }

    /**
     * Closes the open batch and emits everything pending, so what follows (a barrier, end of input) sees it all:
     * changed rows, on subtask 0 the dense weights when they changed (so a reader gets the weights and the rows of
     * the same checkpoint together), the exchange's pending messages, a report.
     */
    public void flushAll() {
        processBatch();
        emitChangedRows();
        emitModel();
        exchange.publish(output::exchange);
        if (trained > reportedAt) {
            report();
        }
    }

    // ------------------------------------------------------------------ the batch

    private void processBatch() {
        MiniBatch batch = open.batch();
        int n = batch.size();
        if (n == 0) {
            return;
        }
        long start = LOG.isDebugEnabled() ? System.nanoTime() : 0;
        gather(batch);
        Rows itemView = exchange.startBatch();
        // Ranked with the state before the batch, as its rating predictions are.
        tracker.rankBefore(batch, userView, items, rated);
        ChangedRows changed = model.process(batch, userView, itemView);
        tracker.record(batch);
        scatter(changed);
        exchange.batchLearned(batch, changed);
        trained += n;
        batches++;
        counters.batchTrained(n);
        batch.clear();

        if (settings.emitEveryBatch() || dirty.rows() >= settings.maxDirtyRows()) {
            emitChangedRows();
        }
        denseChanged = true;
        exchange.publishIfDue(clock::nowMs, output::exchange);
        if (trained >= nextReportAt) {
            report();
            scheduleReports();
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} batch {}: {} events, {} distinct users, {} user and {} item rows changed, {} rows pending, {} µs",
                    source, batches, n, gathered.size(), changed.userCount(), changed.itemCount(), dirty.rows(),
                    (System.nanoTime() - start) / 1000);
        }
    }

    /** One read per distinct user of the batch, found or not. */
    private void gather(MiniBatch batch) {
        userView.clear();
        gathered.clear();
        for (int i = 0; i < batch.size(); i++) {
            long u = batch.user(i);
            if (gathered.add(u)) {
                float[] row = users.get(u);
                if (row != null) {
                    model.requireUserShape(row);
                    userView.put(u, row);
                }
            }
        }
    }

    private void scatter(ChangedRows changed) {
        long ts = changed.newestEventTimeMs();
        for (int k = 0; k < changed.userCount(); k++) {
            long u = changed.userId(k);
            float[] row = changed.userRow(k);
            users.put(u, row);
            dirty.user(u, row, ts);
        }
        for (int k = 0; k < changed.itemCount(); k++) {
            dirty.item(changed.itemId(k), ts);
        }
        dirty.global(ts);
    }

    private void emitChangedRows() {
        long version = trained;
        dirty.drainRows(version, items, model, output::factor);
        if (dirty.takeGlobal()) {
            output.factor(globalFactor(version, dirty.globalEventTimeMs()));
        }
    }

    /**
     * Subtask 0 publishes the dense weights (weights only) when they changed since it last did; MF has none. Once per
     * run it first retires the weights of every family the job does not train (tombstones): the factor rows on these
     * topics are now this set's, and a scorer still holding, say, DL+ weights after the trainer switched to MF would
     * rank MF rows through a network that never saw them. Families trained beside this one keep theirs.
     */
    private void emitModel() {
        if (self.subtask() != 0) {
            return;
        }
        if (!othersRetired) {
            othersRetired = true;
            for (io.streamrec.model.ModelKind k : io.streamrec.model.ModelKind.values()) {
                if (!settings.familySet().contains(k.id())) {
                    output.model(ModelUpdate.retired(k.id()));
                }
            }
        }
        if (!denseChanged) {
            return;
        }
        denseChanged = false;
        model.denseParameters().map(DenseParameters::weightsOnly).ifPresent(p ->
                output.model(new ModelUpdate(model.kind().id(), DenseCodec.encode(p))));
    }

    /**
     * The GLOBAL factor record: μ as its bias; its vector tells the scorer how to turn row terms into served ratings
     * exactly as the model predicts (layout in {@link FactorRow}; empty for a model without that output arithmetic).
     */
    private FactorUpdate globalFactor(long version, long eventTimeMs) {
        return new FactorUpdate(FactorKey.GLOBAL, new FactorRow(version, (float) model.global().mean(),
                model.globalOutputVector(), eventTimeMs));
    }

    private void report() {
        for (String retired : retiredSources) {
            output.metrics(MetricsReports.retired(retired, System.currentTimeMillis()));
        }
        retiredSources.clear();
        PrequentialMetrics m = tracker.report();
        reportedAt = trained;
        output.metrics(m);
    }

    private void scheduleReports() {
        nextReportAt = (trained / settings.metricsEvery() + 1) * settings.metricsEvery();
    }

    // ------------------------------------------------------------------ snapshot and restore

    /**
     * This subtask's snapshot: the item table as it would be had every published delta already been applied
     * everywhere (see {@link ItemExchange#rowsWithoutInFlight}), μ likewise, the counters and the evaluator.
     *
     * @throws IllegalStateException when a batch is still open: it must have been flushed before the barrier
     */
    public TrainerSnapshot snapshot(long checkpointId) {
        MiniBatch batch = open.batch();
        if (!batch.isEmpty()) {
            // Anything emitted now would land after the barrier: the batch must have been flushed before it.
            throw new IllegalStateException(batch.size() + " ratings still in the open mini-batch at snapshot "
                    + checkpointId + ": prepareSnapshotPreBarrier must flush it first");
        }
        Map<Long, float[]> adjusted = exchange.rowsWithoutInFlight();
        long[] ids = new long[items.size()];
        float[][] rows = new float[items.size()][];
        int[] k = {0};
        items.forEach((id, row) -> {
            ids[k[0]] = id;
            float[] a = adjusted.get(id);
            rows[k[0]++] = a != null ? a : row;
        });
        TrainerSnapshot s = new TrainerSnapshot(self.subtask(), self.origin(), exchange.lastSequence(), trained, batches,
                exchange.globalWithoutInFlight(model.global()), ids, rows, tracker.state(), model.fingerprint(),
                model.denseParameters().map(DenseCodec::encode).orElse(new byte[0]));
        LOG.debug("{} snapshot {}: {} items ({} adjusted for deltas in flight), {} events trained", source, checkpointId,
                ids.length, adjusted.size(), trained);
        return s;
    }

    /** Continues from a checkpoint (see {@link RestorePlan} for what a subtask takes from whose snapshot). */
    public void restore(RestorePlan plan) {
        TrainerSnapshot base = plan.base();
        ModelCompatibility.check(base, model);
        for (int i = 0; i < base.itemIds().length; i++) {
            float[] row = base.itemRows()[i];
            layout.requireShape(row);
            items.put(base.itemIds()[i], row);
        }
        model.restoreGlobal(base.global());
        plan.dense().ifPresent(d -> {
            model.restoreDense(d);
            denseChanged = true;
        });
        trained += plan.trained();
        batches += plan.batches();
        retiredSources.addAll(plan.retiredSources());
        exchange.restoreOrigins(plan.lastSequenceByOrigin());
        if (plan.evaluator() != null) {
            tracker.restore(plan.evaluator(), trained);
        } else {
            tracker.restoreCount(trained);
        }
        scheduleReports();
        reportedAt = trained;
        LOG.info("{} restored {} items and μ over {} ratings from subtask {} of {} snapshots, {} events in {} batches "
                        + "trained before, prequential curves {}, {} sources retired", source, items.size(),
                model.global().count(), base.subtask(), plan.snapshots(), trained, batches,
                plan.evaluator() != null ? "continued" : "restarted", plan.retiredSources().size());
    }

    // ------------------------------------------------------------------ for gauges and tests

    /** Events learned by this subtask since the job started (restored exactly from checkpoints). */
    public long trainedCount() {
        return trained;
    }

    public int openBatchSize() {
        return open.batch().size();
    }

    public int itemCount() {
        return items.size();
    }

    /** The global mean μ the model uses. */
    /** The model this core trains (for gauges and tests: the core is its only writer). */
    public OnlineModel model() {
        return model;
    }

    public double globalMean() {
        return model.global().mean();
    }

    /** A copy of this subtask's item row, or null when it has none. */
    public float[] itemRow(long id) {
        float[] row = items.get(id);
        return row == null ? null : row.clone();
    }

    /** The latest prequential report (immutable; safe to read from the metric reporter's thread). */
    public PrequentialMetrics lastReport() {
        return tracker.last();
    }
}
