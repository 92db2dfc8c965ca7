package io.streamrec.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamrec.broker.EmbeddedKafkaBroker;
import io.streamrec.cli.demo.AtomicFiles;
import io.streamrec.cli.demo.DataDirManifest;
import io.streamrec.cli.demo.DatasetChoice;
import io.streamrec.cli.demo.DatasetIdentity;
import io.streamrec.cli.demo.DemoDatasets;
import io.streamrec.cli.demo.KafkaProgress;
import io.streamrec.cli.demo.ManagedProcess;
import io.streamrec.common.config.LogLevels;
import io.streamrec.common.event.PrequentialMetrics;
import io.streamrec.common.event.Rating;
import io.streamrec.common.topic.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * {@code streamrec demo}: broker, trainer, scorer and a replay as supervised child processes on 127.0.0.1, with a
 * live status line per component, the dashboard URL, and (with {@code --until-done}) a JSON report.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Start broker, trainer, scorer and a replay on 127.0.0.1 and watch a recommender learn live.",
                "Prints the dashboard URL; Ctrl-C stops everything."})
public final class DemoCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(DemoCommand.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Pattern BOOTSTRAP_LINE = Pattern.compile("bootstrap\\.servers=(\\S+)");

    @Option(names = "--dataset", paramLabel = "PATH|ml-latest-small|ml-100k|synthetic", defaultValue = "ml-latest-small",
            description = "What to replay (default ${DEFAULT-VALUE}: local cache, else downloaded with a checksum, else synthetic).")
    String dataset;

    @Option(names = "--rate", paramLabel = "N", description = "Replay at N events/s.")
    Double rate;

    @Option(names = "--speedup", paramLabel = "X", description = "Replay X seconds of dataset time per second.")
    Double speedup;

    @Option(names = "--fast", description = "Replay as fast as possible.")
    boolean fast;

    @Option(names = "--duration", paramLabel = "SECONDS", defaultValue = "120",
            description = "Default pace: the whole dataset in about this many seconds (default ${DEFAULT-VALUE}).")
    int durationSeconds;

    @Option(names = "--until-done", description = "Exit once the replay is fully trained and the scorer has caught up.")
    boolean untilDone;

    @Option(names = "--report", paramLabel = "FILE", description = "Write a JSON report here at the end (with --until-done).")
    Path report;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = ".streamrec/demo",
            description = "Kafka data, checkpoints, scorer state and logs (default ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--fresh", description = "Delete the data directory first (a clean start).")
    boolean fresh;

    @Option(names = "--http-port", defaultValue = "8080", description = "Scorer/dashboard port on 127.0.0.1; 0 picks one (default ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--parallelism", defaultValue = "1", description = "Trainer parallelism (default ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(names = "--no-download", description = "Never download datasets.")
    boolean noDownload;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "900",
            description = "With --until-done: give up after this long (default ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = "--plots", paramLabel = "DIR", description = "With --until-done: write throughput, RMSE and freshness PNGs here.")
    Path plots;

    @Option(names = "--linger", paramLabel = "SECONDS", defaultValue = "0",
            description = "With --until-done: keep everything (and the dashboard) up this long after the report (default ${DEFAULT-VALUE}).")
    int lingerSeconds;

    @Option(names = "--probes", defaultValue = "20", description = "Freshness probes at the end (default ${DEFAULT-VALUE}).")
    int probes;

    @Option(names = {"-v", "--verbose"}, description = "Log more.")
    boolean verbose;

    private final io.streamrec.cli.demo.Timeline timeline = new io.streamrec.cli.demo.Timeline();
    private ManagedProcess brokerProcess;

    private final List<ManagedProcess> children = new ArrayList<>();
    private final CountDownLatch stop = new CountDownLatch(1);
    private final PrintStream out;

    public DemoCommand() {
        this(System.out);
    }

    /** With the console lines going to {@code out} (tests read them). */
    DemoCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        validate();
        long t0 = System.currentTimeMillis();
        Path home = ChildJvm.home();
        // The dataset first: whether the data directory can be reused depends on what it was built from.
        DatasetChoice choice = chooseDataset(home);
        if (!prepareDataDir(DatasetIdentity.of(choice))) {
            return 2;
        }
        Path logs = dataDir.resolve("logs");
        for (String sig : List.of("INT", "TERM")) {
            Signal.handle(new Signal(sig), s -> stop.countDown());
        }
        out.println("streamrec " + LogLevels.version(DemoCommand.class) + " demo: " + choice.description());
        try {
            // The broker's port is chosen up front so trainer and scorer start at the same time as the broker (their
            // clients retry until it answers): launch-to-first-recommendation is dominated by JVM and Flink start-up.
            int kafkaPort = EmbeddedKafkaBroker.freePort();
            ManagedProcess broker = startChild("broker", "cli", StreamrecCli.class.getName(),
                    List.of("broker", "--port", Integer.toString(kafkaPort), "--data-dir", dataDir.resolve("kafka").toString(),
                            "--partitions", "2"), BOOTSTRAP_LINE, logs);
            brokerProcess = broker;
            String bootstrap = "127.0.0.1:" + kafkaPort;
            int port = httpPort == 0 ? EmbeddedKafkaBroker.freePort() : httpPort;
            String http = "http://127.0.0.1:" + port;
            ManagedProcess scorer = startChild("scorer", "scorer", ScoreCommand.MAIN,
                    List.of("-b", bootstrap, "--http", "127.0.0.1:" + port,
                            "--state-dir", dataDir.resolve("scorer-state").toAbsolutePath().toString()), null, logs);
            ManagedProcess trainer = startChild("trainer", "stream-trainer", TrainCommand.MAIN,
                    List.of("-b", bootstrap, "--checkpoint-dir", dataDir.resolve("checkpoints").toAbsolutePath().toString(),
                            "--checkpoint-interval", "1s", "--parallelism", Integer.toString(parallelism)), null, logs);
            broker.ready().get(90, TimeUnit.SECONDS);
            out.println("  broker   ready at " + bootstrap + " (" + (System.currentTimeMillis() - t0) + " ms)");
            ManagedProcess replay = startChild("replay", "cli", StreamrecCli.class.getName(), replayArgs(choice, bootstrap), null, logs);
            out.println("  dashboard " + http + "/   (logs in " + logs + ")");

            try (KafkaProgress progress = new KafkaProgress(bootstrap, Topics.defaults())) {
                return supervise(choice, bootstrap, http, progress, replay, trainer, scorer, stop, t0);
            }
        } finally {
            stopAll();
        }
    }

    private int supervise(DatasetChoice choice, String bootstrap, String http, KafkaProgress progress,
                          ManagedProcess replay, ManagedProcess trainer, ManagedProcess scorer,
                          CountDownLatch stop, long t0) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        boolean tty = System.console() != null;
        long deadline = t0 + TimeUnit.SECONDS.toMillis(timeoutSeconds);
        long firstRecommendationMs = -1;
        long lastPrint = 0;
        int printedLines = 0;
        Topics topics = Topics.defaults();
        while (!stop.await(1, TimeUnit.SECONDS)) {
            for (ManagedProcess p : List.of(trainer, scorer)) {
                if (!p.isAlive()) {
                    return failed(p);
                }
            }
            if (!replay.isAlive() && replay.exitValue() != 0) {
                return failed(replay);
            }
            long in = progress.committedEnd(topics.ratings().name());
            long dlq = progress.committedEnd(topics.ratingsDlq().name());
            long trained = trained(progress, topics);
            Map<String, PrequentialMetrics> metrics = progress.pollMetrics();
            boolean scorerUp = healthy(client, http);
            if (firstRecommendationMs < 0 && scorerUp && anyRecommendation(client, http, choice)) {
                firstRecommendationMs = System.currentTimeMillis() - t0;
                out.println("  first recommendation served " + firstRecommendationMs + " ms after launch");
            }
            String[] lines = statusLines(in, trained, dlq, metrics, replay, scorerUp);
            long now = System.currentTimeMillis();
            timeline.add(new io.streamrec.cli.demo.Timeline.Sample(now - t0, in, trained, Math.max(0, in - dlq - trained),
                    io.streamrec.cli.demo.ProcessStats.directorySize(dataDir.resolve("checkpoints")),
                    rssMb(brokerProcess), rssMb(trainer), rssMb(scorer)));
            peak(trainer);
            peak(scorer);
            peak(brokerProcess);
            if (tty) {
                if (printedLines > 0) {
                    out.print("\033[" + printedLines + "A");
                }
                for (String l : lines) {
                    out.print("\033[2K" + l + "\n");
                }
                printedLines = lines.length;
            } else if (now - lastPrint > 5_000) {
                out.println(String.join(" | ", lines));
                lastPrint = now;
            }
            out.flush();
            boolean replayDone = !replay.isAlive() && replay.exitValue() == 0;
            if (untilDone && replayDone && in > 0 && trained >= in - dlq && scorerUp && scorerCaughtUp(client, http)) {
                out.println("replay fully trained: " + trained + " events; scorer caught up.");
                int rc = finish(choice, bootstrap, http, client, progress, in, trained, dlq, t0, firstRecommendationMs);
                if (lingerSeconds > 0) {
                    out.println("dashboard stays up at " + http + "/ for " + lingerSeconds + " s (Ctrl-C to stop now)");
                    out.flush();
                    stop.await(lingerSeconds, TimeUnit.SECONDS);
                }
                return rc;
            }
            if (untilDone && now > deadline) {
                out.println("demo: gave up after " + timeoutSeconds + " s (ingested " + in + ", trained " + trained + ")");
                return 1;
            }
        }
        out.println("\nstopping (Ctrl-C)...");
        return 0;
    }

    private final Map<String, Long> peakRssMb = new LinkedHashMap<>();

    private static long rssMb(ManagedProcess p) {
        return p == null ? -1 : io.streamrec.cli.demo.ProcessStats.of(p.pid()).rssKb() / 1024;
    }

    private void peak(ManagedProcess p) {
        if (p != null && p.isAlive()) {
            long hwm = io.streamrec.cli.demo.ProcessStats.of(p.pid()).peakRssKb() / 1024;
            peakRssMb.merge(p.name(), hwm, Math::max);
        }
    }

    private long trained(KafkaProgress progress, Topics topics) {
        long best = 0;
        for (String g : progress.groups("streamrec-trainer")) {
            best = Math.max(best, progress.groupCommitted(g, topics.ratings().name()));
        }
        return best;
    }

    /** The scorer reports how many published factor records it has not applied yet; 0 means caught up. */
    private static boolean scorerCaughtUp(HttpClient client, String http) {
        JsonNode h = get(client, http + "/health");
        return h != null && h.path("factorsLag").isNumber() && h.path("factorsLag").asDouble() == 0;
    }

    private String[] statusLines(long in, long trained, long dlq, Map<String, PrequentialMetrics> metrics,
                                 ManagedProcess replay, boolean scorerUp) {
        double windowRmse = metrics.values().stream().mapToDouble(PrequentialMetrics::windowRmse).filter(d -> !Double.isNaN(d)).average().orElse(Double.NaN);
        long scored = metrics.values().stream().mapToLong(PrequentialMetrics::count).sum();
        double cumSq = metrics.values().stream().mapToDouble(m -> m.cumulativeRmse() * m.cumulativeRmse() * m.count()).sum();
        double cumRmse = scored == 0 ? Double.NaN : Math.sqrt(cumSq / scored);
        double eps = metrics.values().stream().mapToDouble(PrequentialMetrics::eventsPerSecond).sum();
        String drift = metrics.values().stream().map(m -> m.drift().name()).filter(d -> !d.equals("STABLE")).findFirst().orElse("stable");
        return new String[]{
                String.format("  replay   %-8s events in %,d", replay.isAlive() ? "running" : "done", in),
                String.format("  trainer  trained %,d  lag %,d  prequential RMSE window %.4f cumulative %.4f  %,.0f ev/s  drift %s",
                        trained, Math.max(0, in - dlq - trained), windowRmse, cumRmse, eps, drift),
                String.format("  scorer   %s  dead letters %,d", scorerUp ? "serving" : "starting", dlq)};
    }

    private int finish(DatasetChoice choice, String bootstrap, String http, HttpClient client, KafkaProgress progress,
                       long in, long trained, long dlq, long t0, long firstRecommendationMs) throws Exception {
        double sustained = trainerThroughput(progress.history());
        long maxLag = timeline.maxLag();
        long elapsed = System.currentTimeMillis() - t0;
        List<Long> freshness = measureFreshness(choice, bootstrap, http, client, probes);
        progress.pollMetrics();
        List<PrequentialMetrics> history = progress.history();
        Map<String, PrequentialMetrics> latest = progress.pollMetrics();
        long scored = latest.values().stream().mapToLong(PrequentialMetrics::count).sum();
        double cumRmse = scored == 0 ? Double.NaN : Math.sqrt(latest.values().stream()
                .mapToDouble(m -> m.cumulativeRmse() * m.cumulativeRmse() * m.count()).sum() / scored);
        double windowRmse = latest.values().stream().mapToDouble(PrequentialMetrics::windowRmse).average().orElse(Double.NaN);

        ObjectNode r = JSON.createObjectNode();
        r.put("dataset", choice.description());
        // Counts as they stood when the replay was fully trained, before the freshness probes added their own events.
        r.put("events", in);
        r.put("trained", trained);
        r.put("dlq", dlq);
        r.put("prequentialRmse", cumRmse);
        r.put("finalWindowRmse", windowRmse);
        r.put("eventsPerSecond", in * 1000.0 / Math.max(1, elapsed));
        r.put("elapsedMs", elapsed);
        r.put("firstRecommendationMs", firstRecommendationMs);
        freshness.sort(Comparator.naturalOrder());
        r.put("freshnessProbes", freshness.size());
        r.put("freshnessP50Ms", percentile(freshness, 0.50));
        r.put("freshnessP95Ms", percentile(freshness, 0.95));
        r.put("freshnessP99Ms", percentile(freshness, 0.99));
        r.put("metricsReports", history.size());
        r.put("sustainedTrainedPerSecond", sustained);
        r.put("maxLag", maxLag);
        r.put("checkpointBytes", io.streamrec.cli.demo.ProcessStats.directorySize(dataDir.resolve("checkpoints")));
        ObjectNode peaks = r.putObject("peakRssMb");
        peakRssMb.forEach(peaks::put);
        ArrayNode fr = r.putArray("freshnessMs");
        freshness.forEach(fr::add);
        if (plots != null) {
            io.streamrec.cli.demo.Plots.throughput(timeline, plots.resolve("throughput.png"));
            io.streamrec.cli.demo.Plots.rmse(history, "Prequential RMSE over the stream: " + choice.description(),
                    plots.resolve("prequential-rmse-stream.png"));
            io.streamrec.cli.demo.Plots.freshness(freshness, plots.resolve("freshness.png"));
            out.println("plots written to " + plots);
        }
        ArrayNode samples = r.putArray("sampleRecommendations");
        for (long user : choice.sampleUsers()) {
            JsonNode recs = get(client, http + "/users/" + user + "/recommendations?k=5");
            ObjectNode s = samples.addObject();
            s.put("user", user);
            s.set("response", recs);
            Set<Long> rated = choice.ratedBy().getOrDefault(user, Set.of());
            boolean excludes = true;
            if (recs != null && recs.has("items")) {
                for (JsonNode it : recs.get("items")) {
                    excludes &= !rated.contains(it.path("item").asLong());
                }
            }
            s.put("excludesRatedItems", excludes);
        }
        printSummary(r);
        if (report != null) {
            // Whoever waits for the report (a script, DemoEndToEndTest) reads it as soon as it exists: never half of it.
            AtomicFiles.write(report, JSON.writeValueAsBytes(r));
            out.println("report written to " + report);
        }
        return 0;
    }

    /** Produces one rating per probe user and times until the scorer's answer for that user changes model version. */
    private List<Long> measureFreshness(DatasetChoice choice, String bootstrap, String http, HttpClient client, int probes) {
        List<Long> out = new ArrayList<>();
        var topic = Topics.defaults().ratings();
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", bootstrap, "acks", "all",
                "enable.idempotence", true, "linger.ms", 0), topic.keySerde().serializer(), topic.valueSerde().serializer())) {
            List<Long> users = choice.sampleUsers();
            for (int i = 0; i < probes && !users.isEmpty(); i++) {
                long user = users.get(i % users.size());
                JsonNode before = get(client, http + "/users/" + user + "/recommendations?k=5");
                long v0 = before == null ? -1 : before.path("modelVersion").asLong(-1);
                String items0 = before == null ? "" : before.path("items").toString();
                long item = choice.unratedItem(user, i);
                long sent = System.currentTimeMillis();
                producer.send(new ProducerRecord<>(topic.name(), user, new Rating(user, item, 4.0f, choice.maxTimestamp() + 1 + i))).get();
                long deadline = sent + 15_000;
                while (System.currentTimeMillis() < deadline) {
                    JsonNode now = get(client, http + "/users/" + user + "/recommendations?k=5");
                    // The user's new row changes every score of their list; the version alone can miss it when
                    // another subtask's counter is ahead (parallelism > 1).
                    if (now != null && (now.path("modelVersion").asLong(-1) > v0 || !now.path("items").toString().equals(items0))) {
                        out.add(System.currentTimeMillis() - sent);
                        break;
                    }
                    Thread.sleep(20);
                }
            }
        } catch (Exception e) {
            LOG.warn("freshness probes stopped: {}", e.toString());
        }
        return out;
    }

    private void printSummary(ObjectNode r) {
        out.println();
        out.printf("summary: %s%n", r.path("dataset").asText());
        out.printf("  events %,d  trained %,d  dead letters %,d  in %.1f s (%,.0f events/s)%n", r.path("events").asLong(),
                r.path("trained").asLong(), r.path("dlq").asLong(), r.path("elapsedMs").asLong() / 1000.0,
                r.path("eventsPerSecond").asDouble());
        out.printf("  prequential RMSE %.4f (last window %.4f)  freshness p50 %d ms p95 %d ms  first recommendation after %d ms%n",
                r.path("prequentialRmse").asDouble(), r.path("finalWindowRmse").asDouble(),
                r.path("freshnessP50Ms").asLong(), r.path("freshnessP95Ms").asLong(), r.path("firstRecommendationMs").asLong());
        for (JsonNode s : r.path("sampleRecommendations")) {
            out.printf("  user %d:%n", s.path("user").asLong());
            for (JsonNode it : s.path("response").path("items")) {
                out.printf("    %.2f  %s%n", it.path("score").asDouble(), it.path("title").asText("item " + it.path("item").asText()));
            }
        }
    }

    /**
     * Training throughput from the trainer's own prequential reports (count and wall time per subtask): committed
     * offsets only move at checkpoints, too coarse for a run of a few seconds.
     */
    static double trainerThroughput(List<PrequentialMetrics> history) {
        Map<String, List<PrequentialMetrics>> bySource = new HashMap<>();
        history.forEach(m -> bySource.computeIfAbsent(m.source(), k -> new ArrayList<>()).add(m));
        long events = 0;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (List<PrequentialMetrics> ms : bySource.values()) {
            PrequentialMetrics a = ms.stream().min(Comparator.comparingLong(PrequentialMetrics::count)).orElseThrow();
            PrequentialMetrics b = ms.stream().max(Comparator.comparingLong(PrequentialMetrics::count)).orElseThrow();
            events += b.count() - a.count();
            first = Math.min(first, a.wallTimeMs());
            last = Math.max(last, b.wallTimeMs());
        }
        return events == 0 || last <= first ? Double.NaN : events * 1000.0 / (last - first);
    }

    private static long percentile(List<Long> sorted, double q) {
        if (sorted.isEmpty()) {
            return -1;
        }
        return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(q * sorted.size()) - 1));
    }

    private boolean anyRecommendation(HttpClient client, String http, DatasetChoice choice) {
        for (long u : choice.sampleUsers()) {
            JsonNode n = get(client, http + "/users/" + u + "/recommendations?k=1");
            if (n != null && n.path("items").size() > 0) {
                return true;
            }
        }
        return false;
    }

    private static boolean healthy(HttpClient client, String http) {
        try {
            return client.send(HttpRequest.newBuilder(URI.create(http + "/health")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static JsonNode get(HttpClient client, String url) {
        try {
            HttpResponse<String> resp = client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return resp.statusCode() == 200 ? JSON.readTree(resp.body()) : null;
        } catch (IOException | InterruptedException e) {
            return null;
        }
    }

    private int failed(ManagedProcess p) {
        out.println();
        out.println("demo: " + p.name() + " exited with code " + p.exitValue() + "; its last lines (" + p.logFile() + "):");
        p.tail().stream().skip(Math.max(0, p.tail().size() - 15)).forEach(l -> out.println("    " + l));
        return 1;
    }

    /**
     * Deletes the data directory on {@code --fresh} or when it was built from another dataset (saying so), and records
     * the dataset when it starts empty. False when it holds files the demo did not write (the user decides).
     */
    boolean prepareDataDir(DatasetIdentity dataset) throws IOException {
        DataDirManifest.Decision d = fresh ? new DataDirManifest.Decision(DataDirManifest.Action.START_FRESH, null)
                : DataDirManifest.decide(dataDir, dataset);
        switch (d.action()) {
            case REFUSE -> {
                out.println("demo: " + d.message());
                return false;
            }
            case START_FRESH -> {
                if (d.message() != null) {
                    out.println("demo: " + d.message());
                }
                deleteRecursively(dataDir);
            }
            case CREATE, REUSE -> {
                // Nothing to delete.
            }
        }
        Files.createDirectories(dataDir);
        if (d.action() != DataDirManifest.Action.REUSE) {
            DataDirManifest.write(dataDir, dataset);
        }
        LOG.info("data directory {} ({}) holds {}: {}", dataDir, d.action(), dataset.name(), dataset.fingerprint());
        return true;
    }

    private ManagedProcess startChild(String name, String module, String main, List<String> args, Pattern ready, Path logs) {
        List<String> jvm = new ArrayList<>(List.of(name.equals("trainer") ? "-Xmx3g" : "-Xmx1g", "-XX:+UseParallelGC"));
        if (name.equals("scorer")) {
            jvm.add("--add-modules=jdk.incubator.vector");
        }
        Map<String, String> env = new HashMap<>();
        env.put("STREAMREC_HOME", ChildJvm.home().toString());
        ManagedProcess p = ManagedProcess.start(name, ChildJvm.command(module, main, jvm, args), logs, ready, env);
        children.add(p);
        return p;
    }

    /** Ends the demo as Ctrl-C would (used by tests that drive the lingering dashboard). */
    void requestStop() {
        stop.countDown();
    }

    private void stopAll() {
        // Reverse start order: the replay first, the broker last, so nobody loses its broker mid-write.
        List<ManagedProcess> reversed = new ArrayList<>(children);
        java.util.Collections.reverse(reversed);
        for (ManagedProcess p : reversed) {
            p.close();
        }
        children.clear();
    }

    private List<String> replayArgs(DatasetChoice choice, String bootstrap) {
        List<String> a = new ArrayList<>(List.of("ingest", "-b", bootstrap, "--dataset", choice.argument()));
        a.addAll(choice.extraArgs());
        if (fast) {
            // no pacing flag: as fast as possible
        } else if (rate != null) {
            a.addAll(List.of("--rate", Double.toString(rate)));
        } else if (speedup != null) {
            a.addAll(List.of("--speedup", Double.toString(speedup)));
        } else {
            a.addAll(List.of("--rate", Long.toString(Math.max(100, choice.events() / Math.max(1, durationSeconds)))));
        }
        return a;
    }

    private DatasetChoice chooseDataset(Path home) {
        Path cache = Path.of(System.getProperty("user.home"), ".cache", "streamrec", "datasets");
        if (dataset.equals("synthetic")) {
            return DatasetChoice.synthetic("synthetic stream (asked for)");
        }
        if (DemoDatasets.isKnown(dataset)) {
            DemoDatasets.Resolved r = DemoDatasets.resolve(dataset, home, cache, !noDownload);
            if (r.path().isPresent()) {
                return DatasetChoice.load(r.path().get(), dataset + " (" + r.how() + ")");
            }
            out.println("demo: " + r.how() + "; using the synthetic stream instead.");
            return DatasetChoice.synthetic("synthetic stream (" + dataset + " unavailable: " + r.how() + ")");
        }
        Path p = Path.of(dataset);
        if (!Files.exists(p)) {
            throw new IllegalArgumentException("--dataset: no such file or folder, and not one of ml-latest-small, ml-100k, synthetic: " + dataset);
        }
        return DatasetChoice.load(p, p.toString());
    }

    private void validate() {
        int pacing = (fast ? 1 : 0) + (rate != null ? 1 : 0) + (speedup != null ? 1 : 0);
        if (pacing > 1) {
            throw new IllegalArgumentException("choose one of --fast, --rate, --speedup");
        }
        if (rate != null && !(rate > 0)) {
            throw new IllegalArgumentException("--rate must be positive");
        }
        if (speedup != null && !(speedup > 0)) {
            throw new IllegalArgumentException("--speedup must be positive");
        }
        if ((report != null || plots != null) && !untilDone) {
            throw new IllegalArgumentException("--report and --plots need --until-done");
        }
        if (probes < 0 || probes > 1000) {
            throw new IllegalArgumentException("--probes must be in [0, 1000]");
        }
        if (parallelism < 1 || parallelism > 8) {
            throw new IllegalArgumentException("--parallelism must be in [1, 8]");
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
