package io.streamrec.scorer;

import io.streamrec.common.config.ConfigException;
import io.streamrec.options.ConnectionOptions;
import io.streamrec.common.config.LogLevels;
import io.streamrec.common.config.StreamrecConfig;
import io.streamrec.common.event.RatingScale;
import io.streamrec.common.topic.Topic;
import io.streamrec.scorer.http.DashboardEvents;
import io.streamrec.scorer.http.ScorerHttpServer;
import io.streamrec.scorer.index.ItemIndex;
import io.streamrec.scorer.stream.ChangedUsers;
import io.streamrec.scorer.stream.MetricsHistory;
import io.streamrec.scorer.stream.StoreNames;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code streamrec score}: the Kafka Streams scorer with its HTTP API and dashboard, in its own JVM (Kafka Streams'
 * rocksdbjni must not meet Flink's frocksdbjni). Runs until SIGINT/SIGTERM; exits non-zero if Kafka Streams fails.
 */
@Command(name = "score", mixinStandardHelpOptions = true, versionProvider = ScorerMain.Version.class,
        description = "Serve live top-K recommendations over HTTP and to the recommendations topic, with a dashboard.")
public final class ScorerMain implements Callable<Integer> {

    /**
     * Created on first use, not at class initialisation: {@link LogLevels#fromArgs} must set the levels before log4j
     * configures itself, and log4j's own shutdown hook must be off so the scorer's last lines (closing Kafka
     * Streams) still reach the log while the JVM stops.
     */
    private static Logger log() {
        return LoggerFactory.getLogger(ScorerMain.class);
    }

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--http", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:8080",
            description = "Address of the HTTP API and dashboard (default ${DEFAULT-VALUE}; port 0 picks a free one).")
    String http;

    @Option(names = "--application-id", paramLabel = "ID",
            description = "Kafka Streams application id (default <topic prefix>streamrec-scorer).")
    String applicationId;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "RocksDB state (default <data.dir>/scorer-state).")
    Path stateDir;

    @Option(names = "--push-k", defaultValue = "10", description = "Length of the lists pushed to the recommendations topic (default ${DEFAULT-VALUE}).")
    int pushK;

    @Option(names = "--min-push-interval", defaultValue = "1s", converter = DurationConverter.class,
            description = "Push a user's recommendations at most this often, e.g. 500ms, 1s, 1m (default ${DEFAULT-VALUE}).")
    Duration minPushInterval;

    @Option(names = "--recompute-interval", defaultValue = "200ms", converter = DurationConverter.class,
            description = "How often changed users are recomputed in one batch (default ${DEFAULT-VALUE}).")
    Duration recomputeInterval;

    @Option(names = "--liked-threshold", defaultValue = "4.0",
            description = "A rating at or above this counts as liking the item, for also-liked (default ${DEFAULT-VALUE}).")
    float likedThreshold;

    @Option(names = "--rating-scale", defaultValue = "0:5", paramLabel = "MIN:MAX[:STEP]",
            description = "Ratings outside it are rejected and counted (default ${DEFAULT-VALUE}).")
    String ratingScale;

    @Option(names = "--stream-threads", defaultValue = "1", description = "Kafka Streams threads (default ${DEFAULT-VALUE}).")
    int streamThreads;

    @Option(names = "--user-partitions", description = "Partitions of the internal user-events topic (default: the configured partitions).")
    Integer userPartitions;

    public static void main(String[] args) {
        System.setProperty("log4j2.shutdownHookEnabled", "false");
        LogLevels.fromArgs(args);
        System.exit(commandLine().execute(args));
    }

    /** The command with its error handling: configuration mistakes exit 2 with one line, other failures 1. */
    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new ScorerMain());
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof ConfigException || e instanceof IllegalArgumentException) {
                cmd.getErr().println("score: " + e.getMessage());
                return 2;
            }
            if (e instanceof IllegalStateException) {
                cmd.getErr().println("score: " + e.getMessage());
                log().debug("scorer failed to start", e);
                return 1;
            }
            log().error("scorer failed", e);
            return 1;
        });
        return cl;
    }

    /** Reads the version from the jar manifest, like every streamrec entry point. */
    public static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"streamrec scorer " + LogLevels.version(ScorerMain.class)};
        }
    }

    /** Accepts 250ms, 2s, 5m, 1h or ISO-8601 (PT1S). */
    public static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            try {
                if (v.startsWith("pt")) {
                    return Duration.parse(v.toUpperCase(Locale.ROOT));
                }
                if (v.endsWith("ms")) {
                    return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2).trim()));
                }
                long n = Long.parseLong(v.substring(0, v.length() - 1).trim());
                return switch (v.charAt(v.length() - 1)) {
                    case 's' -> Duration.ofSeconds(n);
                    case 'm' -> Duration.ofMinutes(n);
                    case 'h' -> Duration.ofHours(n);
                    default -> throw new NumberFormatException();
                };
            } catch (RuntimeException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a duration (e.g. 250ms, 1s, 5m, PT1S)");
            }
        }
    }

    ScorerOptions options(StreamrecConfig config) {
        int colon = http.lastIndexOf(':');
        if (colon <= 0) {
            throw new ConfigException("--http must be HOST:PORT, got '" + http + "'");
        }
        int port;
        try {
            port = Integer.parseInt(http.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new ConfigException("--http port must be a number, got '" + http + "'");
        }
        RatingScale scale;
        try {
            scale = RatingScale.parse(ratingScale);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--rating-scale: " + e.getMessage());
        }
        String app = applicationId != null ? applicationId : config.topics().prefix() + "streamrec-scorer";
        Path state = stateDir != null ? stateDir : config.dataDir().resolve("scorer-state");
        return new ScorerOptions(app, state, http.substring(0, colon), port, pushK, minPushInterval, recomputeInterval,
                4096, likedThreshold, 2000, scale, streamThreads, userPartitions != null ? userPartitions : config.partitions());
    }

    @Override
    public Integer call() throws Exception {
        StreamrecConfig config = connection.config();
        ScorerOptions options = options(config);
        try (Scorer scorer = Scorer.start(config, options)) {
            log().info("streamrec scorer {} started: {} {} http=http://{}:{}/ kernel={} pid={}", LogLevels.version(ScorerMain.class),
                    config.summary(), options.summary(), options.httpHost(), scorer.httpPort(), scorer.index().kernelName(),
                    ProcessHandle.current().pid());
            if (scorer.index().kernelName().equals("scalar")) {
                log().info("top-K runs on the scalar kernel; start this JVM with --add-modules jdk.incubator.vector "
                        + "for the SIMD kernel (several times faster)");
            }
            CountDownLatch stop = new CountDownLatch(1);
            CountDownLatch closed = new CountDownLatch(1);
            // The JVM does not wait for the main thread once shutdown begins: the hook waits until main has closed
            // Kafka Streams (flushing RocksDB, writing checkpoints), so a restart restores quickly.
            Thread hook = new Thread(() -> {
                stop.countDown();
                try {
                    closed.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "scorer-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            scorer.onFailure(stop::countDown);
            try {
                stop.await();
                log().info("scorer stopping");
                scorer.close();
                log().info("scorer stopped");
            } finally {
                closed.countDown();
            }
            return scorer.failed() ? 1 : 0;
        }
    }

    /** A running scorer: Kafka Streams plus the HTTP server. Also what the integration test starts in-process. */
    public static final class Scorer implements AutoCloseable {
        private final KafkaStreams streams;
        private final ScorerHttpServer server;
        private final ItemIndex index;
        private final ScorerMetrics metrics;
        private final AtomicBoolean failed = new AtomicBoolean();
        private final AtomicBoolean closing = new AtomicBoolean();
        private final List<Runnable> failureListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final String factorsTopic;
        private Admin admin;
        private volatile FactorProgress progress;

        private Scorer(KafkaStreams streams, ScorerHttpServer server, ItemIndex index, ScorerMetrics metrics, String factorsTopic) {
            this.streams = streams;
            this.server = server;
            this.index = index;
            this.metrics = metrics;
            this.factorsTopic = factorsTopic;
        }

        public static Scorer start(StreamrecConfig config, ScorerOptions options) {
            ensureTopics(config);
            ItemIndex index = new ItemIndex();
            Thread warm = new Thread(index::warmUp, "kernel-warm-up");
            warm.setDaemon(true);
            warm.start();
            ScorerMetrics metrics = new ScorerMetrics();
            MetricsHistory history = new MetricsHistory(20_000);
            ChangedUsers changed = new ChangedUsers(options.userPartitions());
            java.util.Properties streamsConfig = ScorerTopology.config(config, options, metrics);
            StaticMembership.apply(streamsConfig, config, options);
            KafkaStreams streams = new KafkaStreams(
                    ScorerTopology.buildTopology(config.topics(), options, index, changed, history, metrics), streamsConfig);
            StoreProvider stores = StoreProvider.of(streams);
            RecommendationService service = new RecommendationService(index, stores, history, options);
            Scorer[] self = new Scorer[1];
            DashboardEvents events = new DashboardEvents(() -> self[0].stats(changed, history), history,
                    Set.of("ratingsSeen", "factorRows", "pushes", "httpRequests"));
            ScorerHttpServer server = new ScorerHttpServer(service, metrics, () -> self[0].health(), events);
            Scorer scorer = new Scorer(streams, server, index, metrics, config.topics().factors().name());
            self[0] = scorer;
            scorer.registerGauges(changed, history, stores);
            streams.setUncaughtExceptionHandler(e -> {
                log().error("Kafka Streams failed; stopping the scorer", e);
                scorer.fail();
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            });
            streams.setStateListener((now, before) -> {
                log().info("Kafka Streams {} -> {}", before, now);
                if (now == KafkaStreams.State.ERROR) {
                    scorer.fail();
                }
            });
            server.start(options.httpHost(), options.httpPort());
            streams.start();
            scorer.admin = Admin.create(adminConfig(config));
            scorer.progress = new FactorProgress(scorer.admin, options.applicationId() + "-factors",
                    config.topics().factors().name(), metrics, scorer::partitionLag);
            return scorer;
        }

        /** Creates any missing topic of the contract, so the scorer can start before the trainer or ingest. */
        static Map<String, Object> adminConfig(StreamrecConfig config) {
            Map<String, Object> admin = new LinkedHashMap<>(config.kafkaOverrides());
            admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
            return admin;
        }

        static void ensureTopics(StreamrecConfig config) {
            try (Admin a = Admin.create(adminConfig(config))) {
                Set<String> existing = a.listTopics().names().get(30, TimeUnit.SECONDS);
                List<NewTopic> missing = new ArrayList<>();
                for (Topic<?, ?> t : config.topics().all()) {
                    if (!existing.contains(t.name())) {
                        NewTopic nt = new NewTopic(t.name(), config.partitions(), config.replicationFactor());
                        if (t.compacted()) {
                            nt.configs(Map.of("cleanup.policy", "compact"));
                        }
                        missing.add(nt);
                    }
                }
                if (!missing.isEmpty()) {
                    try {
                        a.createTopics(missing).all().get(30, TimeUnit.SECONDS);
                        log().info("created topics {}", missing.stream().map(NewTopic::name).toList());
                    } catch (ExecutionException e) {
                        if (!(e.getCause() instanceof TopicExistsException)) {
                            throw e;
                        }
                    }
                }
            } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException("cannot reach Kafka at " + config.bootstrapServers() + " to check topics: "
                        + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while checking topics", e);
            }
        }

        private void registerGauges(ChangedUsers changed, MetricsHistory history, StoreProvider stores) {
            metrics.gauge("streamrec_scorer_items", "Items in the scoring index.", () -> index.stats().items());
            metrics.gauge("streamrec_scorer_factor_dim", "Latent dimension of the item factors.", () -> index.stats().dim());
            metrics.gauge("streamrec_scorer_model_version", "Newest model version seen in item rows or the global mean.", () -> index.stats().modelVersion());
            metrics.gauge("streamrec_scorer_changed_users_pending", "Users waiting for their top-K to be recomputed.", changed::size);
            metrics.gauge("streamrec_scorer_metrics_history_points", "Prequential reports held for the RMSE curve.", history::size);
            metrics.gauge("streamrec_scorer_factor_event_time_max_ms", "Newest event time carried by an item row.", () -> index.stats().maxEventTimeMs());
            metrics.gauge("streamrec_scorer_freshness_seconds", "Wall time since the last factor row was applied.", () -> {
                long last = metrics.lastFactorAppliedMs();
                return last == 0 ? Double.NaN : (System.currentTimeMillis() - last) / 1000.0;
            });
            metrics.gauge("streamrec_scorer_factors_lag_records", "Factor records not yet read by the global consumer.", this::factorsLag);
            for (String store : List.of(StoreNames.FACTORS, StoreNames.ITEM_METADATA, StoreNames.USER_METADATA,
                    StoreNames.RATED, StoreNames.FANS, StoreNames.PUSHED)) {
                metrics.gauge("streamrec_scorer_store_entries{store=\"" + store + "\"}",
                        "Approximate entries per state store (RocksDB estimate).",
                        () -> stores.store(store).approximateNumEntries());
            }
        }

        /**
         * Factor records published but not yet applied: the global consumer's lag, or the progress publisher's gap when
         * that is larger (the lag metric lags a fetch behind). 0 means every committed row is applied.
         */
        public double factorsLag() {
            double lag = 0;
            boolean seen = false;
            for (Map.Entry<MetricName, ? extends Metric> e : streams.metrics().entrySet()) {
                MetricName n = e.getKey();
                if (n.name().equals("records-lag") && factorsTopic.equals(n.tags().get("topic"))
                        && String.valueOf(n.tags().get("client-id")).endsWith("global-consumer")) {
                    Object v = e.getValue().metricValue();
                    if (v instanceof Number num && !Double.isNaN(num.doubleValue())) {
                        lag += num.doubleValue();
                        seen = true;
                    }
                }
            }
            double behind = progress == null ? Double.NaN : progress.behind();
            if (!seen) {
                return behind;
            }
            return Double.isNaN(behind) ? lag : Math.max(lag, behind);
        }

        /** The global consumer's records-lag on one partition, NaN when not known yet. */
        double partitionLag(String topic, int partition) {
            for (Map.Entry<MetricName, ? extends Metric> e : streams.metrics().entrySet()) {
                MetricName n = e.getKey();
                if (n.name().equals("records-lag") && topic.equals(n.tags().get("topic"))
                        && String.valueOf(partition).equals(n.tags().get("partition"))
                        && String.valueOf(n.tags().get("client-id")).endsWith("global-consumer")
                        && e.getValue().metricValue() instanceof Number num) {
                    return num.doubleValue();
                }
            }
            return Double.NaN;
        }

        /** Max records-lag of the stream consumer over its input partitions (ratings, user events). */
        double inputLag() {
            double max = 0;
            for (Map.Entry<MetricName, ? extends Metric> e : streams.metrics().entrySet()) {
                MetricName n = e.getKey();
                if (n.name().equals("records-lag-max") && n.group().equals("consumer-fetch-manager-metrics")
                        && !String.valueOf(n.tags().get("client-id")).endsWith("global-consumer")
                        && !n.tags().containsKey("topic")) {
                    Object v = e.getValue().metricValue();
                    if (v instanceof Number num && Double.isFinite(num.doubleValue())) {
                        max = Math.max(max, num.doubleValue());
                    }
                }
            }
            return max;
        }

        ScorerHttpServer.Health health() {
            KafkaStreams.State state = streams.state();
            boolean ready = state == KafkaStreams.State.RUNNING;
            String status = ready ? "UP" : switch (state) {
                case CREATED, REBALANCING -> "RESTORING";
                case ERROR, PENDING_ERROR -> "FAILED";
                default -> "DOWN";
            };
            double lag = factorsLag();
            TrainerHealth trainer = metrics.trainerHealth(System.currentTimeMillis());
            if (ready && trainer.silent()) {
                status = "DEGRADED";
            }
            io.streamrec.scorer.index.IndexStats items = index.stats();
            return new ScorerHttpServer.Health(ready, status, state.name(), items.items(), items.dim(), items.modelVersion(),
                    metrics.lastFactorAppliedMs(), Double.isNaN(lag) ? null : lag, trainer);
        }

        Map<String, Object> stats(ChangedUsers changed, MetricsHistory history) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("wallMs", System.currentTimeMillis());
            s.put("state", streams.state().name());
            io.streamrec.scorer.index.IndexStats items = index.stats();
            s.put("items", items.items());
            s.put("dim", items.dim());
            s.put("modelVersion", items.modelVersion());
            s.put("globalMean", items.globalMean());
            s.put("kernel", index.kernelName());
            s.put("ratingsSeen", metrics.total("streamrec_scorer_ratings_seen_total"));
            s.put("factorRows", metrics.total("streamrec_scorer_factor_rows_applied_total"));
            s.put("pushes", metrics.total("streamrec_scorer_recommendations_pushed_total"));
            s.put("httpRequests", metrics.total(ScorerHttpServerNames.REQUESTS));
            s.put("poison", metrics.total("streamrec_scorer_poison_records_total"));
            s.put("rejected", metrics.total("streamrec_scorer_rejected_ratings_total"));
            s.put("changedPending", changed.size());
            long last = metrics.lastFactorAppliedMs();
            s.put("lastFactorAgeMs", last == 0 ? null : System.currentTimeMillis() - last);
            double lag = factorsLag();
            s.put("factorsLag", Double.isNaN(lag) ? null : lag);
            s.put("inputLag", inputLag());
            s.put("latest", history.latest());
            return s;
        }

        void fail() {
            if (failed.compareAndSet(false, true)) {
                failureListeners.forEach(Runnable::run);
            }
        }

        void onFailure(Runnable r) {
            failureListeners.add(r);
            if (failed.get()) {
                r.run();
            }
        }

        public boolean failed() {
            return failed.get();
        }

        public int httpPort() {
            return server.port();
        }

        public ItemIndex index() {
            return index;
        }

        public ScorerMetrics metrics() {
            return metrics;
        }

        public KafkaStreams streams() {
            return streams;
        }

        /** Consumer group whose committed offsets on the factors topic show how far the scorer has applied it. */
        public String factorProgressGroup() {
            return progress.group();
        }

        @Override
        public void close() {
            if (!closing.compareAndSet(false, true)) {
                return;
            }
            server.close();
            if (progress != null) {
                progress.close();
            }
            streams.close(Duration.ofSeconds(15));
            if (admin != null) {
                admin.close(Duration.ofSeconds(5));
            }
        }
    }

    /** Metric names the main class shares with the HTTP layer. */
    static final class ScorerHttpServerNames {
        static final String REQUESTS = "streamrec_scorer_http_requests_total";

        private ScorerHttpServerNames() {
        }
    }
}
