package io.streamrec.trainer.bench;

import io.streamrec.ingest.synthetic.SyntheticStream;
import io.streamrec.common.config.LoopbackBinding;
import io.streamrec.common.config.Settings;
import io.streamrec.common.config.StreamrecConfig;
import io.streamrec.common.event.PrequentialMetrics;
import io.streamrec.common.event.Rating;
import io.streamrec.common.report.BenchSection;
import io.streamrec.common.serde.JsonSerde;
import io.streamrec.common.serde.RatingSerde;
import io.streamrec.model.MfHyperParameters;
import io.streamrec.model.ModelKind;
import io.streamrec.trainer.FlinkSetup;
import io.streamrec.trainer.TrainerJob;
import io.streamrec.trainer.TrainerSettings;
import io.streamrec.trainer.io.KafkaIo;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.checkpoint.CheckpointStatsSnapshot;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.LongSerializer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Measures end-to-end trainer throughput and the accuracy cost of parallelism, and writes them as the "Stream
 * trainer" section of BENCHMARKS.md. Per configuration: fresh topics on the given broker, the whole stream pre-produced, then the real
 * {@link TrainerJob} (Kafka source, exactly-once Kafka sinks, RocksDB, incremental checkpoints every second) on one
 * MiniCluster shared by all runs (so cluster start-up is not measured), until the committed metrics say every event
 * was trained. Each configuration runs {@code repeats} times, alternating, and the table shows medians.
 * Usage: {@code TrainerThroughputBench OUT.md BOOTSTRAP DATASETS_DIR WORK_DIR [copies] [repeats] [configs]}.
 * (Over 300 lines: one harness, from producing the stream to summarising checkpoints; splitting it would scatter
 * what one table column means across files.)
 */
public final class TrainerThroughputBench {

    record Run(String config, double wallSeconds, double steadyPerSecond, double rmse, double mae, long checkpoints,
               double checkpointP50Ms, double checkpointMaxMs, long checkpointedBytesP50, long fullStateBytes,
               double recallAt10, long rankingSamples) {
    }

    /**
     * The configurations measured unless told otherwise: {@code p1-rank0} is p1 without the prequential ranking,
     * {@code p1-rank1000-panel1} ranks one event in 1,000 of every user's (so every user's rated items are kept);
     * {@code -dlplus} runs DL+ (the default deep family) and {@code -u-autorec} U-AutoRec instead of MF;
     * {@code p1-dlplus-rank0} is DL+ without the ranking (its ranking cost); {@code p1+popular} trains popular beside MF in
     * the same job (the cost of a live comparison).
     */
    static final String DEFAULT_CONFIGS = "p1,p1-rank0,p1-rank1000-panel1,p2,p2x,p1-dlplus,p1-dlplus-rank0,p2x-dlplus,p1-u-autorec,p1+popular";

    /**
     * One configuration's name: {@code p1}/{@code p2} parallelism, {@code x} the item exchange, then optionally
     * {@code -rankN} (rank one in N of the panel's events; 0 = off), {@code -panelP} (a user panel of one in P) and
     * a family's id ({@code -dlplus}, {@code -u-autorec}: that family at its defaults); the trainer's defaults and MF
     * otherwise.
     */
    record Config(String name, int parallelism, boolean exchange, int rankingEvery, int userPanel, ModelKind model,
                  List<ModelKind> beside) {
        Config(String name, int parallelism, boolean exchange, int rankingEvery, int userPanel, ModelKind model) {
            this(name, parallelism, exchange, rankingEvery, userPanel, model, List.of());
        }

        /** The families the job trains: the configuration's, then those {@code +family} adds beside it. */
        io.streamrec.common.topic.ModelFamilies families() {
            List<String> ids = new ArrayList<>(List.of(model.id()));
            beside.forEach(k -> ids.add(k.id()));
            return new io.streamrec.common.topic.ModelFamilies(ids);
        }

        /**
         * {@code +family} parts train those families beside the configuration's in the same job
         * ({@code p1+popular}: MF and popular); the figures are the first family's.
         */
        static Config parse(String name) {
            String[] plus = name.split("\\+");
            Config first = parseOne(name, plus[0]);
            List<ModelKind> beside = new ArrayList<>();
            for (int k = 1; k < plus.length; k++) {
                beside.add(ModelKind.parse(plus[k]));
            }
            return new Config(name, first.parallelism(), first.exchange(), first.rankingEvery(), first.userPanel(),
                    first.model(), beside);
        }

        private static Config parseOne(String name, String spec) {
            ModelKind model = ModelKind.MF;
            String rest = spec;
            for (ModelKind k : ModelKind.values()) {
                String part = "-" + k.id();
                // A family id may itself hold a dash (u-autorec): match it whole, as a part of its own.
                if (k != ModelKind.MF && (rest.endsWith(part) || rest.contains(part + "-"))) {
                    model = k;
                    rest = rest.replace(part, "");
                }
            }
            String[] parts = rest.split("-");
            String base = parts[0];
            int every = TrainerSettings.DEFAULT_RANKING_EVERY;
            int panel = TrainerSettings.DEFAULT_RANKING_USER_PANEL;
            for (int k = 1; k < parts.length; k++) {
                if (parts[k].startsWith("rank")) {
                    every = Integer.parseInt(parts[k].substring(4));
                } else if (parts[k].startsWith("panel")) {
                    panel = Integer.parseInt(parts[k].substring(5));
                } else {
                    throw new IllegalArgumentException("unknown part '" + parts[k] + "' in configuration " + name);
                }
            }
            return new Config(name, base.startsWith("p2") ? 2 : 1, base.endsWith("x"), every, panel, model);
        }
    }

