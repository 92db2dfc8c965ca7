package io.streamrec.scorer;

import io.streamrec.common.config.StreamrecConfig;
import io.streamrec.common.topic.TopicAdmin;
import io.streamrec.scorer.http.DashboardEvents;
import io.streamrec.scorer.http.ClusterRequests;
import io.streamrec.scorer.http.ScorerHttpServer;
import io.streamrec.scorer.index.ItemIndex;
import io.streamrec.scorer.stream.ChangedUsers;
import io.streamrec.scorer.stream.MetricsHistory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A running scorer: wires the topology, Kafka Streams, the HTTP server and the factor-progress publisher together in
 * dependency order, starts them, and owns their lifecycle (a Streams failure is reported to listeners; close stops
 * everything once). What {@link ScorerMain} runs, and what the integration tests start in-process.
 */
public final class ScorerRuntime implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ScorerRuntime.class);

    private final KafkaStreams streams;
    private final ScorerHttpServer server;
    private final ItemIndex index;
    private final ScorerMetrics metrics;
    private final Admin admin;
    private final FactorProgress progress;
    private final AtomicBoolean failed = new AtomicBoolean();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final List<Runnable> failureListeners = new CopyOnWriteArrayList<>();

    private ScorerRuntime(KafkaStreams streams, ScorerHttpServer server, ItemIndex index, ScorerMetrics metrics,
                          Admin admin, FactorProgress progress) {
        this.streams = streams;
        this.server = server;
        this.index = index;
        this.metrics = metrics;
        this.admin = admin;
        this.progress = progress;
    }

    /** Creates any missing topic of the contract (so the scorer can start before the trainer or ingest), then starts. */
    public static ScorerRuntime start(StreamrecConfig config, ScorerOptions options) {
        try (TopicAdmin topics = TopicAdmin.connect(config)) {
            List<io.streamrec.common.topic.Topic<?, ?>> all = new java.util.ArrayList<>(config.topics().all());
            // The factors topics of families beside the first: Kafka Streams refuses to start on a missing source topic.
            options.families().ifPresent(f -> f.factorTopics(config.topics()).stream()
                    .filter(t -> all.stream().noneMatch(a -> a.name().equals(t.name()))).forEach(all::add));
            topics.ensure(config, all);
        }
        ItemIndex index = new ItemIndex();
        Thread warm = new Thread(index::warmUp, "kernel-warm-up");
        warm.setDaemon(true);
        warm.start();
        ScorerMetrics metrics = new ScorerMetrics();
        MetricsHistory history = new MetricsHistory(20_000);
        ChangedUsers changed = new ChangedUsers(options.userPartitions());
        // Families beside the first get an index of their own (warmed like the first's).
        Map<String, ItemIndex> others = new LinkedHashMap<>();
        options.families().ifPresent(f -> f.ids().subList(1, f.ids().size()).forEach(id -> others.put(id, new ItemIndex())));
        others.values().forEach(i -> {
            Thread t = new Thread(i::warmUp, "kernel-warm-up");
            t.setDaemon(true);
            t.start();
        });

        // The HTTP port first: other instances reach this one at the address it advertises to Kafka Streams.
        if (options.httpPort() == 0) {
            options = options.withHttp(options.httpHost(), freePort(options.httpHost()));
        }
        String address = options.httpHost() + ":" + options.httpPort();
        Properties streamsConfig = ScorerTopology.config(config, options, metrics);
        streamsConfig.put(org.apache.kafka.streams.StreamsConfig.APPLICATION_SERVER_CONFIG, address);
        StaticMembership.apply(streamsConfig, config, options);
        KafkaStreams streams = new KafkaStreams(
                ScorerTopology.buildTopology(config.topics(), options, index, others, changed, history, metrics), streamsConfig);
        String factorsTopic = config.topics().factors().name();
        ConsumerLag lag = new ConsumerLag(streams);
        Admin admin = Admin.create(adminConfig(config));
        FactorProgress progress = new FactorProgress(admin, options.applicationId() + "-factors", factorsTopic, metrics,
                lag::partitionLag);
        ScorerHealth health = new ScorerHealth(streams, index, metrics, lag, progress, factorsTopic);
        ScorerStats stats = new ScorerStats(streams, index, metrics, changed, history, health, lag);
        StoreProvider stores = StoreProvider.of(streams);
        stats.registerGauges(stores);

        RecommendationService service = new RecommendationService(index, stores, history, options);
        ServedModels served = served(options, service, others, stores, history);
        DashboardEvents events = new DashboardEvents(stats::sample, history, ScorerStats.RATE_KEYS);
        UserRouting routing = new UserRouting(streams, address);
        ClusterRequests cluster = new ClusterRequests(routing, options.userPartitions(), metrics);
        ScorerHttpServer server = new ScorerHttpServer(served, metrics, () -> health.health().withInstances(routing.instances()),
                events, cluster);
        ScorerRuntime runtime = new ScorerRuntime(streams, server, index, metrics, admin, progress);
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("Kafka Streams failed; stopping the scorer", e);
            runtime.fail();
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        streams.setStateListener((now, before) -> {
            LOG.info("Kafka Streams {} -> {}", before, now);
            if (now == KafkaStreams.State.ERROR) {
                runtime.fail();
            }
        });
        try {
            server.start(options.httpHost(), options.httpPort());
            streams.start();
        } catch (RuntimeException e) {
            runtime.close();
            throw e;
        }
        return runtime;
    }

    /** The first family's service, and with a family list one service per family over its own store and index. */
    public static ServedModels served(ScorerOptions options, RecommendationService first, Map<String, ItemIndex> others,
                               StoreProvider stores, MetricsHistory history) {
        if (options.families().isEmpty()) {
            return ServedModels.only(first);
        }
        io.streamrec.common.topic.ModelFamilies families = options.families().get();
        Map<String, RecommendationService> byFamily = new LinkedHashMap<>();
        byFamily.put(families.first(), new RecommendationService(first.index(), stores, history, options,
                io.streamrec.scorer.stream.StoreNames.FACTORS, families.first()));
        others.forEach((family, index) -> byFamily.put(family, new RecommendationService(index, stores, history,
                options, io.streamrec.scorer.stream.StoreNames.factorsOf(family), family)));
        return ServedModels.of(byFamily);
    }

    private static int freePort(String host) {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName(host))) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("no free port on " + host + ": " + e.getMessage(), e);
        }
    }

    /** The scorer's own admin client (factor progress), from the same connection settings as every client. */
    static Map<String, Object> adminConfig(StreamrecConfig config) {
        Map<String, Object> admin = new LinkedHashMap<>(config.kafkaOverrides());
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        return admin;
    }

    void fail() {
        if (failed.compareAndSet(false, true)) {
            failureListeners.forEach(Runnable::run);
        }
    }

    /** Runs {@code r} when Kafka Streams fails (at once if it already has). */
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

    /** Stops the HTTP server, the progress publisher and Kafka Streams (state flushed), in that order; once. */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        server.close();
        progress.close();
        streams.close(Duration.ofSeconds(15));
        admin.close(Duration.ofSeconds(5));
    }
}
