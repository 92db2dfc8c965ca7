package io.streamrec.trainer;

import io.streamrec.common.config.ConfigException;
import io.streamrec.options.ConnectionOptions;
import io.streamrec.common.config.LogLevels;
import io.streamrec.common.config.LoopbackBinding;
import io.streamrec.common.config.Settings;
import io.streamrec.common.config.StreamrecConfig;
import io.streamrec.common.event.EventTimeBound;
import io.streamrec.common.topic.ModelFamilies;
import io.streamrec.common.topic.TopicAdmin;
import io.streamrec.common.topic.Topics;
import io.streamrec.model.dense.ColumnOps;
import io.streamrec.model.MfHyperParameters;
import io.streamrec.model.kernel.KernelKind;
import io.streamrec.model.ModelKind;
import io.streamrec.model.OnlineModels;
import io.streamrec.options.ModelOptions;
import io.streamrec.trainer.io.KafkaIo;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.TimeUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code streamrec train}: runs the trainer job on a local MiniCluster bound to 127.0.0.1 (default) or submits it to
 * a Flink cluster ({@code --jobmanager HOST:PORT}). Resumes from the newest retained checkpoint in
 * {@code --checkpoint-dir} unless told {@code --fresh} or given {@code --from-savepoint}.
 * (About 300 lines, most of them flag declarations with their help texts; the job itself is {@link TrainerJob}.)
 */
@Command(name = "train", mixinStandardHelpOptions = true, versionProvider = TrainerMain.Version.class,
        description = "Learn biased matrix factorization online from the ratings topic (Flink job, exactly-once).")
