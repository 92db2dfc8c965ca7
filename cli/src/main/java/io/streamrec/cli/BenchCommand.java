package io.streamrec.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamrec.broker.EmbeddedKafkaBroker;
import io.streamrec.cli.demo.Plots;
import io.streamrec.common.config.Settings;
import io.streamrec.common.event.PrequentialMetrics;
import io.streamrec.common.report.BenchSection;
import io.streamrec.ingest.DatasetLoader;
import io.streamrec.ingest.LoadOptions;
import io.streamrec.ingest.RatingColumns;
import io.streamrec.ingest.synthetic.DriftKind;
import io.streamrec.ingest.synthetic.SyntheticConfig;
import io.streamrec.ingest.synthetic.SyntheticStream;
import io.streamrec.model.MfHyperParameters;
import io.streamrec.model.OnlineModel;
import io.streamrec.model.OnlineModels;
import io.streamrec.model.eval.OfflineEvaluation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * {@code streamrec bench}: re-measures everything in BENCHMARKS.md and rewrites it. Each area is measured by its own
 * harness, in a JVM of its own where the classpath or the JIT must not be shared, and writes its section to
 * {@code docs/bench/<area>.md} (stamped with time, command, duration and machine load); BENCHMARKS.md is then
 * assembled from those sections. {@code --only} re-runs some areas and keeps the others' last sections.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Re-measure accuracy, end-to-end latency and throughput, the trainer, the learner kernels (JMH), "
                + "top-K and ingest, and rewrite BENCHMARKS.md with tables and plots (about 10 minutes on 2 cores).",
                "Example: streamrec bench --datasets ../shared/datasets",
                "         streamrec bench --only model,scorer"})