    /**
     * What the prequential ranking costs each family: every p1 configuration that ranks against the p1 configuration
     * of the same family that does not ({@code p1} against {@code p1-rank0}, {@code p1-dlplus} against
     * {@code p1-dlplus-rank0}); a family without a ranking-off run is left out rather than set against another's.
     */
    private static void rankingCost(BenchSection s, Map<String, List<Run>> runs) {
        StringBuilder cost = new StringBuilder();
        for (var e : runs.entrySet()) {
            Config c = Config.parse(e.getKey());
            if (c.parallelism() != 1 || c.rankingEvery() == 0 || !c.beside().isEmpty()) {
                continue;
            }
            String offName = runs.keySet().stream().filter(n -> {
                Config o = Config.parse(n);
                return o.parallelism() == 1 && o.rankingEvery() == 0 && o.model() == c.model() && o.beside().isEmpty();
            }).findFirst().orElse(null);
            if (offName == null) {
                continue;
            }
            double off = BenchSection.median(runs.get(offName).stream().mapToDouble(Run::steadyPerSecond).toArray());
            double offState = BenchSection.median(runs.get(offName).stream().mapToDouble(Run::fullStateBytes).toArray());
            double on = BenchSection.median(e.getValue().stream().mapToDouble(Run::steadyPerSecond).toArray());
            double state = BenchSection.median(e.getValue().stream().mapToDouble(Run::fullStateBytes).toArray());
            cost.append('`').append(e.getKey()).append("` against `").append(offName).append("` ")
                    .append(BenchSection.fixed(100 * (off - on) / off, 1)).append(" % of throughput (")
                    .append(BenchSection.count(on)).append(" vs ").append(BenchSection.count(off)).append(" events/s), state ")
                    .append(mb(state)).append(" vs ").append(mb(offState)).append("; ");
        }
        if (!cost.isEmpty()) {
            s.text("Cost of the prequential ranking, each family against its own ranking-off run (steady medians; state = "
                    + "full checkpoint at the end): " + cost.substring(0, cost.length() - 2) + ".");
        }
    }

    private static final String RUN = Long.toString(System.currentTimeMillis(), 36);

    private final String bootstrap;
    private final Path work;
    private final MiniCluster cluster;
    private int topicRound;

    private TrainerThroughputBench(String bootstrap, Path work, MiniCluster cluster) {
        this.bootstrap = bootstrap;
        this.work = work;
        this.cluster = cluster;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: TrainerThroughputBench OUT.md BOOTSTRAP DATASETS_DIR WORK_DIR [copies=10] [repeats=2] [configs=" + DEFAULT_CONFIGS + "]");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        int copies = args.length > 4 ? Integer.parseInt(args[4]) : 10;
        int repeats = args.length > 5 ? Integer.parseInt(args[5]) : 2;
        List<String> configs = List.of((args.length > 6 ? args[6] : DEFAULT_CONFIGS).split(","));
        measure(args[1], Path.of(args[2]), Path.of(args[3]), copies, repeats, configs, Integer.MAX_VALUE).writeTo(out);
        System.out.println("wrote " + out);
        // Kafka and Flink leave non-daemon threads behind; the section is written, so end here.
        System.exit(0);
    }