public final class TrainerMain implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(TrainerMain.class);

    public enum ExchangeMode { AUTO, ON, OFF }

    static final String EVENT_TIME_AHEAD_KEY = "trainer.max-event-time-ahead";

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--checkpoint-dir", paramLabel = "DIR|URI",
            description = "Checkpoint directory or Flink file system URI (default <data.dir>/checkpoints/trainer).")
    String checkpointDir;

    @Option(names = "--checkpoint-interval", paramLabel = "DURATION", defaultValue = "1s",
            description = "Checkpoint interval, e.g. 1s, 500ms (default ${DEFAULT-VALUE}); sets how fresh factors are.")
    String checkpointInterval;

    @Option(names = "--parallelism", defaultValue = "2", description = "Trainer parallelism (default ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(names = "--from-savepoint", paramLabel = "PATH|URI", description = "Start from this savepoint or retained checkpoint.")
    String fromSavepoint;

    @Option(names = "--fresh", description = "Ignore retained checkpoints in --checkpoint-dir and start from scratch.")
    boolean fresh;

    @Option(names = "--jobmanager", paramLabel = "HOST:PORT", description = "Submit to this Flink cluster instead of a local MiniCluster.")
    String jobmanager;

    @Option(names = "--job-jar", paramLabel = "JAR", description = "Jar with the trainer and its dependencies to ship to --jobmanager (default: this build's classes "
                    + "and the dependency jars a Flink cluster does not provide).")
    Path jobJar;

    @Option(names = "--metrics-every", defaultValue = "10000", description = "Prequential report every N events per subtask (default ${DEFAULT-VALUE}).")
    long metricsEvery;

    @Option(names = "--ranking-every", paramLabel = "N", defaultValue = "" + TrainerSettings.DEFAULT_RANKING_EVERY,
            description = "Rank one in N of the panel users' events per subtask against every item the user has not "
                    + "rated, for the prequential recall@10/50, MRR and nDCG@10 in the metrics reports; 0 = off "
                    + "(default ${DEFAULT-VALUE}).")
    int rankingEvery;

    @Option(names = "--ranking-user-panel", paramLabel = "P", defaultValue = "" + TrainerSettings.DEFAULT_RANKING_USER_PANEL,
            description = "Only one user in P (seeded hash of the id) takes part in the ranking and has its rated items "
                    + "kept in keyed state; 1 = every user (default ${DEFAULT-VALUE}).")
    int rankingUserPanel;

    @Option(names = "--user-ttl", paramLabel = "DURATION", defaultValue = "0",
            description = "Forget a user's keyed state (row, rated items) after this long without a rating, e.g. 30d; "
                    + "processing time (Flink's state TTL), so on a fast replay it is wall-clock time, not dataset time. "
                    + "A forgotten user comes back cold. 0 = keep every user (default).")
    String userTtl;

    @Option(names = "--item-exchange", defaultValue = "AUTO",
            description = "Exchange item rows between subtasks through Kafka: ${COMPLETION-CANDIDATES} "
                    + "(auto = when parallelism > 1 and not --bounded).")
    ExchangeMode itemExchange;

    @Option(names = "--group-id", defaultValue = "streamrec-trainer", description = "Kafka consumer group (offsets live in checkpoints).")
    String groupId;

    @Option(names = "--restart-attempts", defaultValue = "3", description = "Restarts after a failure before the job gives up.")
    int restartAttempts;

    @Option(names = "--bounded", description = "Stop at the end of what the ratings topic holds now (replays, benchmarks).")
    boolean bounded;

    @Option(names = "--prometheus-port", paramLabel = "PORT",
            description = "Expose Flink metrics for Prometheus on this port. Flink's reporter binds ALL interfaces: off by default.")
    Integer prometheusPort;

    @Option(names = "--exchange-interval-ms", defaultValue = "" + TrainerSettings.DEFAULT_EXCHANGE_INTERVAL_MS,
            description = "Publish item deltas to the other subtasks at most this often (default ${DEFAULT-VALUE}).")
    long exchangeIntervalMs;

    @Option(names = "--max-event-time-ahead", paramLabel = "DURATION",
            description = "Refuse ratings (to the DLQ) whose event time is further ahead of this machine's clock, e.g. 1h, 1d "
                    + "(default: setting " + EVENT_TIME_AHEAD_KEY + ", else 1d). Catches microsecond timestamps and skewed clocks.")
    String maxEventTimeAhead;

    // Model hyperparameters: the same flags as `streamrec evaluate`; only those given override file/env/defaults.
    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--model", paramLabel = "FAMILY[,FAMILY...]", description = "Model family: mf, baseline, mean, "
            + "dlplus, popular, u-autorec (default mf; setting model.type). Several, comma-separated (mf,dlplus,popular), "
            + "learn side by side from the same stream in one job, each with its own state and factors topic.")
    String model;

    public static void main(String[] args) {
        LogLevels.fromArgs(args);
        io.streamrec.common.config.ParentWatch.installFromSystemProperty();
        CommandLine cli = new CommandLine(new TrainerMain());
        // A configuration error (a bad flag, --kernel gpu without a GPU) is the operator's to fix: its message, no stack trace.
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (!(e instanceof ConfigException)) {
                throw e;
            }
            commandLine.getErr().println("streamrec trainer: configuration error: " + e.getMessage());
            return 2;
        });
        System.exit(cli.execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Settings settings = connection.settings().with(modelFlags(), "flag");
        StreamrecConfig config = StreamrecConfig.from(settings);
        MfHyperParameters hyper = MfHyperParameters.fromSettings(settings);
        ModelFamilies families = families(settings);
        ModelKind kind = ModelKind.parse(families.first());
        if (hyper.kernel() == KernelKind.GPU) {
            // Open the GPU once here: without one, fail at start with what is missing, not in every task's open() under
            // the restart strategy.
            try {
                io.streamrec.model.kernel.MfKernels.create(KernelKind.GPU).close();
            } catch (IllegalStateException e) {
                throw new ConfigException(e.getMessage());
            }
        }
        if (parallelism < 1 || parallelism > 1024) {
            throw new ConfigException("--parallelism must be in [1, 1024], got " + parallelism);
        }
        Duration interval = parseDuration(checkpointInterval);
        String dirOrUri = checkpointDir != null ? checkpointDir
                : config.dataDir().resolve("checkpoints").resolve("trainer").toString();
        Optional<Path> localDir = FlinkSetup.localDirectory(dirOrUri);
        String checkpointUri;
        if (localDir.isPresent()) {
            Files.createDirectories(localDir.get());
            checkpointUri = localDir.get().toAbsolutePath().toUri().toString();
        } else {
            checkpointUri = dirOrUri;
        }
        String restore = null;
        if (fromSavepoint != null) {
            Optional<Path> local = FlinkSetup.localDirectory(fromSavepoint);
            if (local.isPresent() && !Files.exists(local.get())) {
                throw new ConfigException("--from-savepoint " + fromSavepoint + " does not exist");
            }
            restore = local.map(p -> p.toAbsolutePath().toUri().toString()).orElse(fromSavepoint);
        } else if (!fresh && localDir.isPresent()) {
            restore = FlinkSetup.latestCheckpoint(localDir.get()).map(p -> p.toAbsolutePath().toUri().toString()).orElse(null);
        }
        if (localDir.isPresent()) {
            CheckpointFamilies.check(localDir.get(), families, restore != null && fromSavepoint == null);
        }
        if (bounded && itemExchange == ExchangeMode.ON) {
            // The exchange topic has no end, so a job reading it would never finish.
            throw new ConfigException("--bounded cannot be combined with --item-exchange on");
        }
        boolean exchange = switch (itemExchange) {
            case ON -> true;
            case OFF -> false;
            case AUTO -> parallelism > 1 && !bounded;
        };

        ensureTopics(config, families);
        KafkaIo io = new KafkaIo(config, settings.getString("trainer.transactional-id-prefix",
                "streamrec-trainer-" + (config.topics().prefix().isEmpty() ? "default" : config.topics().prefix())));
        // Every setting of the family (DL+ and popular have keys of their own), not only the MF ones.
        // One run id for the job; with several families each branch derives its own from it (TrainerSettings.inFamilySet).
        String runId = java.util.UUID.randomUUID().toString();
        List<TrainerSettings> perFamily = new java.util.ArrayList<>();
        boolean needsNd4j = hyper.kernel() == KernelKind.ND4J;
        for (String family : families.ids()) {
            Settings own = settings.with(Map.of(MfHyperParameters.Keys.TYPE, family), "flag");
            TrainerSettings s = TrainerSettings.of(OnlineModels.fromSettings(own), metricsEvery, exchange, false)
                    .withRunId(runId)
                    .withRankingEvery(rankingEvery)
                    .withRankingUserPanel(rankingUserPanel)
                    .withExchangeIntervalMs(exchangeIntervalMs)
                    .withEventTimeBound(eventTimeBound(settings))
                    .withUserTtl(userTtl(userTtl));
            perFamily.add(families.several() ? s.inFamilySet(families) : s);
            needsNd4j |= ModelKind.parse(family) == ModelKind.DLPLUS || ModelKind.parse(family) == ModelKind.HYBRID;
        }
        TrainerSettings trainerSettings = perFamily.get(0);
        TrainerJob job = new TrainerJob(trainerSettings,
                io.ratingsSource(groupId, bounded),
                families.several() ? io.factorsSink(families, families.first()) : io.factorsSink(),
                io.metricsSink(), io.deadLetterSink(),
                exchange ? new TrainerJob.ItemExchange(io.itemExchangeSource(System.currentTimeMillis(), groupId + "-exchange"),
                        io.itemExchangeSink()) : null)
                .withModels(io.modelsSink());
        for (TrainerSettings other : perFamily.subList(1, perFamily.size())) {
            job.withFamily(other, io.factorsSink(families, other.family()));
        }
        for (TrainerSettings family : perFamily) {
            if (family.createModel() instanceof io.streamrec.model.HybridModel hybrid) {
                job.withMetadata(new TrainerJob.Metadata(
                        io.metadataSource(config.topics().items().name(), groupId + "-items", bounded),
                        io.metadataSource(config.topics().users().name(), groupId + "-users", bounded),
                        hybrid.hybridHyperParameters().features()));
            }
        }

        Configuration flink = FlinkSetup.trainerConfiguration(new Configuration(), checkpointUri, interval, restartAttempts,
                FlinkSetup.DEFAULT_RESTART_DELAY, restore);
        if (restore != null && !exchange) {
            // A snapshot taken with the item exchange (parallelism > 1) holds the exchange source's offsets, which a
            // job without the exchange has no operator for: only that state may be left behind.
            flink.set(org.apache.flink.configuration.StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE, true);
        }
        if (prometheusPort != null) {
            flink.setString("metrics.reporter.prom.factory.class", "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
            flink.setString("metrics.reporter.prom.port", Integer.toString(prometheusPort));
            flink.set(MetricOptions.REPORTERS_LIST, "prom");
            LOG.warn("Flink's Prometheus reporter listens on port {} of ALL interfaces (it has no bind-host setting)", prometheusPort);
        }
        StreamExecutionEnvironment env = environment(flink, needsNd4j);
        env.setParallelism(parallelism);
        String where = jobmanager != null ? "cluster at " + jobmanager
                : env instanceof LocalStreamEnvironment ? "local MiniCluster (rpc/blob/data bound to 127.0.0.1)"
                : "the Flink cluster running this main (application mode)";

        LOG.info("streamrec trainer {} starting: {} model={} {} parallelism={} exchange={} max-event-time-ahead={} user-ttl={} checkpoints={} every {} ms restore={} "
                        + "flink={}", Version.VERSION, config.summary(), families.csv(),
                kind == ModelKind.U_AUTOREC || kind == ModelKind.HYBRID ? trainerSettings.createModel().settings() : hyper.toSettings(), parallelism, exchange, java.time.Duration.ofMillis(trainerSettings.eventTimeBound().maxAheadMs()),
                trainerSettings.userTtlMs() == 0 ? "off" : java.time.Duration.ofMillis(trainerSettings.userTtlMs()), checkpointUri, interval.toMillis(),
                restore == null ? "none" : restore, where);
        if (families.ids().stream().anyMatch(id -> id.equals("dlplus") || id.equals("hybrid"))) {
            // The ranking scores the whole catalogue per sampled event; without the vector API it is several times dearer.
            LOG.info("prequential ranking of the dense families on the {} column loops{}", ColumnOps.best(),
                    ColumnOps.best() == ColumnOps.SCALAR ? " (start the JVM with --add-modules=jdk.incubator.vector for SIMD)" : "");
        }
        var result = job.execute(env);
        LOG.info("trainer job {} finished after {} ms", result.getJobID(), result.getNetRuntime());
        return 0;
    }

    private StreamExecutionEnvironment environment(Configuration flink, boolean needsNd4j) {
        if (jobmanager == null) {
            // Inside a Flink cluster (application mode, `flink run`) this is the cluster's environment; otherwise a
            // local one, which we rebuild with loopback-only listeners and enough slots.
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
            if (!(env instanceof LocalStreamEnvironment)) {
                return env;
            }
            Configuration local = new Configuration(loopback());
            local.addAll(flink);
            local.set(TaskManagerOptions.NUM_TASK_SLOTS, parallelism);
            return StreamExecutionEnvironment.createLocalEnvironment(local);
        }
        String[] hp = jobmanager.split(":");
        if (hp.length != 2 || !hp[1].matches("\\d{1,5}")) {
            throw new ConfigException("--jobmanager must be HOST:PORT, got '" + jobmanager + "'");
        }
        String[] jars;
        if (jobJar != null) {
            if (!Files.isRegularFile(jobJar)) {
                throw new ConfigException("--job-jar " + jobJar + " is not a file");
            }
            jars = new String[]{jobJar.toString()};
        } else {
            // Ship what the cluster lacks from this JVM's own classpath (the build's classes and dependency jars).
            try {
                Path work = Files.createTempDirectory("streamrec-job-");
                work.toFile().deleteOnExit();
                jars = JobShipment.jarsFor(JobShipment.currentClasspath(), work, needsNd4j).stream().map(Path::toString).toArray(String[]::new);
                for (String j : jars) {
                    if (j.startsWith(work.toString())) {
                        new java.io.File(j).deleteOnExit();
                    }
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("cannot prepare the jars to ship to " + jobmanager, e);
            }
        }
        return StreamExecutionEnvironment.createRemoteEnvironment(hp[0], Integer.parseInt(hp[1]), flink, jars);
    }

    /** The MiniCluster's listeners on loopback only ({@link LoopbackBinding}, shared with the test fixture). */
    static Configuration loopback() {
        Configuration c = Configuration.fromMap(LoopbackBinding.FLINK);
        c.setString("taskmanager.memory.network.min", "64mb");
        c.setString("taskmanager.memory.network.max", "64mb");
        c.setString("taskmanager.memory.managed.size", "256mb");
        return c;
    }

    /**
     * The model settings as configured (every {@code model.*} key given), not MF's full defaults: U-AutoRec reads its
     * own {@code model.u-autorec.*} keys and falls back to a generic {@code model.*} key only when one was set, so
     * MF's defaults would override its own.
     */
    private TrainerSettings configuredModel(ModelKind kind, Settings settings, boolean exchange) {
        Map<String, String> m = new LinkedHashMap<>();
        settings.asMap().forEach((k, v) -> {
            if (k.startsWith("model.")) {
                m.put(k, v);
            }
        });
        m.put(MfHyperParameters.Keys.TYPE, kind.id());
        return new TrainerSettings(m, metricsEvery, exchange, TrainerSettings.DEFAULT_EXCHANGE_INTERVAL_MS, false,
                TrainerSettings.DEFAULT_MAX_DIRTY_ROWS, java.util.UUID.randomUUID().toString());
    }

    /**
     * The families to train: {@code --model mf,popular} (or setting model.type) as given, each a known online family;
     * mf alone by default.
     */
    static ModelFamilies families(Settings settings) {
        String text = settings.get(MfHyperParameters.Keys.TYPE).orElse(ModelKind.MF.id());
        List<String> ids = new java.util.ArrayList<>();
        try {
            for (String id : ModelFamilies.split(text)) {
                ids.add(ModelKind.parse(id).id());
            }
            return new ModelFamilies(ids);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--model " + text + ": " + e.getMessage(), e);
        }
    }

    private Map<String, String> modelFlags() {
        Map<String, String> m = new LinkedHashMap<>(modelOptions.flags());
        if (model != null) {
            m.put(MfHyperParameters.Keys.TYPE, model);
        }
        return m;
    }

    private EventTimeBound eventTimeBound(Settings settings) {
        String text = maxEventTimeAhead != null ? maxEventTimeAhead
                : settings.get(EVENT_TIME_AHEAD_KEY).orElse(null);
        if (text == null) {
            return EventTimeBound.DEFAULT;
        }
        try {
            return EventTimeBound.ahead(TimeUtils.parseDuration(text.trim()));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--max-event-time-ahead must be a non-negative duration like 1h or 1d, got '" + text + "'", e);
        }
    }

    static Duration userTtl(String text) {
        try {
            Duration d = text == null || text.isBlank() || text.trim().equals("0") ? Duration.ZERO : TimeUtils.parseDuration(text.trim());
            if (d.isNegative()) {
                throw new ConfigException("--user-ttl must not be negative, got '" + text + "'");
            }
            return d;
        } catch (IllegalArgumentException e) {
            if (e instanceof ConfigException) {
                throw e;
            }
            throw new ConfigException("--user-ttl must be a duration like 30d or 12h (0 = off), got '" + text + "'", e);
        }
    }

    static Duration parseDuration(String text) {
        try {
            Duration d = TimeUtils.parseDuration(text.trim());
            if (d.isNegative() || d.isZero()) {
                throw new ConfigException("--checkpoint-interval must be positive, got '" + text + "'");
            }
            return d;
        } catch (IllegalArgumentException e) {
            if (e instanceof ConfigException) {
                throw e;
            }
            throw new ConfigException("--checkpoint-interval must be a duration like 1s or 500ms, got '" + text + "'", e);
        }
    }

    /** Creates the topics the trainer reads and writes when they are missing (existing ones are left alone). */
    public static void ensureTopics(StreamrecConfig config) {
        ensureTopics(config, ModelFamilies.single(ModelKind.MF.id()));
    }

    /** {@link #ensureTopics(StreamrecConfig)} with the factors topic of every family in {@code families}. */
    public static void ensureTopics(StreamrecConfig config, ModelFamilies families) {
        Topics t = config.topics();
        List<io.streamrec.common.topic.Topic<?, ?>> all = new java.util.ArrayList<>(
                List.of(t.ratings(), t.ratingsDlq(), t.metrics(), t.itemExchange(), t.models()));
        all.addAll(families.factorTopics(t));
        try (TopicAdmin admin = TopicAdmin.connect(config)) {
            // items and users too: a hybrid trainer reads them, and its sources fail on topics that do not exist yet.
            all.add(t.items());
            all.add(t.users());
            admin.ensure(config, all);
        }
    }

    /** picocli --version. */
    public static final class Version implements CommandLine.IVersionProvider {
        static final String VERSION = LogLevels.version(TrainerMain.class);

        @Override
        public String[] getVersion() {
            return new String[]{"streamrec trainer " + VERSION, "Flink " + Optional.ofNullable(
                    org.apache.flink.runtime.util.EnvironmentInformation.getVersion()).orElse("?")
                    + ", Java " + System.getProperty("java.version") + " (" + Locale.getDefault() + ")"};
        }
    }
}
