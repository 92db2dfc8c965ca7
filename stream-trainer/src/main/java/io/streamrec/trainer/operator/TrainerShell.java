package io.streamrec.trainer.operator;

import io.streamrec.common.event.PrequentialMetrics;
import io.streamrec.common.event.Rating;
import io.streamrec.model.Rows;
import io.streamrec.model.eval.RatedItems;
import io.streamrec.trainer.TrainerSettings;
import io.streamrec.trainer.core.BatchClock;
import io.streamrec.trainer.core.TrainerCore;
import io.streamrec.trainer.core.TrainerCounters;
import io.streamrec.trainer.core.TrainerOutput;
import io.streamrec.trainer.exchange.Incarnation;
import io.streamrec.trainer.exchange.ExchangeMessage;
import io.streamrec.trainer.io.ExchangeMessageTypeInfo;
import io.streamrec.trainer.io.FactorUpdate;
import io.streamrec.trainer.io.ModelUpdate;
import io.streamrec.trainer.snapshot.RestorePlan;
import io.streamrec.trainer.snapshot.TrainerSnapshot;
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
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Adapts a {@link TrainerCore} to Flink, and does nothing else: declares the state (user rows as keyed
 * {@code ValueState<float[]>}, RocksDB in production; the core's snapshot blob as union operator state, so any
 * parallelism can restore it), turns the core's wake-ups into processing-time timers, its outputs into the main
 * output and the {@link #METRICS}, {@link #ITEM_DELTAS} and {@link #MODELS} side outputs, its counters into Flink metrics, and
 * closes the open batch before every barrier. The two operators differ only in their inputs:
 * {@link MiniBatchTrainerOperator} (ratings) and {@link ExchangingTrainerOperator} (ratings and item deltas).
 */
public abstract class TrainerShell extends AbstractStreamOperator<FactorUpdate> {

    private static final long serialVersionUID = 1L;
    /** Hides Flink's inherited {@code LOG} (category AbstractStreamOperator, usually at WARN). */
    private static final Logger LOG = LoggerFactory.getLogger(TrainerShell.class);

    public static final OutputTag<PrequentialMetrics> METRICS = new OutputTag<>("metrics") {
    };
    /** Item deltas and dense weights for the exchange topic. */
    public static final OutputTag<ExchangeMessage> ITEM_DELTAS = new OutputTag<>("item-deltas", ExchangeMessageTypeInfo.INSTANCE);
    /** The model's dense weights for the models topic (subtask 0, at barriers). */
    public static final OutputTag<ModelUpdate> MODELS = new OutputTag<>("models") {
    };

    private static final String USER_ROWS = "user-rows";
    private static final String RATED_ITEMS = "rated-items";
    /**
     * Each user's remembered rated items are cut back to the newest this many when read for a ranked event: keyed
     * state stays bounded by about this plus the ranking interval per user (appends are blind merges, not reads).
     */
    static final int MAX_RATED_ITEMS = 2000;

    protected final TrainerSettings settings;

    private transient volatile TrainerCore core;
    private transient ValueState<float[]> userState;
    private transient ListState<Long> ratedState;
    private transient ListState<byte[]> subtaskState;
    private transient Counter eventsCounter;
    private transient Counter batchesCounter;
    private transient Counter deltasApplied;
    private transient Counter deltasDiscarded;

    protected TrainerShell(TrainerSettings settings) {
        this.settings = settings;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        var taskInfo = getRuntimeContext().getTaskInfo();
        int subtask = taskInfo.getIndexOfThisSubtask();
        int parallelism = taskInfo.getNumberOfParallelSubtasks();
        var ttl = UserStateTtl.of(java.time.Duration.ofMillis(settings.userTtlMs()));
        var userRows = new ValueStateDescriptor<>(USER_ROWS, PrimitiveArrayTypeInfo.FLOAT_PRIMITIVE_ARRAY_TYPE_INFO);
        var ratedItems = new ListStateDescriptor<>(RATED_ITEMS, Long.class);
        if (ttl.isEnabled()) {
            userRows.enableTimeToLive(ttl);
            ratedItems.enableTimeToLive(ttl);
        }
        userState = context.getKeyedStateStore().getState(userRows);
        ratedState = context.getKeyedStateStore().getListState(ratedItems);
        subtaskState = context.getOperatorStateStore().getUnionListState(
                new ListStateDescriptor<>("item-table", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        core = new TrainerCore(settings.createModel(), settings,
                new Incarnation(settings.runId(), taskInfo.getAttemptNumber(), subtask),
                new KeyedUserRows(), settings.ranks() ? new KeyedRatedItems() : new NoRatedItems(), new Outputs(),
                new ProcessingTimeClock(), new FlinkCounters());
        if (context.isRestored()) {
            List<TrainerSnapshot> snapshots = new ArrayList<>();
            for (byte[] bytes : subtaskState.get()) {
                snapshots.add(TrainerSnapshot.decode(bytes));
            }
            RestorePlan.of(snapshots, subtask, parallelism, settings::metricsSource).ifPresent(core::restore);
            try (Stream<Object> keys = getKeyedStateBackend().getKeys(USER_ROWS, VoidNamespace.INSTANCE)) {
                LOG.info("trainer-{} restored {} user rows from keyed state", subtask, keys.count());
            }
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        MetricGroup g = getMetricGroup().addGroup("trainer");
        eventsCounter = g.counter("events");
        batchesCounter = g.counter("batches");
        deltasApplied = g.counter("itemDeltasApplied");
        deltasDiscarded = g.counter("itemDeltasDiscarded");
        g.gauge("items", (Gauge<Integer>) () -> core.itemCount());
        g.gauge("trained", (Gauge<Long>) () -> core.trainedCount());
        g.gauge("windowRmse", (Gauge<Double>) () -> core.lastReport().windowRmse());
        g.gauge("windowMae", (Gauge<Double>) () -> core.lastReport().windowMae());
        g.gauge("cumulativeRmse", (Gauge<Double>) () -> core.lastReport().cumulativeRmse());
        g.gauge("coldStartShare", (Gauge<Double>) () -> core.lastReport().coldStartShare());
        g.gauge("eventsPerSecond", (Gauge<Double>) () -> core.lastReport().eventsPerSecond());
        g.gauge("driftEvents", (Gauge<Long>) () -> core.lastReport().driftEvents());
        g.gauge("globalMean", (Gauge<Double>) () -> core.globalMean());
        g.gauge("rankingSamples", (Gauge<Long>) () -> ranking().samples());
        g.gauge("windowRecallAt10", (Gauge<Double>) () -> ranking().windowHitAt10());
        g.gauge("windowRecallAt50", (Gauge<Double>) () -> ranking().windowHitAt50());
        g.gauge("windowMrr", (Gauge<Double>) () -> ranking().windowMrr());
        g.gauge("windowNdcgAt10", (Gauge<Double>) () -> ranking().windowNdcgAt10());
        if (core.model() instanceof io.streamrec.model.HybridModel hybrid) {
            // Ratings learned before their item's or user's metadata had arrived (no features to learn them with).
            g.gauge("eventsWithoutItemFeatures", (Gauge<Long>) hybrid::eventsWithoutItemFeatures);
            g.gauge("eventsWithoutUserFeatures", (Gauge<Long>) hybrid::eventsWithoutUserFeatures);
        }
    }

    private io.streamrec.common.event.RankingMetrics ranking() {
        io.streamrec.common.event.RankingMetrics r = core.lastReport().ranking();
        return r != null ? r : io.streamrec.common.event.RankingMetrics.none(settings.rankingUserPanel(), settings.rankingEvery());
    }

    /** Input: one rating for the open batch. */
    protected void addRating(StreamRecord<Rating> record) {
        keepingKey(() -> core.add(record.getValue()));
    }

    /** Input: one rating with its joined side features (hybrid), for the open batch. */
    protected void addFeaturedRating(StreamRecord<io.streamrec.trainer.io.FeaturedRating> record) {
        io.streamrec.trainer.io.FeaturedRating r = record.getValue();
        keepingKey(() -> core.add(r.rating(), r.itemFeatures(), r.userFeatures()));
    }

    /** Input: an item delta or dense weights from the exchange topic. */
    protected void applyDelta(ExchangeMessage message) {
        core.applyDelta(message);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        keepingKey(core::flushAll);
    }

    @Override
    public void finish() throws Exception {
        keepingKey(core::flushAll);
        super.finish();
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        subtaskState.update(List.of(core.snapshot(context.getCheckpointId()).encode()));
    }

    /** Runs {@code r}, which may switch the key context to read and write user rows, then switches it back. */
    private void keepingKey(Runnable r) {
        Object previousKey = getCurrentKey();
        try {
            r.run();
        } finally {
            if (previousKey != null) {
                setCurrentKey(previousKey);
            }
        }
    }

    // ------------------------------------------------------------------ for tests

    public long trainedCount() {
        return core.trainedCount();
    }

    public int openBatchSize() {
        return core.openBatchSize();
    }

    public int itemCount() {
        return core.itemCount();
    }

    public double globalMean() {
        return core.globalMean();
    }

    public float[] itemRow(long id) {
        return core.itemRow(id);
    }

    /** The model the core trains (tests read its dense state and features). */
    public io.streamrec.model.OnlineModel model() {
        return core.model();
    }

    // ------------------------------------------------------------------ what the core is given

    /** User rows in keyed state: the key context is switched to each user read or written. */
    private final class KeyedUserRows implements Rows {
        @Override
        public float[] get(long user) {
            setCurrentKey(user);
            try {
                return userState.value();
            } catch (IOException e) {
                throw new UncheckedIOException("reading the row of user " + user, e);
            }
        }

        @Override
        public void put(long user, float[] row) {
            setCurrentKey(user);
            try {
                userState.update(row);
            } catch (IOException e) {
                throw new UncheckedIOException("writing the row of user " + user, e);
            }
        }
    }

    /**
     * Rated items in keyed list state: an append is a blind merge (RocksDB reads nothing), so only ranked events pay
     * a read; a read that finds more than {@link #MAX_RATED_ITEMS} rewrites the newest ones (and drops re-ratings).
     */
    private final class KeyedRatedItems implements RatedItems {
        @Override
        public void forEach(long user, java.util.function.LongConsumer action) {
            setCurrentKey(user);
            try {
                Iterable<Long> items = ratedState.get();
                if (items == null) {
                    return;
                }
                java.util.ArrayList<Long> all = new java.util.ArrayList<>();
                items.forEach(all::add);
                if (all.size() > MAX_RATED_ITEMS) {
                    java.util.LinkedHashSet<Long> newest = new java.util.LinkedHashSet<>(
                            all.subList(all.size() - MAX_RATED_ITEMS, all.size()));
                    ratedState.update(new java.util.ArrayList<>(newest));
                    all = new java.util.ArrayList<>(newest);
                }
                for (long id : all) {
                    action.accept(id);
                }
            } catch (Exception e) {
                throw new IllegalStateException("reading the rated items of user " + user, e);
            }
        }

        @Override
        public void add(long user, long item) {
            setCurrentKey(user);
            try {
                ratedState.add(item);
            } catch (Exception e) {
                throw new IllegalStateException("noting item " + item + " as rated by user " + user, e);
            }
        }
    }

    /** Ranking off: nothing is remembered. */
    private static final class NoRatedItems implements RatedItems {
        @Override
        public void forEach(long user, java.util.function.LongConsumer action) {
        }

        @Override
        public void add(long user, long item) {
        }
    }

    private final class Outputs implements TrainerOutput {
        @Override
        public void factor(FactorUpdate update) {
            output.collect(new StreamRecord<>(update));
        }

        @Override
        public void metrics(PrequentialMetrics report) {
            output.collect(METRICS, new StreamRecord<>(report));
        }

        @Override
        public void exchange(ExchangeMessage message) {
            output.collect(ITEM_DELTAS, new StreamRecord<>(message));
        }

        @Override
        public void model(ModelUpdate update) {
            output.collect(MODELS, new StreamRecord<>(update));
        }
    }

    private final class ProcessingTimeClock implements BatchClock {
        @Override
        public long nowMs() {
            return getProcessingTimeService().getCurrentProcessingTime();
        }

        @Override
        public void wakeUpAt(long deadlineMs) {
            getProcessingTimeService().registerTimer(deadlineMs, time -> keepingKey(() -> core.onWakeUp(time)));
        }
    }

    private final class FlinkCounters implements TrainerCounters {
        @Override
        public void batchTrained(int events) {
            eventsCounter.inc(events);
            batchesCounter.inc();
        }

        @Override
        public void deltaApplied() {
            deltasApplied.inc();
        }

        @Override
        public void deltaDiscarded() {
            deltasDiscarded.inc();
        }
    }
}
