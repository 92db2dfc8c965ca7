package io.streamrec.trainer.bench;

import io.streamrec.common.report.BenchDirectories;
import io.streamrec.common.config.LoopbackBinding;
import io.streamrec.common.config.Settings;
import io.streamrec.common.config.StreamrecConfig;
import io.streamrec.common.event.PrequentialMetrics;
import io.streamrec.common.report.BenchSection;
import io.streamrec.common.serde.JsonSerde;
import io.streamrec.common.topic.Topics;
import io.streamrec.ingest.replay.ProgressMode;
import io.streamrec.ingest.replay.ReplayConfig;
import io.streamrec.ingest.replay.ReplaySource;
import io.streamrec.ingest.replay.ReplaySummary;
import io.streamrec.ingest.replay.Replayer;
import io.streamrec.ingest.synthetic.SyntheticConfig;
import io.streamrec.model.ModelKind;
import io.streamrec.trainer.TrainerSettings;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.checkpoint.AbstractCheckpointStats;
import org.apache.flink.runtime.checkpoint.CheckpointStatsSnapshot;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the trainer's cost grows with the stream: the synthetic stream at MovieLens-25M shape (162 k users, 62 k items,
 * Zipf popularity) at several sizes, and one run with 2 M users, each ingested through the real {@link Replayer} and
 * trained by the real {@code TrainerJob} (RocksDB, 1 s exactly-once incremental checkpoints) on a MiniCluster in this
 * JVM, then caught up by a real scorer JVM; plus a Netflix-shape replay through ingest alone. Per run it samples
 * heap, RSS, process CPU and RocksDB's working directory every second, and keeps every checkpoint's duration and size;
 * it writes the "Scale" section of BENCHMARKS.md with a growth table and plots.
 * Usage: {@code ScaleCurveBench OUT.md BOOTSTRAP WORK_DIR PLOTS_DIR REPO_HOME RUNS [ingest events]}, RUNS a comma list of
 * {@code family:events:users} (e.g. {@code mf:1000000:162000}); ingest events 0 skips the Netflix-shape replay.
 * (Over 300 lines: one harness from producing the stream to the growth table; the trainer submission itself is
 * {@link TrainerThroughputBench#submit}.)
 */
public final class ScaleCurveBench {

    static final int ITEMS = 62_000;
    /** The scorer's /health once every committed factor row is applied (null while the lag is not known yet). */
    private static final Pattern FACTORS_CAUGHT_UP = Pattern.compile("\"factorsLag\":0(\\.0)?[,}]");
    private static final Pattern VM_RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");
    private static final String RUN_ID = Long.toString(System.currentTimeMillis(), 36);

    /** One point of the resource sampler: seconds since submission and what the JVM held then. */
    record Sample(double seconds, long heapBytes, long rssBytes, long cpuNanos, long rocksBytes) {
    }

    /** One run: a family, the stream's size and user count, and a user TTL in seconds (0 = none). */
    record Spec(ModelKind family, long events, int users, long ttlSeconds) {
        static Spec parse(String s) {
            String[] p = s.split(":");
            if (p.length != 3 && p.length != 4) {
                throw new IllegalArgumentException("a run is family:events:users[:ttl-seconds], got '" + s + "'");
            }
            return new Spec(ModelKind.parse(p[0]), Long.parseLong(p[1]), Integer.parseInt(p[2]),
                    p.length == 4 ? Long.parseLong(p[3]) : 0);
        }

        String label() {
            return family.id() + " " + millions(events) + " ev / " + thousands(users) + " users"
                    + (ttlSeconds > 0 ? " / user TTL " + ttlSeconds + " s" : "");
        }
    }

    record Result(Spec spec, double ingestPerSecond, double wallSeconds, TrainerThroughputBench.Run run, double cpuMicrosPerEvent,
                  List<Sample> samples, List<double[]> rate, List<double[]> checkpoints, long rocksMaxBytes,
                  long checkpointDirBytes, double scorerCatchUpSeconds, String scorerStores) {
        long heapMax() {
            return samples.stream().mapToLong(Sample::heapBytes).max().orElse(0);
        }

        long rssMax() {
            return samples.stream().mapToLong(Sample::rssBytes).max().orElse(0);
        }
    }

    private static String plotLinks;
    private static long startNanos;
    private static double loadBefore;

    private ScaleCurveBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 6) {
            System.err.println("usage: ScaleCurveBench OUT.md BOOTSTRAP WORK_DIR PLOTS_DIR REPO_HOME RUNS [ingest events]");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        String bootstrap = args[1];
        Path work = Path.of(args[2]).toAbsolutePath();
        Path plots = Path.of(args[3]).toAbsolutePath();
        Path home = Path.of(args[4]).toAbsolutePath();
        List<Spec> specs = java.util.Arrays.stream(args[5].split(",")).map(Spec::parse).toList();
        long ingestEvents = args.length > 6 ? Long.parseLong(args[6]) : 0;
        // How BENCHMARKS.md links the plots (the section is included there verbatim); relative to OUT's folder otherwise.
        plotLinks = args.length > 7 ? args[7] : null;
        startNanos = System.nanoTime();
        loadBefore = BenchSection.loadAverage();
        Configuration clusterConf = Configuration.fromMap(LoopbackBinding.FLINK);
        clusterConf.setString("taskmanager.memory.network.min", "64mb");
        clusterConf.setString("taskmanager.memory.network.max", "64mb");
        clusterConf.setString("taskmanager.memory.managed.size", "256mb");
        clusterConf.setString("rest.bind-port", "0");
        // Every checkpoint of a long run, not only the last ten: the size-over-time plot needs them all.
        clusterConf.setString("web.checkpoints.history", "100000");
        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder().setConfiguration(clusterConf)
                .setNumTaskManagers(1).setNumSlotsPerTaskManager(2).build());
        cluster.start();
        List<Result> results = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        ReplaySummary netflix = null;
        List<Sample> netflixSamples = List.of();
        try {
            for (Spec spec : specs) {
                System.err.printf("bench scale: %s ...%n", spec.label());
                try {
                    results.add(run(cluster, bootstrap, work, home, spec));
                } catch (Exception e) {
                    // One run that does not finish must not cost the others' figures: it becomes a line of the section.
                    System.err.printf("bench scale: %s failed: %s%n", spec.label(), e);
                    failures.add(spec.label() + ": " + e.getMessage());
                }
                // Written after every run, so a later failure or a kill keeps what was measured.
                section(results, failures, null, List.of(), plots, out).writeTo(out);
            }
            if (ingestEvents > 0) {
                System.err.printf("bench scale: Netflix-shape replay of %,d events through ingest ...%n", ingestEvents);
                Sampler sampler = new Sampler(null);
                sampler.start();
                String prefix = "scale" + RUN_ID + "-netflix-";
                SyntheticConfig shape = SyntheticConfig.defaults().withSize(480_189, 17_770, ingestEvents);
                netflix = replay(bootstrap, prefix, shape);
                netflixSamples = sampler.finish();
                deleteTopics(bootstrap, prefix);
            }
        } finally {
            cluster.close();
        }
        section(results, failures, netflix, netflixSamples, plots, out).writeTo(out);
        System.out.println("wrote " + out);
        System.exit(failures.isEmpty() ? 0 : 1);
    }

    private static BenchSection section(List<Result> results, List<String> failures, ReplaySummary netflix,
                                        List<Sample> netflixSamples, Path plots, Path out) throws IOException {
        BenchSection s = new BenchSection("Scale: how cost grows with the stream", "streamrec bench --only scale",
                startNanos, loadBefore);
        write(s, results, netflix, netflixSamples, plots, out);
        for (String f : failures) {
            s.text("**Run failed:** " + f);
        }
        return s;
    }

    private static Result run(MiniCluster cluster, String bootstrap, Path work, Path home, Spec spec) throws Exception {
        String prefix = "scale" + RUN_ID + "-" + spec.family().id() + "-" + spec.events() + "-" + spec.users() + "-"
                + spec.ttlSeconds() + "-";
        StreamrecConfig config = StreamrecConfig.from(Settings.builder()
                .put(StreamrecConfig.BOOTSTRAP_SERVERS, bootstrap, "bench")
                .put(StreamrecConfig.TOPIC_PREFIX, prefix, "bench")
                .put(StreamrecConfig.PARTITIONS, "2", "bench").build());
        io.streamrec.trainer.TrainerMain.ensureTopics(config, cfg(spec).families());
        ReplaySummary ingest = replay(bootstrap, prefix, SyntheticConfig.defaults().withSize(spec.users(), ITEMS, spec.events()));
        System.err.printf("bench scale: ingested %,d events at %,.0f/s%n", ingest.sent(), ingest.eventsPerSecond());

        Path rocks = work.resolve("rocksdb-" + prefix);
        Path checkpoints = work.resolve("checkpoints-" + prefix);
        Files.createDirectories(rocks);
        Configuration extra = new Configuration();
        extra.setString("state.backend.rocksdb.localdir", rocks.toString());
        TrainerThroughputBench.Config cfg = cfg(spec);
        long metricsEvery = Math.max(10_000, Math.min(100_000, spec.events() / 100));
        Sampler sampler = new Sampler(rocks);
        long t0 = System.nanoTime();
        sampler.start();
        JobID id = TrainerThroughputBench.submit(cluster, cfg, config, prefix, checkpoints, metricsEvery, extra,
                s -> s.withUserTtl(Duration.ofSeconds(spec.ttlSeconds())));
        List<ConsumerRecord<byte[], byte[]>> metrics;
        CheckpointStatsSnapshot stats;
        List<Sample> samples;
        try {
            // At least 4 k events/s (DL+ with 162 k users trains about 20 k/s here), or the run is broken rather than slow.
            Duration timeout = Duration.ofSeconds(Math.max(600, spec.events() / 4_000));
            metrics = TrainerThroughputBench.readMetricsUntilTrained(bootstrap, config.topics().metrics().name(), spec.events(),
                    timeout, cfg.families());
        } finally {
            samples = sampler.finish();
            stats = cluster.getExecutionGraph(id).get(1, TimeUnit.MINUTES).getCheckpointStatsSnapshot();
            cluster.cancelJob(id).get(1, TimeUnit.MINUTES);
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        TrainerThroughputBench.Run r = TrainerThroughputBench.summarize(spec.label(), spec.events(), wall, metrics, stats, checkpoints);
        long submitMs = System.currentTimeMillis() - (long) (wall * 1000);
        List<double[]> progress = progress(metrics, submitMs);
        List<double[]> cps = new ArrayList<>();
        for (AbstractCheckpointStats cp : stats.getHistory().getCheckpoints()) {
            if (cp.getStatus().isCompleted()) {
                cps.add(new double[]{(cp.getTriggerTimestamp() - submitMs) / 1000.0, cp.getEndToEndDuration(),
                        cp.getCheckpointedSize(), cp.getStateSize()});
            }
        }
        cps.sort(Comparator.comparingDouble(a -> a[0]));
        long checkpointDir = BenchDirectories.sizeOf(checkpoints);
        System.err.printf("bench scale: %s trained in %.1f s (%,.0f ev/s steady); starting a scorer to catch up ...%n",
                spec.label(), wall, r.steadyPerSecond());
        double[] catchUp = {Double.NaN};
        String stores = scorerCatchUp(home, bootstrap, prefix, work, spec, catchUp);
        BenchDirectories.deleteTree(rocks);
        BenchDirectories.deleteTree(checkpoints);
        deleteTopics(bootstrap, prefix);
        return new Result(spec, ingest.eventsPerSecond(), wall, r, steadyCpuMicros(progress, samples, spec.events()), samples, rate(progress),
                cps, samples.stream().mapToLong(Sample::rocksBytes).max().orElse(0), checkpointDir, catchUp[0], stores);
    }

    /** The run as a trainer-bench configuration: its family alone at parallelism 1 with the default ranking panel. */
    private static TrainerThroughputBench.Config cfg(Spec spec) {
        return new TrainerThroughputBench.Config(spec.family().id(), 1, false, TrainerSettings.DEFAULT_RANKING_EVERY,
                TrainerSettings.DEFAULT_RANKING_USER_PANEL, spec.family());
    }

    private static ReplaySummary replay(String bootstrap, String prefix, SyntheticConfig shape) {
        ReplayConfig rc = ReplayConfig.of(new ReplaySource.Synthetic(shape, null), new Topics(prefix)).withPartitions(2)
                .withMetadata(false).withProgress(ProgressMode.NONE);
        return new Replayer(rc, Replayer.producerConfig(bootstrap, Map.of())).run();
    }

    /** (seconds since submission, events trained by all subtasks) after each committed metrics report. */
    private static List<double[]> progress(List<ConsumerRecord<byte[], byte[]>> records, long submitMs) {
        JsonSerde<PrequentialMetrics> serde = new JsonSerde<>(PrequentialMetrics.class);
        List<PrequentialMetrics> reports = records.stream().map(r -> serde.decode(r.value()))
                .sorted(Comparator.comparingLong(PrequentialMetrics::wallTimeMs)).toList();
        Map<String, Long> latest = new LinkedHashMap<>();
        List<double[]> out = new ArrayList<>();
        for (PrequentialMetrics m : reports) {
            latest.put(m.source(), m.count());
            out.add(new double[]{(m.wallTimeMs() - submitMs) / 1000.0, latest.values().stream().mapToLong(Long::longValue).sum()});
        }
        return out;
    }

    /** Events/s over wall time in 5 s buckets. */
    private static List<double[]> rate(List<double[]> progress) {
        List<double[]> out = new ArrayList<>();
        double bucketStart = 0;
        double countAtStart = 0;
        for (double[] p : progress) {
            if (p[0] - bucketStart >= 5) {
                out.add(new double[]{p[0], (p[1] - countAtStart) / (p[0] - bucketStart)});
                bucketStart = p[0];
                countAtStart = p[1];
            }
        }
        return out;
    }

    /**
     * Process CPU per event over the same window as the steady rate (from 10 % of the stream to the last report), so
     * job start-up, JIT and the final checkpoint do not weigh on short runs more than on long ones.
     */
    static double steadyCpuMicros(List<double[]> progress, List<Sample> samples, long events) {
        double[] from = progress.stream().filter(p -> p[1] >= events / 10.0).findFirst().orElse(null);
        double[] to = progress.isEmpty() ? null : progress.get(progress.size() - 1);
        if (from == null || to == null || to[1] <= from[1] || samples.isEmpty()) {
            return Double.NaN;
        }
        return (cpuAt(samples, to[0]) - cpuAt(samples, from[0])) / 1000.0 / (to[1] - from[1]);
    }

    /** The process CPU of the first sample at or after {@code seconds} (the last one when none is). */
    private static long cpuAt(List<Sample> samples, double seconds) {
        for (Sample x : samples) {
            if (x.seconds() >= seconds) {
                return x.cpuNanos();
            }
        }
        return samples.get(samples.size() - 1).cpuNanos();
    }

    /**
     * A scorer JVM (the scorer module's classpath: its RocksDB must not meet Flink's) on the run's topics from empty
     * state; the seconds until it has applied every committed factor row go into {@code seconds[0]}; returns its store
     * sizes from /prometheus.
     */
    private static String scorerCatchUp(Path home, String bootstrap, String prefix, Path work, Spec spec, double[] seconds)
            throws IOException, InterruptedException {
        Path target = home.resolve("scorer/target");
        Path cpFile = target.resolve("runtime-classpath.txt");
        if (!Files.isRegularFile(cpFile)) {
            return "scorer not built (" + cpFile + " missing)";
        }
        int port;
        try (java.net.ServerSocket ss = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = ss.getLocalPort();
        }
        Path state = work.resolve("scorer-" + prefix);
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx2g",
                "-XX:+UseParallelGC", "--add-modules", "jdk.incubator.vector",
                "-D" + io.streamrec.common.config.ParentWatch.PARENT_PID + "=" + ProcessHandle.current().pid(),
                "-cp", target.resolve("classes") + File.pathSeparator + Files.readString(cpFile, StandardCharsets.UTF_8).trim(),
                "io.streamrec.scorer.ScorerMain", "-b", bootstrap, "--topic-prefix", prefix, "--http", "127.0.0.1:" + port,
                "--state-dir", state.toString(), "--application-id", prefix + "scorer", "--set", "data.dir=" + work);
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve("scorer-" + prefix + ".log").toFile())).start();
        HttpClient http = HttpClient.newHttpClient();
        try {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
            while (System.nanoTime() < deadline && p.isAlive()) {
                String h = get(http, "http://127.0.0.1:" + port + "/health");
                if (h != null && h.contains("\"ready\":true") && FACTORS_CAUGHT_UP.matcher(h).find() && items(h) > 0) {
                    seconds[0] = (System.nanoTime() - t0) / 1e9;
                    break;
                }
                Thread.sleep(250);
            }
            String prom = get(http, "http://127.0.0.1:" + port + "/prometheus");
            StringBuilder stores = new StringBuilder();
            if (prom != null) {
                Matcher m = Pattern.compile("streamrec_scorer_store_entries\\{store=\"([^\"]+)\"} ([0-9.eE+]+)").matcher(prom);
                while (m.find()) {
                    if (Double.parseDouble(m.group(2)) == 0) {
                        continue;
                    }
                    stores.append(stores.length() == 0 ? "" : ", ").append(m.group(1)).append(' ')
                            .append(BenchSection.count(Double.parseDouble(m.group(2))));
                }
            }
            return stores.length() == 0 ? "–" : stores.toString();
        } finally {
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            BenchDirectories.deleteTree(state);
        }
    }

    private static int items(String health) {
        Matcher m = Pattern.compile("\"items\":(\\d+)").matcher(health);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    private static String get(HttpClient http, String url) throws InterruptedException {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static void deleteTopics(String bootstrap, String prefix) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            List<String> mine = admin.listTopics().names().get(30, TimeUnit.SECONDS).stream().filter(t -> t.startsWith(prefix)).toList();
            admin.deleteTopics(mine).all().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("bench scale: could not delete topics " + prefix + "*: " + e);
        }
    }

    private static void write(BenchSection s, List<Result> results, ReplaySummary netflix, List<Sample> netflixSamples,
                              Path plots, Path out) throws IOException {
        s.text("The synthetic stream (`SyntheticStream`: planted rank-8 biased MF, Zipf 0.6 user activity and 0.8 item "
                + "popularity) at MovieLens-25M shape, " + thousands(ITEMS) + " items, ingested by the real `Replayer` "
                + "(idempotent, acks=all) into a 2-partition topic on the embedded broker, then trained by the real "
                + "`TrainerJob` at parallelism 1 on a MiniCluster in the harness JVM (RocksDB, incremental exactly-once "
                + "checkpoints every 1 s, the default ranking panel), each family at its defaults; then a real scorer JVM "
                + "starts on the run's topics with empty state and is timed until it has applied every committed factor "
                + "row. CPU = the harness JVM's process CPU per event while training (the broker runs in another JVM): "
                + "less sensitive to other tenants than wall-clock rates, over the same window as the steady rate (10 % of "
                + "the stream to the end). Old gen after GC (the heap's live data, ParallelGC), RSS and RocksDB's working "
                + "directory are sampled every second.");
        BenchSection.Table t = s.table("run", "ingest events/s", "end-to-end events/s", "steady events/s", "CPU µs/event",
                "prequential RMSE", "checkpoints", "checkpoint p50 / max ms", "incremental p50", "full state at end",
                "RocksDB dir max", "old gen after GC max", "RSS max", "scorer catch-up s", "scorer stores");
        for (Result r : results) {
            TrainerThroughputBench.Run run = r.run();
            t.row(r.spec().label(), BenchSection.count(r.ingestPerSecond()), BenchSection.count(r.spec().events() / r.wallSeconds()),
                    BenchSection.count(run.steadyPerSecond()), BenchSection.fixed(r.cpuMicrosPerEvent(), 2),
                    BenchSection.fixed(run.rmse(), 4), BenchSection.count(run.checkpoints()),
                    BenchSection.count(run.checkpointP50Ms()) + " / " + BenchSection.count(run.checkpointMaxMs()),
                    mb(run.checkpointedBytesP50()), mb(run.fullStateBytes()), mb(r.rocksMaxBytes()), mb(r.heapMax()),
                    mb(r.rssMax()), BenchSection.fixed(r.scorerCatchUpSeconds(), 1), r.scorerStores());
        }
        t.end();
        growth(s, results);
        ttlEffect(s, results);
        Files.createDirectories(plots);
        List<String> links = new ArrayList<>();
        links.add(plot(plots, out, "scale-throughput", "Trainer events/s over time (5 s buckets)", "seconds since submission",
                "events/s", results, r -> r.rate()));
        links.add(plot(plots, out, "scale-checkpoint-size", "Checkpoint full state size over time", "seconds since submission",
                "MB", results, r -> r.checkpoints().stream().map(c -> new double[]{c[0], c[3] / 1e6}).toList()));
        links.add(plot(plots, out, "scale-checkpoint-duration", "Checkpoint duration over time", "seconds since submission",
                "ms", results, r -> r.checkpoints().stream().map(c -> new double[]{c[0], c[1]}).toList()));
        links.add(plot(plots, out, "scale-memory", "Harness JVM RSS over time (MiniCluster + trainer)", "seconds since submission",
                "MB", results, r -> r.samples().stream().map(x -> new double[]{x.seconds(), x.rssBytes() / 1e6}).toList()));
        s.text("Plots: " + String.join(" · ", links));
        if (netflix != null) {
            long rssMax = netflixSamples.stream().mapToLong(Sample::rssBytes).max().orElse(0);
            long heapMax = netflixSamples.stream().mapToLong(Sample::heapBytes).max().orElse(0);
            long rssFirst = netflixSamples.size() > 5 ? netflixSamples.get(5).rssBytes()
                    : netflixSamples.isEmpty() ? 0 : netflixSamples.get(0).rssBytes();
            s.heading("Netflix-shape replay through ingest");
            s.text("The synthetic stream at Netflix Prize shape (480,189 users, 17,770 items) through the real `Replayer`, "
                    + BenchSection.count(netflix.sent()) + " events in " + BenchSection.fixed(netflix.elapsedMs() / 1000.0, 1)
                    + " s: **" + BenchSection.count(netflix.eventsPerSecond()) + " events/s**; RSS of the harness JVM "
                    + mb(rssFirst) + " five seconds in and " + mb(rssMax) + " at most, old gen after GC at most " + mb(heapMax)
                    + " (the generator holds factors and alias tables, never events).");
        }
    }

    /** Ratio per 5× more events (same family and users) and per 10× more users (same family and events). */
    private static void growth(BenchSection s, List<Result> results) {
        BenchSection.Table g = s.table("family", "from → to", "steady events/s", "CPU µs/event", "checkpoint p50",
                "full state", "RocksDB dir", "old gen after GC", "scorer catch-up");
        boolean any = false;
        for (Result a : results) {
            for (Result b : results) {
                Spec x = a.spec();
                Spec y = b.spec();
                if (x.family() != y.family() || x == y || x.ttlSeconds() != y.ttlSeconds()) {
                    continue;
                }
                boolean moreEvents = x.users() == y.users() && y.events() == 5 * x.events();
                boolean moreUsers = x.events() == y.events() && y.users() >= 10 * x.users();
                if (!moreEvents && !moreUsers) {
                    continue;
                }
                any = true;
                g.row(x.family().id(), (moreEvents ? "5× events: " : "×" + (y.users() / x.users()) + " users: ")
                                + millions(x.events()) + "/" + thousands(x.users()) + " → " + millions(y.events()) + "/" + thousands(y.users()),
                        ratio(b.run().steadyPerSecond(), a.run().steadyPerSecond()), ratio(b.cpuMicrosPerEvent(), a.cpuMicrosPerEvent()),
                        ratio(b.run().checkpointP50Ms(), a.run().checkpointP50Ms()), ratio(b.run().fullStateBytes(), a.run().fullStateBytes()),
                        ratio(b.rocksMaxBytes(), a.rocksMaxBytes()), ratio(b.heapMax(), a.heapMax()),
                        ratio(b.scorerCatchUpSeconds(), a.scorerCatchUpSeconds()));
            }
        }
        if (any) {
            g.end();
        }
    }

    /** Each run with a user TTL against the same run without one: accuracy and state. */
    private static void ttlEffect(BenchSection s, List<Result> results) {
        for (Result t : results) {
            if (t.spec().ttlSeconds() == 0) {
                continue;
            }
            results.stream().filter(r -> r.spec().ttlSeconds() == 0 && r.spec().family() == t.spec().family()
                    && r.spec().events() == t.spec().events() && r.spec().users() == t.spec().users()).findFirst().ifPresent(r ->
                    s.text("User TTL of " + t.spec().ttlSeconds() + " s (`--user-ttl`, processing time) on " + r.spec().label()
                            + ": prequential RMSE " + BenchSection.fixed(t.run().rmse(), 4) + " against "
                            + BenchSection.fixed(r.run().rmse(), 4) + " without, full checkpointed state "
                            + mb(t.run().fullStateBytes()) + " against " + mb(r.run().fullStateBytes()) + ", RocksDB directory at most "
                            + mb(t.rocksMaxBytes()) + " against " + mb(r.rocksMaxBytes()) + ", steady "
                            + BenchSection.count(t.run().steadyPerSecond()) + " against " + BenchSection.count(r.run().steadyPerSecond())
                            + " events/s."));
        }
    }

    interface Series {
        List<double[]> of(Result r);
    }

    private static String plot(Path plots, Path out, String name, String title, String x, String y, List<Result> results,
                               Series series) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(420).title(title).xAxisTitle(x).yAxisTitle(y).build();
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
        for (Result r : results) {
            List<double[]> pts = series.of(r);
            if (pts.isEmpty()) {
                continue;
            }
            chart.addSeries(r.spec().label(), pts.stream().mapToDouble(p -> p[0]).toArray(), pts.stream().mapToDouble(p -> p[1]).toArray())
                    .setMarker(SeriesMarkers.NONE);
        }
        if (chart.getSeriesMap().isEmpty()) {
            chart.addSeries("no data", new double[]{0}, new double[]{0});
        }
        Path file = plots.resolve(name + ".png");
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        Path base = out.toAbsolutePath().getParent();
        String rel = plotLinks != null ? plotLinks + "/" + file.getFileName()
                : base == null ? file.toString() : base.relativize(file.toAbsolutePath()).toString().replace('\\', '/');
        return "[" + title + "](" + rel + ")";
    }

    private static String ratio(double to, double from) {
        return from > 0 && Double.isFinite(from) && Double.isFinite(to) ? BenchSection.fixed(to / from, 2) + "×" : "–";
    }

    private static String mb(double bytes) {
        return BenchSection.fixed(bytes / 1e6, 1) + " MB";
    }

    private static String millions(long n) {
        return n % 1_000_000 == 0 ? n / 1_000_000 + " M" : String.format(Locale.ROOT, "%.1f M", n / 1e6);
    }

    private static String thousands(long n) {
        return n >= 1_000_000 && n % 100_000 == 0 ? String.format(Locale.ROOT, "%.1f M", n / 1e6).replace(".0 M", " M")
                : Math.round(n / 1000.0) + " k";
    }

    /** Samples this JVM's heap, RSS and CPU (and a directory's size) once a second on a daemon thread. */
    static final class Sampler extends Thread {
        private final Path dir;
        private final List<Sample> samples = new ArrayList<>();
        private final long t0 = System.nanoTime();
        private volatile boolean done;

        Sampler(Path dir) {
            super("scale-sampler");
            setDaemon(true);
            this.dir = dir;
        }

        @Override
        public void run() {
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            var mem = ManagementFactory.getMemoryMXBean();
            int tick = 0;
            long rocks = 0;
            while (!done) {
                if (dir != null && tick++ % 5 == 0) {
                    rocks = BenchDirectories.sizeOf(dir);
                }
                Sample x = new Sample((System.nanoTime() - t0) / 1e9, liveHeap(mem), rss(),
                        os.getProcessCpuTime(), rocks);
                synchronized (samples) {
                    samples.add(x);
                }
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        List<Sample> finish() throws InterruptedException {
            done = true;
            interrupt();
            join(5000);
            synchronized (samples) {
                return List.copyOf(samples);
            }
        }

        /**
         * The old generation's occupancy after its last collection: what the heap really holds, unlike "used", which
         * swings with garbage not yet collected (heap used when no collection has run yet).
         */
        private static long liveHeap(java.lang.management.MemoryMXBean mem) {
            for (var pool : ManagementFactory.getMemoryPoolMXBeans()) {
                var after = pool.getCollectionUsage();
                if (pool.getType() == java.lang.management.MemoryType.HEAP && after != null && after.getUsed() > 0
                        && (pool.getName().contains("Old") || pool.getName().contains("Tenured"))) {
                    return after.getUsed();
                }
            }
            return mem.getHeapMemoryUsage().getUsed();
        }

        private static long rss() {
            try {
                Matcher m = VM_RSS.matcher(Files.readString(Path.of("/proc/self/status")));
                return m.find() ? Long.parseLong(m.group(1)) * 1024 : 0;
            } catch (IOException e) {
                return 0;
            }
        }
    }
}