    /** Runs every configuration {@code repeats} times on the first {@code maxEvents} of the stream. */
    static BenchSection measure(String bootstrap, Path datasets, Path work, int copies, int repeats, List<String> configs,
                                int maxEvents) throws Exception {
        Path udata = datasets.resolve("ml-100k").resolve("u.data");
        List<Rating> full = stream(udata, copies);
        List<Rating> stream = full.size() > maxEvents ? full.subList(0, maxEvents) : full;
        String source = Files.isRegularFile(udata) ? "ml-100k × " + copies + " (user ids shifted per copy)"
                : "synthetic planted-factor ratings (ml-100k not found under " + datasets + ")";

        Configuration clusterConf = Configuration.fromMap(LoopbackBinding.FLINK);
        clusterConf.setString("taskmanager.memory.network.min", "64mb");
        clusterConf.setString("taskmanager.memory.network.max", "64mb");
        clusterConf.setString("taskmanager.memory.managed.size", "256mb");
        // Any free port: a demo's trainer (or another harness) may hold Flink's default 8081.
        clusterConf.setString("rest.bind-port", "0");
        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder().setConfiguration(clusterConf)
                .setNumTaskManagers(1).setNumSlotsPerTaskManager(2).build());
        cluster.start();
        BenchSection s = new BenchSection("Stream trainer (Kafka → Flink → Kafka)", "streamrec bench --only trainer");
        Map<String, List<Run>> runs = new java.util.LinkedHashMap<>();
        try {
            TrainerThroughputBench b = new TrainerThroughputBench(bootstrap, work, cluster);
            // The first job pays for class loading, JIT and RocksDB's native library: run a short one, report nothing.
            System.err.println("bench trainer: warm-up job ...");
            int p = parallelismOf(configs);
            b.run(new Config("warmup", p, p > 1, TrainerSettings.DEFAULT_RANKING_EVERY, TrainerSettings.DEFAULT_RANKING_USER_PANEL,
                    ModelKind.MF),
                    stream.subList(0, Math.min(stream.size(), 200_000)));
            for (int r = 0; r < repeats; r++) {
                for (String c : configs) {
                    System.err.printf("bench trainer: %s, run %d of %d (%,d events) ...%n", c, r + 1, repeats, stream.size());
                    runs.computeIfAbsent(c, k -> new ArrayList<>()).add(b.run(Config.parse(c), stream));
                }
            }
        } finally {
            cluster.close();
        }
        s.text("Stream: " + source + ", " + BenchSection.count(stream.size()) + " events, pre-produced to a 2-partition "
                + "`ratings` topic on the embedded KRaft broker. The real `TrainerJob` on a MiniCluster (1 TaskManager, 2 slots) "
                + "in this JVM: Kafka source, RocksDB state backend, incremental checkpoints every 1 s, exactly-once sinks "
                + "for factors and metrics, default model (`" + MfHyperParameters.defaults().toSettings().toString().replaceAll("[{}]", "") + "`). "
                + "`p1` = parallelism 1; `p2` = parallelism 2, each subtask keeps its own item table; `p2x` = parallelism 2 "
                + "with item deltas exchanged through Kafka. `-dlplus`: the same with `--model dlplus` at its defaults (`"
                + io.streamrec.model.DlPlusHyperParameters.defaults().toSettings().toString().replaceAll("[{}]", "")
                + "`), the network's weights averaged across subtasks through the exchange at p2x and published to the `models` topic; "
                + "`-u-autorec`: U-AutoRec at its defaults (`" + io.streamrec.model.UAutoRecHyperParameters.defaults().toSettings()
                        .toString().replaceAll("[{}]", "") + "`). "
                + "`+popular`: the popularity baseline trained beside MF in the same job (`--model mf,popular`: one keyed "
                + "branch per family, each with its own state and factors topic); its figures are MF's, each family trains "
                + "every event. "
                + "Every configuration runs the prequential ranking as the trainer "
                + "does by default (a user panel of one user in " + TrainerSettings.DEFAULT_RANKING_USER_PANEL
                + " by a seeded hash, one in " + TrainerSettings.DEFAULT_RANKING_EVERY + " of their events ranked, so one "
                + "event in " + BenchSection.count((long) TrainerSettings.DEFAULT_RANKING_EVERY * TrainerSettings.DEFAULT_RANKING_USER_PANEL)
                + "; the panel's rated items in keyed list state), except `-rank0` (ranking off) and `-rankN-panelP` "
                + "(one in N of the events of one user in P). End-to-end = events ÷ (submission → the last event's metrics "
                + "committed), so it includes job start-up and the final checkpoint; steady = the rate between the report "
                + "at 10 % of the stream and the last one. Prequential RMSE: every event predicted before it is learned, "
                + "subtasks combined by count. "
                + (repeats > 1 ? "Medians of " + repeats + " runs per configuration, run alternately." : "One run per configuration."));
        BenchSection.Table t = s.table("config", "end-to-end events/s", "steady events/s", "prequential RMSE", "MAE",
                "recall@10 (ranked events)", "checkpoints", "checkpoint p50 / max ms", "checkpointed p50 (incremental)",
                "full state at end");
        for (var e : runs.entrySet()) {
            List<Run> rs = e.getValue();
            t.row(e.getKey(),
                    BenchSection.count(BenchSection.median(rs.stream().mapToDouble(r -> stream.size() / r.wallSeconds()).toArray())),
                    BenchSection.count(BenchSection.median(rs.stream().mapToDouble(Run::steadyPerSecond).toArray())),
                    BenchSection.fixed(BenchSection.median(rs.stream().mapToDouble(Run::rmse).toArray()), 4),
                    BenchSection.fixed(BenchSection.median(rs.stream().mapToDouble(Run::mae).toArray()), 4),
                    rs.get(0).rankingSamples() == 0 ? "–" : BenchSection.fixed(BenchSection.median(
                            rs.stream().mapToDouble(Run::recallAt10).toArray()), 4) + " (" + BenchSection.count(
                            BenchSection.median(rs.stream().mapToDouble(Run::rankingSamples).toArray())) + ")",
                    BenchSection.count(BenchSection.median(rs.stream().mapToDouble(Run::checkpoints).toArray())),
                    BenchSection.count(BenchSection.median(rs.stream().mapToDouble(Run::checkpointP50Ms).toArray())) + " / "
                            + BenchSection.count(BenchSection.median(rs.stream().mapToDouble(Run::checkpointMaxMs).toArray())),
                    mb(BenchSection.median(rs.stream().mapToDouble(Run::checkpointedBytesP50).toArray())),
                    mb(BenchSection.median(rs.stream().mapToDouble(Run::fullStateBytes).toArray())));
        }
        t.end();
        s.heading("Every run");
        BenchSection.Table all = s.table("config", "run", "wall s", "end-to-end events/s", "steady events/s", "prequential RMSE");
        for (var e : runs.entrySet()) {
            int i = 1;
            for (Run r : e.getValue()) {
                all.row(e.getKey(), i++, BenchSection.fixed(r.wallSeconds(), 1), BenchSection.count(stream.size() / r.wallSeconds()),
                        BenchSection.count(r.steadyPerSecond()), BenchSection.fixed(r.rmse(), 4));
            }
        }
        all.end();
        List<Run> p1 = runs.get("p1");
        List<Run> p2x = runs.get("p2x");
        rankingCost(s, runs);
        List<Run> beside = runs.get("p1+popular");
        if (p1 != null && beside != null) {
            double alone = BenchSection.median(p1.stream().mapToDouble(Run::steadyPerSecond).toArray());
            double both = BenchSection.median(beside.stream().mapToDouble(Run::steadyPerSecond).toArray());
            s.text("Two families in one job: `p1+popular` (MF and popular side by side) trains the stream at "
                    + BenchSection.fixed(100 * both / alone, 1) + " % of `p1`'s steady throughput (" + BenchSection.count(both)
                    + " vs " + BenchSection.count(alone) + " events/s; steady medians of the same run).");
        }
        if (p1 != null && p2x != null) {
            double d = BenchSection.median(p2x.stream().mapToDouble(Run::rmse).toArray()) - BenchSection.median(p1.stream().mapToDouble(Run::rmse).toArray());
            s.text("Accuracy cost of parallelism 2 with the item exchange against parallelism 1: " + (d >= 0 ? "+" : "")
                    + BenchSection.fixed(d, 4) + " prequential RMSE.");
        }
        return s;
    }

    private static int parallelismOf(List<String> configs) {
        return configs.stream().anyMatch(c -> c.startsWith("p2")) ? 2 : 1;
    }

    private Run run(Config cfg, List<Rating> stream) throws Exception {
        String name = cfg.name();
        // Unique per harness run too: topics of an earlier run on the same broker would hold its events and metrics.
        String prefix = "benchtr" + RUN + "-" + (topicRound++) + "-" + name.replace('+', '_') + "-";
        StreamrecConfig config = StreamrecConfig.from(Settings.builder()
                .put(StreamrecConfig.BOOTSTRAP_SERVERS, bootstrap, "bench")
                .put(StreamrecConfig.TOPIC_PREFIX, prefix, "bench")
                .put(StreamrecConfig.PARTITIONS, "2", "bench")
                .build());
        io.streamrec.trainer.TrainerMain.ensureTopics(config, cfg.families());
        produce(config.topics().ratings().name(), stream);

        // Enough reports for a steady-rate window even on a short stream: every 25,000 events, or 1/20 of the stream.
        long metricsEvery = Math.max(1_000, Math.min(25_000, stream.size() / 20));
        io.streamrec.common.topic.ModelFamilies families = cfg.families();
        Path checkpoints = work.resolve(prefix);
        long t0 = System.nanoTime();
        JobID id = submit(cluster, cfg, config, prefix, checkpoints, metricsEvery, new Configuration());
        List<ConsumerRecord<byte[], byte[]>> metrics;
        CheckpointStatsSnapshot stats;
        try {
            metrics = readMetricsUntilTrained(bootstrap, config.topics().metrics().name(), stream.size(), Duration.ofMinutes(5), families);
        } finally {
            stats = cluster.getExecutionGraph(id).get(1, TimeUnit.MINUTES).getCheckpointStatsSnapshot();
            cluster.cancelJob(id).get(1, TimeUnit.MINUTES);
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        // With families beside the first, the figures are the first one's (each family trains every event).
        JsonSerde<PrequentialMetrics> serde = new JsonSerde<>(PrequentialMetrics.class);
        List<ConsumerRecord<byte[], byte[]>> first = metrics.stream().filter(rec -> familyOf(serde.decode(rec.value()).source(),
                families).equals(families.first())).toList();
        Run r = summarize(name, stream.size(), wall, first, stats, checkpoints);
        System.err.printf("bench trainer: %s %.1f s, %,.0f ev/s end-to-end, %,.0f steady, RMSE %.4f, %d checkpoints%n",
                name, wall, stream.size() / wall, r.steadyPerSecond(), r.rmse(), r.checkpoints());
        return r;
    }

    /**
     * Builds the real {@link TrainerJob} for {@code cfg} on the run's topics (Kafka source, exactly-once sinks, every
     * family of the configuration in its own branch, the models topic as {@code streamrec train} wires it, RocksDB,
     * incremental checkpoints every second) and submits it; {@code extra} adds Flink settings.
     */
    static JobID submit(MiniCluster cluster, Config cfg, StreamrecConfig config, String prefix, Path checkpoints,
                        long metricsEvery, Configuration extra) throws Exception {
        return submit(cluster, cfg, config, prefix, checkpoints, metricsEvery, extra, java.util.function.UnaryOperator.identity());
    }

    /** As above, with {@code adjust} applied to every family's trainer settings (a user TTL, say). */
    static JobID submit(MiniCluster cluster, Config cfg, StreamrecConfig config, String prefix, Path checkpoints,
                        long metricsEvery, Configuration extra, java.util.function.UnaryOperator<TrainerSettings> adjust)
            throws Exception {
        boolean exchange = cfg.exchange();
        KafkaIo io = new KafkaIo(config, "tx-" + prefix);
        io.streamrec.common.topic.ModelFamilies families = cfg.families();
        String run = java.util.UUID.randomUUID().toString();
        TrainerSettings settings = adjust.apply(settings(cfg, cfg.model(), metricsEvery, exchange).withRunId(run));
        if (families.several()) {
            settings = settings.inFamilySet(families);
        }
        TrainerJob job = new TrainerJob(settings, io.ratingsSource("g-" + prefix, false),
                families.several() ? io.factorsSink(families, families.first()) : io.factorsSink(), io.metricsSink(),
                io.deadLetterSink(), exchange ? new TrainerJob.ItemExchange(
                        io.itemExchangeSource(System.currentTimeMillis() - 1000, "gx-" + prefix), io.itemExchangeSink()) : null);
        for (ModelKind k : cfg.beside()) {
            job.withFamily(adjust.apply(settings(cfg, k, metricsEvery, exchange).withRunId(run))
                    .inFamilySet(families), io.factorsSink(families, k.id()));
        }
        // What `streamrec train` does: the dense weights go to the models topic (a no-op for MF, which has none).
        job.withModels(io.modelsSink());
        Configuration conf = FlinkSetup.trainerConfiguration(extra, checkpoints, Duration.ofSeconds(1), 0,
                Duration.ofSeconds(1), null);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(cfg.parallelism());
        job.build(env);
        var graph = env.getStreamGraph();
        graph.setJobId(new JobID());
        return cluster.submitJob(graph).get(2, TimeUnit.MINUTES).getJobID();
    }

    private static TrainerSettings settings(Config cfg, ModelKind model, long metricsEvery, boolean exchange) {
        return (model != ModelKind.MF
                ? new TrainerSettings(Map.of(MfHyperParameters.Keys.TYPE, model.id()), metricsEvery, exchange,
                        TrainerSettings.DEFAULT_EXCHANGE_INTERVAL_MS, false, TrainerSettings.DEFAULT_MAX_DIRTY_ROWS,
                        java.util.UUID.randomUUID().toString())
                : TrainerSettings.of(ModelKind.MF, MfHyperParameters.defaults(), metricsEvery, exchange, false))
                .withRankingEvery(cfg.rankingEvery()).withRankingUserPanel(cfg.userPanel());
    }

    private void produce(String topic, List<Rating> ratings) throws InterruptedException {
        Map<String, Object> c = new HashMap<>();
        c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ProducerConfig.ACKS_CONFIG, "all");
        // Not idempotent: on this box an idempotent producer into a fresh topic was seen to restart a partition's
        // sequence at 0 after ~100k records and retry forever on OUT_OF_ORDER_SEQUENCE_NUMBER. One request in flight
        // keeps the order; sendAll's acknowledged count proves nothing was lost (a rare retried duplicate is harmless
        // to a throughput figure).
        c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        c.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        c.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        c.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 * 1024 * 1024);
        c.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        c.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 120_000);
        c.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000);
        try (KafkaProducer<Long, byte[]> p = new KafkaProducer<>(c, new LongSerializer(), new ByteArraySerializer())) {
            awaitLeaders(p, topic);
            sendAll(p, topic, ratings);
        }
    }

    /**
     * Sends every rating (binary v1, keyed by user) and flushes; throws unless all were acknowledged: a benchmark or
     * test whose input silently lost records would prove nothing.
     */
    static void sendAll(KafkaProducer<Long, byte[]> producer, String topic, List<Rating> ratings) {
        RatingSerde serde = new RatingSerde();
        AtomicReference<Exception> failure = new AtomicReference<>();
        AtomicLong acked = new AtomicLong();
        for (Rating r : ratings) {
            producer.send(new ProducerRecord<>(topic, r.user(), serde.encode(r)), (md, e) -> {
                if (e != null) {
                    failure.compareAndSet(null, e);
                } else {
                    acked.incrementAndGet();
                }
            });
        }
        producer.flush();
        if (failure.get() != null || acked.get() != ratings.size()) {
            throw new IllegalStateException("produced " + acked.get() + " of " + ratings.size() + " ratings to " + topic, failure.get());
        }
    }

    private static void awaitLeaders(KafkaProducer<?, ?> p, String topic) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (p.partitionsFor(topic).stream().anyMatch(info -> info.leader() == null || info.leader().isEmpty())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("topic " + topic + " has partitions without a leader after 60 s");
            }
            Thread.sleep(100);
        }
    }

    private static String familyOf(String source, io.streamrec.common.topic.ModelFamilies families) {
        return io.streamrec.common.topic.ModelFamilies.familyOfSource(source).orElse(families.first());
    }

    /** The committed metrics reports, read until every family's subtasks' counts add up to the stream. */
    static List<ConsumerRecord<byte[], byte[]>> readMetricsUntilTrained(String bootstrap, String topic, long events, Duration timeout,
                                                                       io.streamrec.common.topic.ModelFamilies families) {
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-reader-" + topic);
        List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
        JsonSerde<PrequentialMetrics> serde = new JsonSerde<>(PrequentialMetrics.class);
        Map<String, Long> counts = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    all.add(r);
                    PrequentialMetrics m = serde.decode(r.value());
                    counts.put(m.source(), m.count());
                }
                Map<String, Long> byFamily = new HashMap<>();
                counts.forEach((source, n) -> byFamily.merge(familyOf(source, families), n, Long::sum));
                if (families.ids().stream().allMatch(f -> byFamily.getOrDefault(f, 0L) >= events)) {
                    return all;
                }
            }
        }
        throw new IllegalStateException("trained " + counts.values().stream().mapToLong(Long::longValue).sum() + " of " + events
                + " events within " + timeout);
    }

    static Run summarize(String name, long events, double wall, List<ConsumerRecord<byte[], byte[]>> records,
                                 CheckpointStatsSnapshot stats, Path checkpoints) throws IOException {
        JsonSerde<PrequentialMetrics> serde = new JsonSerde<>(PrequentialMetrics.class);
        List<PrequentialMetrics> reports = records.stream().map(r -> serde.decode(r.value()))
                .sorted(Comparator.comparingLong(PrequentialMetrics::wallTimeMs)).toList();
        Map<String, PrequentialMetrics> latest = new HashMap<>();
        long startWall = -1;
        long startCount = 0;
        double steady = Double.NaN;
        for (PrequentialMetrics m : reports) {
            latest.put(m.source(), m);
            long total = latest.values().stream().mapToLong(PrequentialMetrics::count).sum();
            if (startWall < 0 && total >= events / 10) {
                startWall = m.wallTimeMs();
                startCount = total;
            } else if (startWall >= 0 && m.wallTimeMs() > startWall) {
                steady = (total - startCount) * 1000.0 / (m.wallTimeMs() - startWall);
            }
        }
        double sq = 0;
        double abs = 0;
        long n = 0;
        double hits = 0;
        long samples = 0;
        for (PrequentialMetrics m : latest.values()) {
            sq += m.cumulativeRmse() * m.cumulativeRmse() * m.count();
            abs += m.cumulativeMae() * m.count();
            n += m.count();
            if (m.ranking() != null && m.ranking().samples() > 0) {
                hits += m.ranking().hitAt10() * m.ranking().samples();
                samples += m.ranking().samples();
            }
        }
        var summary = stats.getSummaryStats();
        long completed = stats.getCounts().getNumberOfCompletedCheckpoints();
        double p50 = completed == 0 ? Double.NaN : summary.getEndToEndDurationStats().getQuantile(0.5);
        double max = completed == 0 ? Double.NaN : summary.getEndToEndDurationStats().getMaximum();
        long checkpointed = completed == 0 ? 0 : (long) summary.getCheckpointedSize().getQuantile(0.5);
        long full = completed == 0 ? 0 : stats.getHistory().getCheckpoints().stream()
                .filter(cp -> cp.getStatus().isCompleted()).findFirst().map(cp -> cp.getStateSize()).orElse(0L);
        return new Run(name, wall, steady, Math.sqrt(sq / n), abs / n, completed, p50, max, checkpointed, full,
                samples == 0 ? Double.NaN : hits / samples, samples);
    }

    private static String mb(double bytes) {
        return BenchSection.fixed(bytes / 1e6, 1) + " MB";
    }

    /** ml-100k in time order, {@code copies} times with user ids shifted per copy; planted ratings without it. */
    static List<Rating> stream(Path udata, int copies) throws IOException {
        if (!Files.isRegularFile(udata)) {
            return SyntheticStream.planted(100_000 * copies, 943 * copies, 1682, 7);
        }
        List<Rating> base = new ArrayList<>();
        for (String line : Files.readAllLines(udata)) {
            String[] f = line.split("\t");
            base.add(new Rating(Long.parseLong(f[0]), Long.parseLong(f[1]), Float.parseFloat(f[2]), Long.parseLong(f[3]) * 1000));
        }
        base.sort(Comparator.comparingLong(Rating::timestampMs));
        List<Rating> out = new ArrayList<>(base.size() * copies);
        for (int c = 0; c < copies; c++) {
            for (Rating r : base) {
                out.add(new Rating(r.user() + 10_000L * c, r.item(), r.rating(), r.timestampMs()));
            }
        }
        return out;
    }
}
