package io.streamrec.trainer;

import io.streamrec.common.event.EventTimeBound;
import io.streamrec.common.config.ConfigException;
import io.streamrec.common.config.Settings;
import io.streamrec.common.topic.ModelFamilies;
import io.streamrec.model.MfHyperParameters;
import io.streamrec.model.ModelKind;
import io.streamrec.model.OnlineModel;
import io.streamrec.model.OnlineModels;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the trainer operator needs at run time, validated once and shipped inside the job graph. The model's
 * hyperparameters travel as their settings map (the record itself is not {@link Serializable}) and are rebuilt
 * with {@link OnlineModels#fromSettings} on the task, so job graph and CLI agree on one representation.
 *
 * @param hyperSettings      {@link MfHyperParameters#toSettings()} of the model plus {@code model.type}
 * @param metricsEvery       emit a prequential report every this many events per subtask (and at each checkpoint)
 * @param exchangeItems      whether subtasks exchange item-row deltas (parallelism &gt; 1)
 * @param exchangeIntervalMs publish this subtask's item deltas at most this often (and at every checkpoint barrier)
 * @param emitEveryBatch     emit changed rows after every batch; otherwise coalesce them until the next checkpoint
 *                           barrier (exactly-once output is invisible before the commit anyway)
 * @param maxDirtyRows       emit early when this many changed rows wait, bounding the heap they use
 * @param runId              names this submission of the job: item deltas of other runs (or of failed attempts of
 *                           this one) are told apart by it. Fixed in the job graph, so every subtask and every restart
 *                           of the same submission shares it; a new submission (new process) gets a new one.
 * @param eventTimeBound     how far ahead of the wall clock an event time may be; later ratings go to the DLQ
 * @param rankingEvery       for the prequential ranking metrics, rank one in this many of the panel users' events per
 *                           subtask (0 = off)
 * @param rankingUserPanel   only one user in this many (seeded hash of the id) takes part in the ranking, and only
 *                           their rated items are kept in keyed state
 * @param families           every family the job trains side by side, this one among them ({@link ModelFamilies});
 *                           empty = this family alone. Names the metrics sources and which families' weights on the
 *                           models topic this trainer retires (those not in the set).
 * @param userTtlMs          drop a user's keyed state (row, rated items) when the user has not been trained for this
 *                           long, in processing time (Flink's state TTL); 0 = never. An expired user comes back cold.
 */
public record TrainerSettings(Map<String, String> hyperSettings, long metricsEvery, boolean exchangeItems,
                              long exchangeIntervalMs, boolean emitEveryBatch, int maxDirtyRows, String runId,
                              EventTimeBound eventTimeBound, int rankingEvery, int rankingUserPanel,
                              List<String> families, long userTtlMs)
        implements Serializable {

    /**
     * One in 20 of the panel users' events is ranked, and the panel is one user in 50: one event in 1,000 overall.
     * Measured with {@code TrainerThroughputBench} (BENCHMARKS.md, "Stream trainer"): ranking one event in 1,000 of
     * every user's, which keeps every user's rated items, halved the trainer's throughput (one RocksDB write per
     * event); the panel keeps the writes and the state to one user in 50.
     */
    public static final int DEFAULT_RANKING_EVERY = 20;
    public static final int DEFAULT_RANKING_USER_PANEL = 50;

    public static final long DEFAULT_METRICS_EVERY = 10_000;
    public static final long DEFAULT_EXCHANGE_INTERVAL_MS = 200;
    public static final int DEFAULT_MAX_DIRTY_ROWS = 200_000;

    public TrainerSettings {
        hyperSettings = Map.copyOf(hyperSettings);
        if (metricsEvery < 1) {
            throw new ConfigException("--metrics-every must be at least 1, got " + metricsEvery);
        }
        if (exchangeIntervalMs < 0) {
            throw new ConfigException("--exchange-interval-ms must be >= 0, got " + exchangeIntervalMs);
        }
        if (runId == null || runId.isBlank() || runId.contains("/")) {
            throw new ConfigException("run id must be non-blank without '/', got '" + runId + "'");
        }
        if (maxDirtyRows < 1) {
            throw new ConfigException("max dirty rows must be at least 1, got " + maxDirtyRows);
        }
        java.util.Objects.requireNonNull(eventTimeBound, "eventTimeBound");
        if (rankingEvery < 0) {
            throw new ConfigException("--ranking-every must be >= 0 (0 = off), got " + rankingEvery);
        }
        if (rankingUserPanel < 1) {
            throw new ConfigException("--ranking-user-panel must be >= 1 (1 = every user), got " + rankingUserPanel);
        }
        OnlineModels.fromSettings(settings(hyperSettings)); // fail at build time, not on the task manager
        families = List.copyOf(families);
        if (userTtlMs < 0) {
            throw new ConfigException("--user-ttl must be >= 0 (0 = keep users for ever), got " + userTtlMs + " ms");
        }
        if (!families.isEmpty()) {
            String own = ModelKind.parse(family(hyperSettings)).id();
            if (!new ModelFamilies(families).contains(own)) {
                throw new ConfigException("family set " + families + " must contain this trainer's family " + own);
            }
        }
    }

    /** Alone in its job (no family set). */
    public TrainerSettings(Map<String, String> hyperSettings, long metricsEvery, boolean exchangeItems,
                           long exchangeIntervalMs, boolean emitEveryBatch, int maxDirtyRows, String runId,
                           EventTimeBound eventTimeBound, int rankingEvery, int rankingUserPanel) {
        this(hyperSettings, metricsEvery, exchangeItems, exchangeIntervalMs, emitEveryBatch, maxDirtyRows, runId,
                eventTimeBound, rankingEvery, rankingUserPanel, List.of(), 0);
    }

    private static String family(Map<String, String> hyperSettings) {
        return hyperSettings.getOrDefault(MfHyperParameters.Keys.TYPE, ModelKind.MF.id());
    }

    /** This trainer's family id ({@code mf}, {@code popular}, ...). */
    public String family() {
        return ModelKind.parse(family(hyperSettings)).id();
    }

    /** The family set of the job: {@link #families()}, or this family alone. */
    public ModelFamilies familySet() {
        return families.isEmpty() ? ModelFamilies.single(family()) : new ModelFamilies(families);
    }

    /** The metrics source of {@code subtask}: {@code trainer-0}, or {@code mf/trainer-0} beside other families. */
    public String metricsSource(int subtask) {
        return familySet().metricsSource(family(), subtask);
    }

    /** These settings as one family of {@code set}, with a run id of its own (exchange messages of the other families' branches are discarded by it). */
    public TrainerSettings inFamilySet(ModelFamilies set) {
        String run = set.several() ? runId + "." + family() : runId;
        return copy(c -> {
            c.runId = run;
            c.families = set.ids();
        });
    }

    /** With the {@linkplain #DEFAULT_RANKING_EVERY default} ranking sample. */
    public TrainerSettings(Map<String, String> hyperSettings, long metricsEvery, boolean exchangeItems,
                           long exchangeIntervalMs, boolean emitEveryBatch, int maxDirtyRows, String runId,
                           EventTimeBound eventTimeBound) {
        this(hyperSettings, metricsEvery, exchangeItems, exchangeIntervalMs, emitEveryBatch, maxDirtyRows, runId,
                eventTimeBound, DEFAULT_RANKING_EVERY, DEFAULT_RANKING_USER_PANEL);
    }

    /** With the {@linkplain EventTimeBound#DEFAULT default} event-time bound. */
    public TrainerSettings(Map<String, String> hyperSettings, long metricsEvery, boolean exchangeItems,
                           long exchangeIntervalMs, boolean emitEveryBatch, int maxDirtyRows, String runId) {
        this(hyperSettings, metricsEvery, exchangeItems, exchangeIntervalMs, emitEveryBatch, maxDirtyRows, runId,
                EventTimeBound.DEFAULT);
    }

    public static TrainerSettings of(ModelKind kind, MfHyperParameters hyper, long metricsEvery, boolean exchangeItems,
                                     boolean emitEveryBatch) {
        Map<String, String> m = new LinkedHashMap<>(hyper.toSettings());
        m.put(MfHyperParameters.Keys.TYPE, kind.id());
        return new TrainerSettings(m, metricsEvery, exchangeItems, DEFAULT_EXCHANGE_INTERVAL_MS, emitEveryBatch,
                DEFAULT_MAX_DIRTY_ROWS, java.util.UUID.randomUUID().toString());
    }

    /** Settings for {@code model} as it is configured, every family's own keys included (not just the MF ones). */
    public static TrainerSettings of(OnlineModel model, long metricsEvery, boolean exchangeItems, boolean emitEveryBatch) {
        Map<String, String> m = new LinkedHashMap<>(model.settings());
        m.put(MfHyperParameters.Keys.TYPE, model.kind().id());
        return new TrainerSettings(m, metricsEvery, exchangeItems, DEFAULT_EXCHANGE_INTERVAL_MS, emitEveryBatch,
                DEFAULT_MAX_DIRTY_ROWS, java.util.UUID.randomUUID().toString());
    }

    /** A fresh model as configured (one per subtask). */
    public OnlineModel createModel() {
        return OnlineModels.fromSettings(settings(hyperSettings));
    }

    public MfHyperParameters hyperParameters() {
        return MfHyperParameters.fromSettings(settings(hyperSettings));
    }

    private static Settings settings(Map<String, String> map) {
        return Settings.builder().flags(new LinkedHashMap<>(map)).build();
    }

    public TrainerSettings withExchange(boolean exchange) {
        return copy(c -> c.exchangeItems = exchange);
    }

    public TrainerSettings withRunId(String run) {
        return copy(c -> c.runId = run);
    }

    public TrainerSettings withExchangeIntervalMs(long intervalMs) {
        return copy(c -> c.exchangeIntervalMs = intervalMs);
    }

    public TrainerSettings withEmitEveryBatch(boolean everyBatch) {
        return copy(c -> c.emitEveryBatch = everyBatch);
    }

    public TrainerSettings withMaxDirtyRows(int max) {
        return copy(c -> c.maxDirtyRows = max);
    }

    public TrainerSettings withRankingEvery(int every) {
        return copy(c -> c.rankingEvery = every);
    }

    public TrainerSettings withRankingUserPanel(int panel) {
        return copy(c -> c.rankingUserPanel = panel);
    }

    /** With users' keyed state dropped after {@code ttl} without a rating (zero: kept for ever). */
    public TrainerSettings withUserTtl(java.time.Duration ttl) {
        return copy(c -> c.userTtlMs = ttl.toMillis());
    }

    /** Whether this family learns from item and user features (the hybrid family: ratings joined with metadata). */
    public boolean featured() {
        return ModelKind.parse(family()) == ModelKind.HYBRID;
    }

    /** Whether the trainer ranks at all. */
    public boolean ranks() {
        return rankingEvery > 0;
    }

    public TrainerSettings withEventTimeBound(EventTimeBound bound) {
        return copy(c -> c.eventTimeBound = bound);
    }

    /** These settings with {@code change} applied to a copy: the canonical constructor validates the result. */
    private TrainerSettings copy(java.util.function.Consumer<Copy> change) {
        Copy c = new Copy(this);
        change.accept(c);
        return c.build();
    }

    /** The components of a settings record while one or two of them change (the one list of them besides the record). */
    private static final class Copy {
        private Map<String, String> hyperSettings;
        private long metricsEvery;
        private boolean exchangeItems;
        private long exchangeIntervalMs;
        private boolean emitEveryBatch;
        private int maxDirtyRows;
        private String runId;
        private EventTimeBound eventTimeBound;
        private int rankingEvery;
        private int rankingUserPanel;
        private List<String> families;
        private long userTtlMs;

        private Copy(TrainerSettings s) {
            hyperSettings = s.hyperSettings;
            metricsEvery = s.metricsEvery;
            exchangeItems = s.exchangeItems;
            exchangeIntervalMs = s.exchangeIntervalMs;
            emitEveryBatch = s.emitEveryBatch;
            maxDirtyRows = s.maxDirtyRows;
            runId = s.runId;
            eventTimeBound = s.eventTimeBound;
            rankingEvery = s.rankingEvery;
            rankingUserPanel = s.rankingUserPanel;
            families = s.families;
            userTtlMs = s.userTtlMs;
        }

        private TrainerSettings build() {
            return new TrainerSettings(hyperSettings, metricsEvery, exchangeItems, exchangeIntervalMs, emitEveryBatch,
                    maxDirtyRows, runId, eventTimeBound, rankingEvery, rankingUserPanel, families, userTtlMs);
        }
    }
}
