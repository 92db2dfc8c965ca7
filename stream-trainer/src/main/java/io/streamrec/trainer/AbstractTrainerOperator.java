package io.streamrec.trainer;

import io.streamrec.common.event.FactorKey;
import io.streamrec.common.event.FactorKind;
import io.streamrec.common.event.FactorRow;
import io.streamrec.common.event.PrequentialMetrics;
import io.streamrec.common.event.Rating;
import io.streamrec.model.BiasedMf;
import io.streamrec.model.ChangedRows;
import io.streamrec.model.GlobalStats;
import io.streamrec.model.MfHyperParameters;
import io.streamrec.model.MiniBatch;
import io.streamrec.model.OnlineModel;
import io.streamrec.model.RowLayout;
import io.streamrec.model.RowTable;
import io.streamrec.model.Rows;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The mini-batch trainer. Ratings arrive keyed by user; they are buffered into a {@link MiniBatch} that closes at
 * the batch size or the batch timeout (processing time), whichever first, and at every checkpoint barrier (so a
 * snapshot never holds half a batch). A closed batch is processed as gather ► predict ► learn ► scatter:
 * <ol>
 *   <li>gather: the key context is switched to each distinct user of the batch to read its row from keyed
 *       {@code ValueState<float[]>} (RocksDB in production) into a per-batch view;</li>
 *   <li>predict (prequential, before learning) and learn, through {@link OnlineModel#process};</li>
 *   <li>scatter: changed user rows are written back to keyed state; item rows live in this subtask's
 *       {@link RowTable}, snapshotted as union operator state so any parallelism can restore it.</li>
 * </ol>
 * Changed rows are emitted to {@code factors} coalesced (per batch, or per checkpoint when output is transactional),
 * prequential reports to {@link #METRICS} every {@code metricsEvery} events and at each checkpoint.
 *
 * <p>With parallelism &gt; 1 ({@link TrainerSettings#exchangeItems()}), each subtask also publishes what it changed in
 * its item table as {@link ItemDelta}s and adds everyone else's, so the copies converge. See
 * {@link #snapshotState} for how the snapshot stays consistent with deltas still in flight.
 */
public abstract class AbstractTrainerOperator extends AbstractStreamOperator<FactorUpdate> {

    private static final long serialVersionUID = 1L;

    public static final OutputTag<PrequentialMetrics> METRICS = new OutputTag<>("metrics") {
    };
    public static final OutputTag<ItemDelta> ITEM_DELTAS = new OutputTag<>("item-deltas") {
    };

    /** Item deltas are split into messages of at most this many rows, keeping each Kafka record well under 1 MB. */
    static final int MAX_ROWS_PER_DELTA = 1024;

    protected final TrainerSettings settings;

    private transient OnlineModel model;
    private transient RowLayout layout;
    private transient MiniBatch batch;
    private transient RowTable userView;
    private transient java.util.HashSet<Long> gathered;
    private transient RowTable items;
    private transient ItemRows itemRows;
    private transient volatile PrequentialTracker tracker;

    private transient ValueState<float[]> userState;
    private transient ListState<byte[]> subtaskState;

    private transient int subtask;
    private transient String source;
    private transient String origin;
    private transient String incarnation;
    /** Deltas of earlier incarnations published before the restored checkpoint: origin → last valid sequence. */
    private transient HashMap<String, Long> restoredOrigins;
    /** Sources of subtasks a rescale removed (their counts now live in subtask 0): retired in the next report. */
    private transient List<String> retiredSources;
    private transient long nextPublishAt;
    private transient long trained;
    private transient long batches;
    private transient long nextReportAt;
    private transient long reportedAt;
    private transient long batchDeadline;
    private transient boolean timerArmed;
    private transient long timerDeadline;

    private transient LinkedHashMap<Long, DirtyRow> dirtyUsers;
    private transient LinkedHashMap<Long, Long> dirtyItems;
    private transient boolean globalDirty;
    private transient long globalEventTime;

    // Exchange bookkeeping: own changes not yet published, and published ones not yet seen coming back.
    private transient HashMap<Long, float[]> unpublished;
    private transient long unpublishedCount;
    private transient double unpublishedSum;
    private transient float unpublishedMin;
    private transient float unpublishedMax;
    private transient ArrayDeque<ItemDelta> inFlight;
    private transient long deltaSequence;

    private transient Counter eventsCounter;
    private transient Counter batchesCounter;
    private transient Counter deltasApplied;
    private transient Counter deltasDiscarded;

    private record DirtyRow(float[] row, long eventTimeMs) {
    }

    protected AbstractTrainerOperator(TrainerSettings settings) {
        this.settings = settings;
    }

    // ------------------------------------------------------------------ lifecycle

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        model = settings.createModel();
        layout = model.layout();
        MfHyperParameters hp = model.hyperParameters();
        batch = new MiniBatch(hp.batchSize());
        userView = new RowTable(Math.min(hp.batchSize(), 1 << 16));
        gathered = new java.util.HashSet<>();
        items = new RowTable(16_384);
        itemRows = new ItemRows();
        dirtyUsers = new LinkedHashMap<>();
        dirtyItems = new LinkedHashMap<>();
        unpublished = new HashMap<>();
        inFlight = new ArrayDeque<>();
        unpublishedMin = Float.POSITIVE_INFINITY;
        unpublishedMax = Float.NEGATIVE_INFINITY;

        var taskInfo = getRuntimeContext().getTaskInfo();
        subtask = taskInfo.getIndexOfThisSubtask();
        int parallelism = taskInfo.getNumberOfParallelSubtasks();
        source = "trainer-" + subtask;
        // All subtasks restart together (the broadcast exchange makes the job one failover region), so the run id
        // and the attempt number name this incarnation of the whole job.
        incarnation = settings.runId() + "/" + taskInfo.getAttemptNumber() + "/";
        origin = incarnation + subtask;
        restoredOrigins = new HashMap<>();
        retiredSources = new ArrayList<>();
        tracker = new PrequentialTracker(source);

        userState = context.getKeyedStateStore().getState(
                new ValueStateDescriptor<>("user-rows", PrimitiveArrayTypeInfo.FLOAT_PRIMITIVE_ARRAY_TYPE_INFO));
        subtaskState = context.getOperatorStateStore().getUnionListState(
                new ListStateDescriptor<>("item-table", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));

        if (context.isRestored()) {
            restore(parallelism);
        }
        nextReportAt = (trained / settings.metricsEvery() + 1) * settings.metricsEvery();
        reportedAt = trained;
    }

    private void restore(int parallelism) throws Exception {
        List<TrainerSnapshot> snapshots = new ArrayList<>();
        for (byte[] bytes : subtaskState.get()) {
            snapshots.add(TrainerSnapshot.decode(bytes));
        }
        if (snapshots.isEmpty()) {
            return;
        }
        // Every snapshot holds the same logical item table (own in-flight deltas subtracted, see snapshotState):
        // take the lowest subtask's, so all new subtasks start from identical copies whatever the parallelism.
        TrainerSnapshot base = snapshots.stream().min((a, b) -> Integer.compare(a.subtask(), b.subtask())).orElseThrow();
        for (int i = 0; i < base.itemIds().length; i++) {
            float[] row = base.itemRows()[i];
            layout.requireShape(row);
            items.put(base.itemIds()[i], row);
        }
        model.restoreGlobal(base.global());
        // Counts stay exact across rescaling: subtask i continues old subtask i, subtask 0 also takes the counts of
        // old subtasks that no longer exist.
        for (TrainerSnapshot s : snapshots) {
            restoredOrigins.put(s.origin(), s.lastDeltaSequence());
            if (s.subtask() == subtask || (subtask == 0 && s.subtask() >= parallelism)) {
                trained += s.trained();
                batches += s.batches();
                if (s.subtask() != subtask) {
                    retiredSources.add("trainer-" + s.subtask());
                }
            }
        }
        TrainerSnapshot own = snapshots.stream().filter(s -> s.subtask() == subtask && s.evaluator() != null).findFirst().orElse(null);
        if (own != null && own.evaluator().count() <= trained) {
            tracker.restore(own.evaluator(), trained);
        } else {
            tracker.restoreCount(trained);
        }
        LOG.info("{} restored {} items from subtask {} of {} snapshots, {} events trained before", source,
                items.size(), base.subtask(), snapshots.size(), trained);
    }

    @Override
    public void open() throws Exception {
        super.open();
        MetricGroup g = getMetricGroup().addGroup("trainer");
        eventsCounter = g.counter("events");
        batchesCounter = g.counter("batches");
        deltasApplied = g.counter("itemDeltasApplied");
        deltasDiscarded = g.counter("itemDeltasDiscarded");
        g.gauge("items", (Gauge<Integer>) () -> items.size());
        g.gauge("trained", (Gauge<Long>) () -> trained);
        g.gauge("windowRmse", (Gauge<Double>) () -> tracker.last().windowRmse());
        g.gauge("windowMae", (Gauge<Double>) () -> tracker.last().windowMae());
        g.gauge("cumulativeRmse", (Gauge<Double>) () -> tracker.last().cumulativeRmse());
        g.gauge("coldStartShare", (Gauge<Double>) () -> tracker.last().coldStartShare());
        g.gauge("eventsPerSecond", (Gauge<Double>) () -> tracker.last().eventsPerSecond());
        g.gauge("driftEvents", (Gauge<Long>) () -> tracker.last().driftEvents());
        g.gauge("globalMean", (Gauge<Double>) () -> model.global().mean());
    }

    // ------------------------------------------------------------------ input

    /** Adds one rating to the open batch; closes the batch when full. */
    protected void addRating(StreamRecord<Rating> record) throws Exception {
        Rating r = record.getValue();
        if (batch.isEmpty()) {
            batchDeadline = getProcessingTimeService().getCurrentProcessingTime() + model.hyperParameters().batchTimeoutMs();
            armTimer(batchDeadline);
        }
        batch.add(r.user(), r.item(), r.rating(), r.timestampMs());
        if (batch.isFull()) {
            flushBatch();
        }
    }

    private void armTimer(long deadline) {
        // One timer at a time: if one is pending for an earlier deadline, it re-arms itself when it fires.
        if (!timerArmed) {
            timerArmed = true;
            timerDeadline = deadline;
            getProcessingTimeService().registerTimer(deadline, this::onTimer);
        }
    }

    private void onTimer(long time) throws Exception {
        timerArmed = false;
        if (batch.isEmpty()) {
            return;
        }
        if (time >= batchDeadline) {
            flushBatch();
        } else {
            armTimer(batchDeadline);
        }
    }

    /**
     * Adds another subtask's item changes to this subtask's copy; skips (and settles) our own. The exchange topic is
     * written at-least-once (so deltas are visible within milliseconds, not at the next commit), which means it can
     * hold deltas a failed incarnation published after its last checkpoint: those are recomputed after the restore,
     * so only deltas of the current incarnation, or of a restored one up to the sequence its snapshot covered, count.
     */
    protected void applyDelta(ItemDelta delta) {
        if (delta.origin().equals(origin)) {
            // Our own change came back: it is in every copy now (or will be, at the same offset), no longer in flight.
            inFlight.removeIf(d -> d.sequence() == delta.sequence());
            return;
        }
        if (!delta.origin().startsWith(incarnation)) {
            Long lastValid = restoredOrigins.get(delta.origin());
            if (lastValid == null || delta.sequence() > lastValid) {
                deltasDiscarded.inc();
                return;
            }
        }
        if (delta.width() != layout.width()) {
            throw new IllegalStateException("item delta from " + delta.origin() + " has rows of " + delta.width()
                    + " floats, this trainer's layout needs " + layout.width() + ": subtasks disagree on model settings");
        }
        int w = delta.width();
        float[] d = delta.deltas();
        for (int i = 0; i < delta.size(); i++) {
            long id = delta.items()[i];
            float[] row = items.get(id);
            if (row == null) {
                row = layout.newRow(FactorKind.ITEM, id);
                items.put(id, row);
            }
            for (int j = 0, base = i * w; j < w; j++) {
                row[j] += d[base + j];
            }
        }
        if (delta.ratingCount() > 0) {
            GlobalStats g = model.global();
            long n = g.count() + delta.ratingCount();
            double mean = (g.mean() * g.count() + delta.ratingSum()) / n;
            // A subtask that has learned nothing yet has min = +inf, max = -inf: take the sender's range then.
            model.restoreGlobal(new GlobalStats(mean, n, Math.min(g.minRating(), delta.ratingMin()),
                    Math.max(g.maxRating(), delta.ratingMax())));
        }
        deltasApplied.inc();
    }

    // ------------------------------------------------------------------ the batch

    private void flushBatch() throws Exception {
        int n = batch.size();
        if (n == 0) {
            return;
        }
        Object previousKey = getCurrentKey();
        // gather
        userView.clear();
        gathered.clear();
        for (int i = 0; i < n; i++) {
            long u = batch.user(i);
            if (gathered.add(u)) { // one state read per distinct user, found or not
                setCurrentKey(u);
                float[] row = userState.value();
                if (row != null) {
                    layout.requireShape(row);
                    userView.put(u, row);
                }
            }
        }
        // predict, then learn
        itemRows.startBatch(settings.exchangeItems());
        ChangedRows changed = model.process(batch, userView, itemRows);
        tracker.record(batch);
        // scatter
        long ts = changed.newestEventTimeMs();
        for (int k = 0; k < changed.userCount(); k++) {
            long u = changed.userId(k);
            float[] row = changed.userRow(k);
            setCurrentKey(u);
            userState.update(row);
            dirtyUsers.put(u, new DirtyRow(row, ts));
        }
        for (int k = 0; k < changed.itemCount(); k++) {
            long id = changed.itemId(k);
            dirtyItems.put(id, ts);
            if (settings.exchangeItems()) {
                accumulateOwnDelta(id, changed.itemRow(k));
            }
        }
        if (settings.exchangeItems()) {
            for (int i = 0; i < n; i++) {
                float r = batch.rating(i);
                unpublishedSum += r;
                unpublishedMin = Math.min(unpublishedMin, r);
                unpublishedMax = Math.max(unpublishedMax, r);
            }
            unpublishedCount += n;
        }
        globalDirty = true;
        globalEventTime = ts;
        if (previousKey != null) {
            setCurrentKey(previousKey);
        }

        trained += n;
        batches++;
        eventsCounter.inc(n);
        batchesCounter.inc();
        batch.clear();

        if (settings.emitEveryBatch() || dirtyUsers.size() + dirtyItems.size() >= settings.maxDirtyRows()) {
            emitChangedRows();
        }
        if (settings.exchangeItems()) {
            long now = getProcessingTimeService().getCurrentProcessingTime();
            if (now >= nextPublishAt || unpublished.size() >= settings.maxDirtyRows()) {
                publishDeltas();
                nextPublishAt = now + settings.exchangeIntervalMs();
            }
        }
        if (trained >= nextReportAt) {
            report();
            nextReportAt = (trained / settings.metricsEvery() + 1) * settings.metricsEvery();
        }
    }

    private void accumulateOwnDelta(long id, float[] after) {
        float[] before = itemRows.before(id);
        float[] acc = unpublished.get(id);
        if (acc == null) {
            acc = new float[after.length];
            unpublished.put(id, acc);
        }
        for (int j = 0; j < after.length; j++) {
            acc[j] += after[j] - before[j];
        }
    }

    private void emitChangedRows() {
        long version = trained;
        for (Map.Entry<Long, DirtyRow> e : dirtyUsers.entrySet()) {
            DirtyRow d = e.getValue();
            output.collect(new StreamRecord<>(new FactorUpdate(FactorKey.user(e.getKey()),
                    layout.toFactorRow(d.row(), version, d.eventTimeMs()))));
        }
        dirtyUsers.clear();
        for (Map.Entry<Long, Long> e : dirtyItems.entrySet()) {
            float[] row = items.get(e.getKey());
            output.collect(new StreamRecord<>(new FactorUpdate(FactorKey.item(e.getKey()),
                    layout.toFactorRow(row, version, e.getValue()))));
        }
        dirtyItems.clear();
        if (globalDirty) {
            // The vector tells the scorer how to turn row terms into served ratings exactly as the model predicts
            // (layout in FactorRow); a model without that output arithmetic publishes none (empty: serve μ + x).
            float[] outputLayout = model instanceof BiasedMf mf ? mf.globalOutputVector() : new float[0];
            output.collect(new StreamRecord<>(new FactorUpdate(FactorKey.GLOBAL,
                    new FactorRow(version, (float) model.global().mean(), outputLayout, globalEventTime))));
            globalDirty = false;
        }
    }

    private void publishDeltas() {
        if (!settings.exchangeItems() || (unpublished.isEmpty() && unpublishedCount == 0)) {
            return;
        }
        int w = layout.width();
        Iterator<Map.Entry<Long, float[]>> it = unpublished.entrySet().iterator();
        boolean first = true;
        while (it.hasNext() || first) {
            int rows = Math.min(MAX_ROWS_PER_DELTA, unpublished.size());
            long[] ids = new long[rows];
            float[] deltas = new float[rows * w];
            int k = 0;
            while (k < rows && it.hasNext()) {
                Map.Entry<Long, float[]> e = it.next();
                ids[k] = e.getKey();
                System.arraycopy(e.getValue(), 0, deltas, k * w, w);
                k++;
                it.remove();
            }
            ids = Arrays.copyOf(ids, k);
            deltas = Arrays.copyOf(deltas, k * w);
            // The rating sum travels once, with the first message.
            ItemDelta delta = new ItemDelta(origin, deltaSequence++, w, ids, deltas,
                    first ? unpublishedCount : 0, first ? unpublishedSum : 0.0,
                    first ? unpublishedMin : Float.POSITIVE_INFINITY, first ? unpublishedMax : Float.NEGATIVE_INFINITY);
            first = false;
            inFlight.add(delta);
            output.collect(ITEM_DELTAS, new StreamRecord<>(delta));
        }
        unpublishedCount = 0;
        unpublishedSum = 0;
        unpublishedMin = Float.POSITIVE_INFINITY;
        unpublishedMax = Float.NEGATIVE_INFINITY;
    }

    private void report() {
        // A count of 0 tells readers that sum the latest report per source that this one's events moved elsewhere.
        for (String retired : retiredSources) {
            output.collect(METRICS, new StreamRecord<>(new PrequentialMetrics(retired, 0, System.currentTimeMillis(), 0, 0,
                    Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, 0, io.streamrec.common.event.DriftState.STABLE, 0)));
        }
        retiredSources.clear();
        PrequentialMetrics m = tracker.report();
        reportedAt = trained;
        output.collect(METRICS, new StreamRecord<>(m));
    }

    // ------------------------------------------------------------------ checkpoints and end of input

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        flushAll();
    }

    @Override
    public void finish() throws Exception {
        flushAll();
        super.finish();
    }

    /** Closes the open batch and emits everything pending, so what follows (a barrier, end of input) sees it all. */
    private void flushAll() throws Exception {
        flushBatch();
        emitChangedRows();
        publishDeltas();
        if (trained > reportedAt) {
            report();
        }
    }

    /**
     * Snapshots the item table as it would be had every published delta already been applied everywhere: our own
     * deltas still in flight are subtracted, because after a restore they are read back from Kafka (the checkpointed
     * offsets precede them) and applied by every subtask, including the new incarnation of this one.
     */
    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        if (!batch.isEmpty()) {
            // Anything emitted now would land after the barrier: the batch must have been flushed before it.
            throw new IllegalStateException(batch.size() + " ratings still in the open mini-batch at snapshot "
                    + context.getCheckpointId() + ": prepareSnapshotPreBarrier must flush it first");
        }
        HashMap<Long, float[]> adjusted = new HashMap<>();
        long inFlightCount = 0;
        double inFlightSum = 0;
        for (ItemDelta d : inFlight) {
            int w = d.width();
            for (int i = 0; i < d.size(); i++) {
                long id = d.items()[i];
                float[] row = adjusted.computeIfAbsent(id, x -> items.get(x).clone());
                for (int j = 0; j < w; j++) {
                    row[j] -= d.deltas()[i * w + j];
                }
            }
            inFlightCount += d.ratingCount();
            inFlightSum += d.ratingSum();
        }
        long[] ids = new long[items.size()];
        float[][] rows = new float[items.size()][];
        int[] k = {0};
        items.forEach((id, row) -> {
            ids[k[0]] = id;
            float[] a = adjusted.get(id);
            rows[k[0]++] = a != null ? a : row;
        });
        GlobalStats g = model.global();
        if (inFlightCount > 0) {
            long n = Math.max(0, g.count() - inFlightCount);
            double mean = n == 0 ? g.mean() : (g.mean() * g.count() - inFlightSum) / n;
            g = new GlobalStats(mean, n, g.minRating(), g.maxRating());
        }
        subtaskState.update(List.of(new TrainerSnapshot(subtask, origin, deltaSequence - 1, trained, batches, g, ids, rows,
                tracker.state()).encode()));
    }

    // ------------------------------------------------------------------ for tests and subclasses

    /** Events learned by this subtask since the job started (restored exactly from checkpoints). */
    public long trainedCount() {
        return trained;
    }

    public int openBatchSize() {
        return batch.size();
    }

    public int itemCount() {
        return items.size();
    }

    /** The global mean μ this subtask's model uses. */
    public double globalMean() {
        return model.global().mean();
    }

    /** A copy of this subtask's item row, or null when it has none. */
    public float[] itemRow(long id) {
        float[] row = items.get(id);
        return row == null ? null : row.clone();
    }

    /**
     * Item rows as the model sees them. When exchanging, it also remembers each row as it was when the batch first
     * read it, so the change this batch made can be published as a delta.
     */
    private final class ItemRows implements Rows {
        private final HashMap<Long, float[]> before = new HashMap<>();
        private boolean track;

        void startBatch(boolean trackChanges) {
            before.clear();
            track = trackChanges;
        }

        float[] before(long id) {
            float[] b = before.get(id);
            return b != null ? b : layout.newRow(FactorKind.ITEM, id);
        }

        @Override
        public float[] get(long id) {
            float[] row = items.get(id);
            if (track && row != null && !before.containsKey(id)) {
                before.put(id, row.clone());
            }
            return row;
        }

        @Override
        public void put(long id, float[] row) {
            if (track && !before.containsKey(id) && items.get(id) != null) {
                before.put(id, items.get(id).clone());
            }
            items.put(id, row);
        }
    }
}