public final class BenchCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(BenchCommand.class);
    private static final List<String> MODELS = List.of("mf", "baseline", "mean");

    /** The areas, in the order they appear in BENCHMARKS.md. */
    enum Area {
        accuracy("Accuracy"), e2e("End to end"), trainer("Stream trainer"), model("Learner kernels"),
        scorer("Top-K"), ingest("Ingest");

        final String title;

        Area(String title) {
            this.title = title;
        }
    }

    @Option(names = "--only", split = ",", paramLabel = "AREA",
            description = "Re-measure only these areas (${COMPLETION-CANDIDATES}); the others keep their last sections.")
    EnumSet<Area> only;

    @Option(names = "--datasets", paramLabel = "DIR", defaultValue = "../shared/datasets",
            description = "Folder holding ml-100k and ml-latest-small (default ${DEFAULT-VALUE}); missing ones are skipped "
                    + "and generated data stands in.")
    Path datasets;

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "BENCHMARKS.md", description = "Markdown to write (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--docs", paramLabel = "DIR", defaultValue = "docs",
            description = "Sections go to DIR/bench, plots to DIR/plots (default ${DEFAULT-VALUE}).")
    Path docs;

    @Option(names = "--e2e-runs", paramLabel = "N", defaultValue = "3", description = "End-to-end runs of the demo stack; medians are reported (default ${DEFAULT-VALUE}).")
    int e2eRuns;

    @Option(names = "--e2e-copies", paramLabel = "N", defaultValue = "10",
            description = "The end-to-end stream is ml-100k this many times over, user ids shifted per copy, so the trainer "
                    + "runs long enough for a sustained rate (default ${DEFAULT-VALUE}).")
    int e2eCopies;

    @Option(names = "--trainer-repeats", paramLabel = "N", defaultValue = "2", description = "Runs per trainer configuration (default ${DEFAULT-VALUE}).")
    int trainerRepeats;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "10", description = "Holdout passes over the training part (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--quick", description = "Smaller workloads everywhere: a smoke run of the harnesses, not figures to "
            + "quote. Writes to target/bench-quick unless --out/--docs say otherwise, never over BENCHMARKS.md.")
    boolean quick;

    /** One accuracy measurement. */
    record Row(String dataset, String protocol, String model, long events, double rmse, double mae, double coldStart,
               double eventsPerSecond, String drift) {
    }

    @Override
    public Integer call() throws Exception {
        long t0 = System.nanoTime();
        if (quick && out.equals(Path.of("BENCHMARKS.md")) && docs.equals(Path.of("docs"))) {
            out = Path.of("target", "bench-quick", "BENCHMARKS.md");
            docs = Path.of("target", "bench-quick", "docs");
            System.err.println("bench: --quick writes to " + out.getParent() + " (smoke-run figures are not for BENCHMARKS.md)");
        }
        Path sections = docs.resolve("bench");
        Files.createDirectories(sections);
        Files.createDirectories(docs.resolve("plots"));
        EnumSet<Area> areas = only == null || only.isEmpty() ? EnumSet.allOf(Area.class) : only;
        List<String> failed = new ArrayList<>();
        for (Area a : areas) {
            long s0 = System.nanoTime();
            System.err.printf("bench: %s ...%n", a.title);
            Path section = sections.resolve(a.name() + ".md");
            try {
                boolean ok = switch (a) {
                    case accuracy -> accuracy(section);
                    case e2e -> endToEnd(section);
                    case trainer -> trainer(section);
                    case model -> child("bench", "io.streamrec.bench.model.ModelBench", List.of("-Xmx1g"),
                            List.of(section.toAbsolutePath().toString(), quick ? "100" : "400"));
                    case scorer -> child("bench", "io.streamrec.bench.scorer.TopKBench",
                            List.of("--add-modules", "jdk.incubator.vector", "-Xmx1g"),
                            List.of(section.toAbsolutePath().toString(), quick ? "20000" : "62000", quick ? "1" : "4", quick ? "no-jmh" : "jmh"));
                    case ingest -> child("bench", "io.streamrec.bench.ingest.IngestBench", List.of("-Xmx3g", "-XX:+UseParallelGC"),
                            List.of(section.toAbsolutePath().toString(), datasets.toAbsolutePath().toString(),
                                    quick ? "200000" : "5000000", quick ? "100000" : "2000000"));
                };
                if (!ok) {
                    failed.add(a.name());
                    markFailed(section, a, "its harness exited with an error; see the output above");
                }
            } catch (Exception e) {
                LOG.error("bench {} failed", a, e);
                failed.add(a.name());
                markFailed(section, a, e.toString());
            }
            System.err.printf(Locale.ROOT, "bench: %s took %.0f s%n", a.title, (System.nanoTime() - s0) / 1e9);
        }
        Files.writeString(out, assemble(sections, areas, (System.nanoTime() - t0) / 1e9), StandardCharsets.UTF_8);
        System.out.println("wrote " + out + " (sections in " + sections + ", plots in " + docs.resolve("plots") + ")"
                + (failed.isEmpty() ? "" : "; FAILED: " + failed));
        return failed.isEmpty() ? 0 : 1;
    }

    // ------------------------------------------------------------------------------------------------ accuracy

    private boolean accuracy(Path section) throws IOException {
        BenchSection s = new BenchSection("Accuracy", "streamrec bench --only accuracy");
        Path plots = docs.resolve("plots");
        Map<String, RatingColumns> sets = new LinkedHashMap<>();
        for (String name : List.of("ml-100k", "ml-latest-small")) {
            Path p = datasets.resolve(name);
            if (Files.isDirectory(p)) {
                sets.put(name, DatasetLoader.loadWith(p, LoadOptions.defaults()).ratings());
            } else {
                LOG.warn("{} not found under {}: skipped", name, datasets);
            }
        }
        int synthEvents = 300_000;
        String synthName = "synthetic (drift at 50 %)";
        SyntheticConfig synth = SyntheticConfig.defaults().withSize(2_000, 1_000, synthEvents).withSeed(7)
                .withDrift(0.5, DriftKind.USER_TASTE, 0.5);
        sets.put(synthName, new SyntheticStream(synth).toColumns());
        long plantedAt = synthEvents / 2;

        List<Row> rows = new ArrayList<>();
        List<String> plotFiles = new ArrayList<>();
        for (var e : sets.entrySet()) {
            OfflineEvaluation.Columns cols = new OfflineEvaluation.Columns(e.getValue().users(), e.getValue().items(),
                    e.getValue().ratings(), e.getValue().timestampsMs());
            boolean synthetic = e.getKey().equals(synthName);
            List<PrequentialMetrics> curves = new ArrayList<>();
            for (String m : MODELS) {
                int every = Math.max(500, cols.size() / 300);
                List<PrequentialMetrics> series = new ArrayList<>();
                OfflineEvaluation.Result r = OfflineEvaluation.prequential(model(m), cols, every, series::add);
                rows.add(new Row(e.getKey(), "prequential", m, r.events(), r.rmse(), r.mae(), r.coldStartShare(),
                        r.eventsPerSecond(), driftSummary(series, synthetic ? OptionalLong.of(plantedAt) : OptionalLong.empty())));
                series.forEach(p -> curves.add(relabel(p, m)));
                LOG.info("{} prequential {}: RMSE {}", e.getKey(), m, String.format(Locale.ROOT, "%.4f", r.rmse()));
            }
            Path png = plots.resolve("prequential-" + slug(e.getKey()) + ".png");
            Plots.rmse(curves, "Prequential RMSE over the stream: " + e.getKey(), png,
                    synthetic ? OptionalLong.of(plantedAt) : OptionalLong.empty());
            plotFiles.add(e.getKey() + "|" + png);
            if (!synthetic) {
                for (String m : MODELS) {
                    OfflineEvaluation.Result r = OfflineEvaluation.holdout(model(m), cols, 0.2, epochs, 1);
                    rows.add(new Row(e.getKey(), "holdout 80/20, " + epochs + " epochs", m, r.events(), r.rmse(), r.mae(),
                            r.coldStartShare(), r.eventsPerSecond(), ""));
                    LOG.info("{} holdout {}: RMSE {}", e.getKey(), m, String.format(Locale.ROOT, "%.4f", r.rmse()));
                }
            }
        }

        s.text("Same learner code as the Flink trainer (`streamrec evaluate`), default settings, no per-dataset tuning: "
                + "`mf` = biased MF (k=32, AdaGrad), `baseline` = biases only, `mean` = the running global mean. "
                + "Prequential = test-then-train, one pass in event-time order (each event scored before it is learned). "
                + "Holdout = seeded random 80/20 split, " + epochs + " shuffled passes over the 80 %, scored on the 20 %. "
                + "The synthetic stream (2,000 users, 1,000 items, " + BenchSection.count(synthEvents) + " events) has a "
                + "planted change of user taste at event " + BenchSection.count(plantedAt) + "; the drift column says when "
                + "the Page-Hinkley detector on the absolute error (δ = 0.05, λ = 150, reference mean fading over 20,000 "
                + "events: `PageHinkley.forRatingErrors()`, what the trainer runs) first raised an alarm after it, to the "
                + "resolution of the plot's samples, and how many alarms it raised in all.");
        BenchSection.Table t = s.table("dataset", "protocol", "model", "events scored", "RMSE", "MAE", "cold-start", "events/s", "drift alarms");
        for (Row r : rows) {
            t.row(r.dataset(), r.protocol(), r.model(), BenchSection.count(r.events()), BenchSection.fixed(r.rmse(), 4),
                    BenchSection.fixed(r.mae(), 4), BenchSection.fixed(100 * r.coldStart(), 1) + " %",
                    BenchSection.count(r.eventsPerSecond()), r.drift().isEmpty() ? "–" : r.drift());
        }
        t.end();
        s.text(margins(rows));
        s.text("Public references on ml-100k: river (online, prequential, the same protocol): BiasedMF 0.948, biases-only "
                + "0.954. Surprise (batch, 5-fold CV, so not the same split): SVD 0.934, SVD++ 0.919, BaselineOnly 0.944. "
                + "LIBMF (random 80/20, k=32, 20 iterations, docs/ARCHITECTURE.md): 0.909.");
        for (String f : plotFiles) {
            String[] kv = f.split("\\|", 2);
            s.text("![prequential RMSE, " + kv[0] + "](" + link(Path.of(kv[1])) + ")");
        }
        s.writeTo(section);
        return true;
    }

    /** "mf 0.0068 below baseline" lines: the comparisons a reader looks for, computed rather than typed. */
    private static String margins(List<Row> rows) {
        StringBuilder b = new StringBuilder("Margins (RMSE, lower is better):");
        Map<String, Map<String, Double>> by = new LinkedHashMap<>();
        rows.forEach(r -> by.computeIfAbsent(r.dataset() + ", " + r.protocol(), k -> new LinkedHashMap<>()).put(r.model(), r.rmse()));
        by.forEach((k, v) -> {
            if (v.containsKey("mf") && v.containsKey("baseline")) {
                double d = v.get("baseline") - v.get("mf");
                b.append(String.format(Locale.ROOT, " %s: mf %s the biases-only baseline by %.4f;", k, d >= 0 ? "beats" : "trails", Math.abs(d)));
            }
        });
        return b.substring(0, b.length() - 1) + ".";
    }

    /** "first at 151,200 (+1,200); 3 in all", or "none" — for the synthetic stream relative to the planted drift. */
    static String driftSummary(List<PrequentialMetrics> series, OptionalLong plantedAt) {
        long total = series.stream().mapToLong(PrequentialMetrics::driftEvents).max().orElse(0);
        if (plantedAt.isEmpty()) {
            return total == 0 ? "none" : total + " in all";
        }
        long prev = 0;
        for (PrequentialMetrics m : series.stream().sorted(Comparator.comparingLong(PrequentialMetrics::count)).toList()) {
            if (m.driftEvents() > prev && m.count() >= plantedAt.getAsLong()) {
                return "first after the drift by event " + BenchSection.count(m.count()) + " (+"
                        + BenchSection.count(m.count() - plantedAt.getAsLong()) + "); " + total + " in all";
            }
            prev = Math.max(prev, m.driftEvents());
        }
        return total == 0 ? "none" : "none after the drift; " + total + " before it";
    }

    private static OnlineModel model(String type) {
        return OnlineModels.fromSettings(Settings.load(null, Map.of(), Map.of(MfHyperParameters.Keys.TYPE, type)));
    }

    /** The plot groups curves by source: name them by model. */
    private static PrequentialMetrics relabel(PrequentialMetrics m, String model) {
        return new PrequentialMetrics(model, m.eventTimeMs(), m.wallTimeMs(), m.count(), m.windowCount(), m.windowRmse(),
                m.windowMae(), m.cumulativeRmse(), m.cumulativeMae(), m.coldStartShare(), m.eventsPerSecond(), m.drift(),
                m.driftEvents());
    }

    // ------------------------------------------------------------------------------------------------ end to end

    /** Runs the demo stack at full speed {@code e2eRuns} times, each in a child JVM, and reports medians. */
    private boolean endToEnd(Path section) throws IOException, InterruptedException {
        BenchSection s = new BenchSection("End to end (embedded stack)", "streamrec bench --only e2e");
        Path work = Path.of("target", "bench-e2e").toAbsolutePath();
        Path ml100k = datasets.resolve("ml-100k");
        int copies = quick ? 1 : Math.max(1, e2eCopies);
        String dataset = !Files.isDirectory(ml100k) ? "synthetic"
                : copies == 1 ? ml100k.toAbsolutePath().toString() : repeated(ml100k, copies, work.resolve("ml-100k-x" + copies)).toString();
        String datasetName = dataset.equals("synthetic") ? "the synthetic stream" : copies == 1 ? "ml-100k" : "ml-100k × " + copies;
        Path plots = docs.resolve("plots").resolve("e2e").toAbsolutePath();
        List<JsonNode> reports = new ArrayList<>();
        int runs = Math.max(1, quick ? 1 : e2eRuns);
        for (int i = 1; i <= runs; i++) {
            System.err.printf("bench e2e: run %d of %d ...%n", i, runs);
            Path report = work.resolve("report-" + i + ".json");
            Files.deleteIfExists(report);
            List<String> args = new ArrayList<>(List.of("demo", "--dataset", dataset, "--fast", "--until-done",
                    "--report", report.toString(), "--data-dir", work.resolve("data").toString(), "--fresh",
                    "--http-port", "0", "--no-download", "--parallelism", "2", "--probes", quick ? "10" : "50"));
            if (i == runs) {
                args.addAll(List.of("--plots", plots.toString()));
            }
            Process p = new ProcessBuilder(ChildJvm.command("cli", StreamrecCli.class.getName(), List.of("-Xmx1g"), args))
                    .inheritIO().start();
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                LOG.warn("end-to-end run {} failed (exit {}); see {}", i, p.isAlive() ? "timeout" : p.exitValue(), work.resolve("data/logs"));
                return false;
            }
            reports.add(new ObjectMapper().readTree(report.toFile()));
        }
        List<Long> freshness = new ArrayList<>();
        reports.forEach(r -> r.path("freshnessMs").forEach(v -> freshness.add(v.asLong())));
        freshness.sort(Comparator.naturalOrder());
        Plots.freshness(freshness, plots.resolve("freshness.png"));

        s.text("`streamrec demo --dataset DIR --fast --until-done --parallelism 2 --probes 50` on " + datasetName
                + (copies > 1 ? " (" + BenchSection.count(100_000L * copies) + " ratings: ml-100k's file repeated with user ids "
                + "shifted per copy, titles from ml-100k)" : "") + ", " + runs + " times: embedded KRaft broker, the trainer on a "
                + "Flink MiniCluster (RocksDB, incremental checkpoints every 1 s, exactly-once sinks), the scorer (Kafka "
                + "Streams + HTTP) and the replay at full speed, each in its own JVM on this machine. Freshness: after the "
                + "replay is trained, a probe produces a rating for a sample user and times until that user's pushed "
                + "recommendations change (all probes of all runs pooled).");
        BenchSection.Table t = s.table("figure", "median", "min … max (" + runs + " runs)");
        stat(t, reports, "events replayed", r -> r.path("events").asDouble(), 0, "");
        stat(t, reports, "events trained (committed)", r -> r.path("trained").asDouble(), 0, "");
        stat(t, reports, "dead letters", r -> r.path("dlq").asDouble(), 0, "");
        stat(t, reports, "training throughput (trainer's reports, first to last)", r -> r.path("sustainedTrainedPerSecond").asDouble(), 0, " events/s");
        stat(t, reports, "launch → everything trained and served", r -> r.path("elapsedMs").asDouble() / 1000, 1, " s");
        stat(t, reports, "launch → first recommendation served", r -> r.path("firstRecommendationMs").asDouble() / 1000, 1, " s");
        stat(t, reports, "max consumer lag", r -> r.path("maxLag").asDouble(), 0, " events");
        stat(t, reports, "prequential RMSE (streaming, 2 subtasks)", r -> r.path("prequentialRmse").asDouble(), 4, "");
        stat(t, reports, "freshness p50 (per run)", r -> r.path("freshnessP50Ms").asDouble(), 0, " ms");
        stat(t, reports, "freshness p95 (per run)", r -> r.path("freshnessP95Ms").asDouble(), 0, " ms");
        stat(t, reports, "checkpoint directory at the end", r -> r.path("checkpointBytes").asDouble() / 1e6, 1, " MB");
        List<String> processes = new ArrayList<>();
        reports.get(0).path("peakRssMb").fieldNames().forEachRemaining(processes::add);
        for (String proc : processes) {
            stat(t, reports, "peak RSS " + proc, r -> r.path("peakRssMb").path(proc).asDouble(), 0, " MB");
        }
        t.end();
        if (!freshness.isEmpty()) {
            long[] f = freshness.stream().mapToLong(Long::longValue).toArray();
            s.text(String.format(Locale.ROOT, "Freshness over all %d probes: p50 %,d ms, p95 %,d ms, p99 %,d ms, max %,d ms.",
                    f.length, BenchSection.percentile(f, 0.5), BenchSection.percentile(f, 0.95), BenchSection.percentile(f, 0.99), f[f.length - 1]));
        }
        s.text("Freshness sits just above the trainer's checkpoint interval (1 s) by design: the factors topic is written "
                + "exactly-once, so read_committed readers such as the scorer see an update when the checkpoint that "
                + "covers it commits. A shorter `--checkpoint-interval` trades checkpoint overhead for freshness.");
        s.text("The replay at full speed finishes before the trainer's job is running, so the lag peaks at the whole stream "
                + "and the trainer then works through it as a backlog: the training throughput above is that catch-up rate "
                + "through Kafka, RocksDB and exactly-once sinks in a stack that shares two cores with the broker and the "
                + "scorer. Checkpoint durations are in the next section (Flink's own statistics).");
        for (String f : List.of("throughput", "freshness", "prequential-rmse-stream")) {
            Path png = plots.resolve(f + ".png");
            if (Files.exists(png)) {
                s.text("![" + f + "](" + link(png) + ")");
            }
        }
        s.writeTo(section);
        return true;
    }

    /** ml-100k's ratings {@code copies} times (user ids shifted by 10,000 per copy) beside its metadata files. */
    private static Path repeated(Path ml100k, int copies, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<String> lines = Files.readAllLines(ml100k.resolve("u.data"), StandardCharsets.ISO_8859_1);
        try (var out = Files.newBufferedWriter(dir.resolve("u.data"), StandardCharsets.ISO_8859_1)) {
            for (int c = 0; c < copies; c++) {
                for (String line : lines) {
                    int tab = line.indexOf('\t');
                    if (tab <= 0) {
                        continue;
                    }
                    out.write(Long.toString(Long.parseLong(line.substring(0, tab)) + 10_000L * c));
                    out.write(line, tab, line.length() - tab);
                    out.write('\n');
                }
            }
        }
        for (String meta : List.of("u.item", "u.user", "u.genre")) {
            if (Files.exists(ml100k.resolve(meta))) {
                Files.copy(ml100k.resolve(meta), dir.resolve(meta), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return dir;
    }

    private static void stat(BenchSection.Table t, List<JsonNode> reports, String name, ToDoubleFunction<JsonNode> f, int decimals, String unit) {
        double[] v = reports.stream().mapToDouble(f).toArray();
        double min = java.util.Arrays.stream(v).min().orElse(Double.NaN);
        double max = java.util.Arrays.stream(v).max().orElse(Double.NaN);
        t.row(name, num(BenchSection.median(v), decimals) + unit, num(min, decimals) + " … " + num(max, decimals));
    }

    private static String num(double v, int decimals) {
        return decimals == 0 ? BenchSection.count(v) : String.format(Locale.ROOT, "%,." + decimals + "f", v);
    }

    // ------------------------------------------------------------------------------------------------ trainer

    /** The trainer harness runs in the trainer-bench module's JVM against a broker this JVM starts. */
    private boolean trainer(Path section) throws Exception {
        Path work = Path.of("target", "bench-trainer").toAbsolutePath();
        deleteTree(work);
        Files.createDirectories(work);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(work.resolve("broker"), 0, 2)) {
            return child("trainer-bench", "io.streamrec.trainer.bench.TrainerThroughputBench", List.of("-Xmx2g", "-XX:+UseParallelGC"),
                    List.of(section.toAbsolutePath().toString(), broker.bootstrapServers(), datasets.toAbsolutePath().toString(),
                            work.resolve("checkpoints").toString(), quick ? "2" : "10", quick ? "1" : Integer.toString(trainerRepeats)));
        } finally {
            deleteTree(work);
        }
    }

    // ------------------------------------------------------------------------------------------------ assembly

    private static boolean child(String module, String mainClass, List<String> jvmArgs, List<String> args) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(ChildJvm.command(module, mainClass, jvmArgs, args)).inheritIO().start();
        try {
            if (!p.waitFor(15, TimeUnit.MINUTES)) {
                LOG.warn("{} did not finish within 15 minutes", mainClass);
                return false;
            }
            return p.exitValue() == 0;
        } finally {
            p.destroyForcibly();
        }
    }

    /** Keeps the last good figures but says, at the top of the section, that this regeneration failed. */
    static void markFailed(Path section, Area a, String why) throws IOException {
        String warning = FAILED_MARK + Instant.now().toString().substring(0, 16).replace('T', ' ') + " UTC failed** (" + why + ")"
                + (Files.exists(section) ? "; the figures below are from the previous run." : ".") + "\n\n";
        String old = Files.exists(section) ? Files.readString(section, StandardCharsets.UTF_8) : "## " + a.title + "\n\n";
        // One warning at a time: a second failure replaces the first one's line.
        old = old.replaceAll("(?m)^" + java.util.regex.Pattern.quote(FAILED_MARK) + ".*\\n\\n", "");
        int body = old.indexOf("\n\n");
        String updated = body < 0 ? old + "\n\n" + warning : old.substring(0, body + 2) + warning + old.substring(body + 2);
        Files.writeString(section, updated, StandardCharsets.UTF_8);
    }

    private static final String FAILED_MARK = "> **The regeneration of this section at ";

    private String assemble(Path sections, EnumSet<Area> measured, double seconds) throws IOException {
        StringBuilder b = new StringBuilder();
        b.append("# streamrec benchmarks\n\n");
        b.append("Every figure below was produced by `./streamrec bench` (all areas, about 10 minutes on this machine) or `./streamrec bench "
                + "--only AREA`; each section ends with when, by which command and under what machine load it was measured. "
                + "Last run: ").append(measured.size() == Area.values().length ? "all areas" : "only " + measured)
                .append(String.format(Locale.ROOT, ", %.0f s, finished %s UTC.%n%n", seconds, Instant.now().toString().substring(0, 16).replace('T', ' ')));
        b.append("Machine: ").append(machine()).append(". It is shared with other work and noisy: compare figures side by "
                + "side within one table (they come from one run), not across sections or days.\n\n");
        b.append("Sections: ");
        List<String> toc = new ArrayList<>();
        for (Area a : Area.values()) {
            toc.add("[" + a.title + "](#" + anchor(sectionTitle(sections.resolve(a.name() + ".md"), a)) + ")");
        }
        toc.add("[GPU](#gpu)");
        b.append(String.join(" · ", toc)).append(".\n\n");
        for (Area a : Area.values()) {
            Path f = sections.resolve(a.name() + ".md");
            if (Files.exists(f)) {
                b.append(Files.readString(f, StandardCharsets.UTF_8).strip()).append("\n\n");
            } else {
                b.append("## ").append(a.title).append("\n\nNot measured yet: run `./streamrec bench --only ").append(a.name()).append("`.\n\n");
            }
        }
        b.append("## GPU\n\n")
                .append("The ND4J kernel's CUDA path (`./mvnw -Pcuda`, `nd4j-cuda-11.6`) has not been benchmarked: the only GPUs this ")
                .append("workplace lends are Hopper (H100/H200), which that backend cannot run (kernels for sm_37…sm_86, no PTX), and ")
                .append("no GPU has been lent to a session so far. `./mvnw -Pcuda -DskipTests package` builds. On this CPU the ")
                .append("plain-Java kernel is the fast path; the learner-kernel section compares it with ND4J's CPU backend side by side.\n\n");
        Path notes = docs.resolve("notes");
        if (Files.isDirectory(notes)) {
            b.append("## Engineering notes\n\nEarlier experiments and the reasoning behind the defaults (what was tried, what did not ")
                    .append("help), kept as written at the time and not regenerated: ");
            try (var files = Files.list(notes)) {
                b.append(String.join(", ", files.filter(p -> p.toString().endsWith(".md")).sorted()
                        .map(p -> "[" + p.getFileName() + "](" + link(p) + ")").toList()));
            }
            b.append(".\n");
        }
        return b.toString();
    }

    private static String sectionTitle(Path section, Area a) {
        try {
            if (Files.exists(section)) {
                String first = Files.readAllLines(section, StandardCharsets.UTF_8).get(0);
                if (first.startsWith("## ")) {
                    return first.substring(3).trim();
                }
            }
        } catch (IOException | IndexOutOfBoundsException e) {
            LOG.debug("no title in {}", section, e);
        }
        return a.title;
    }

    /** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
    static String anchor(String title) {
        return title.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} -]", "").replace(' ', '-');
    }

    private String link(Path p) {
        Path base = out.toAbsolutePath().getParent();
        return base.relativize(p.toAbsolutePath()).toString().replace('\\', '/');
    }

    private static String machine() {
        String cpu = "unknown CPU";
        long memKb = 0;
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse(cpu);
            memKb = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                    .map(l -> l.replaceAll("[^0-9]", "")).mapToLong(Long::parseLong).findFirst().orElse(0);
        } catch (IOException | RuntimeException e) {
            LOG.debug("machine facts unavailable", e);
        }
        return String.format(Locale.ROOT, "%s, %d cores, %.0f GiB RAM, %s %s, %s", cpu, Runtime.getRuntime().availableProcessors(),
                memKb / 1024.0 / 1024.0, System.getProperty("java.vm.name"), Runtime.version(), System.getProperty("os.name"));
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    static String slug(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    }
}
