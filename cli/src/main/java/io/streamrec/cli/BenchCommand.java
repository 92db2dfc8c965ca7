package io.streamrec.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamrec.cli.demo.Plots;
import io.streamrec.common.config.Settings;
import io.streamrec.common.event.PrequentialMetrics;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * {@code streamrec bench}: regenerates BENCHMARKS.md. Runs the accuracy suite (our models and baselines, prequential
 * and holdout, on the MovieLens sets present and the synthetic drifting stream) with the same learner code as the
 * trainer, an end-to-end run of the demo stack at full speed, draws the plots, and merges the per-area benchmark
 * sections (kernels, top-K, ingest, trainer) that their own harnesses wrote under {@code docs/bench/}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure accuracy and end-to-end throughput and rewrite BENCHMARKS.md with tables and plots.",
                "Example: streamrec bench --datasets ../shared/datasets"})
public final class BenchCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(BenchCommand.class);
    private static final List<String> MODELS = List.of("mf", "baseline", "mean");
    private static final List<String> SECTIONS = List.of("model", "scorer", "ingest", "trainer");

    @Option(names = "--datasets", paramLabel = "DIR", defaultValue = "../shared/datasets",
            description = "Folder holding ml-100k and ml-latest-small (default ${DEFAULT-VALUE}); missing ones are skipped.")
    Path datasets;

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "BENCHMARKS.md", description = "Markdown to write (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--docs", paramLabel = "DIR", defaultValue = "docs", description = "Plots go to DIR/plots; sections are read from DIR/bench (default ${DEFAULT-VALUE}).")
    Path docs;

    @Option(names = "--skip-e2e", description = "Skip the end-to-end run of the demo stack.")
    boolean skipE2e;

    @Option(names = "--epochs", defaultValue = "10", description = "Holdout passes over the training part (default ${DEFAULT-VALUE}).")
    int epochs;

    /** One accuracy measurement. */
    record Row(String dataset, String protocol, String model, long events, double rmse, double mae, double coldStart,
               double eventsPerSecond) {
    }

    @Override
    public Integer call() throws Exception {
        long t0 = System.nanoTime();
        Path plots = docs.resolve("plots");
        Files.createDirectories(plots);
        Map<String, RatingColumns> sets = new LinkedHashMap<>();
        for (String name : List.of("ml-100k", "ml-latest-small")) {
            Path p = datasets.resolve(name);
            if (Files.isDirectory(p)) {
                sets.put(name, DatasetLoader.loadWith(p, LoadOptions.defaults()).ratings());
            } else {
                LOG.warn("{} not found under {}: skipped", name, datasets);
            }
        }
        SyntheticConfig synth = SyntheticConfig.defaults().withSize(2_000, 1_000, 300_000).withSeed(7)
                .withDrift(0.5, DriftKind.USER_TASTE, 0.5);
        sets.put("synthetic (drift at 50 %)", new SyntheticStream(synth).toColumns());

        List<Row> rows = new ArrayList<>();
        for (var e : sets.entrySet()) {
            OfflineEvaluation.Columns cols = new OfflineEvaluation.Columns(e.getValue().users(), e.getValue().items(),
                    e.getValue().ratings(), e.getValue().timestampsMs());
            List<PrequentialMetrics> curves = new ArrayList<>();
            for (String m : MODELS) {
                int every = Math.max(1_000, cols.size() / 200);
                List<PrequentialMetrics> series = new ArrayList<>();
                OfflineEvaluation.Result r = OfflineEvaluation.prequential(model(m), cols, every, series::add);
                rows.add(new Row(e.getKey(), "prequential", m, r.events(), r.rmse(), r.mae(), r.coldStartShare(), r.eventsPerSecond()));
                series.forEach(p -> curves.add(relabel(p, m)));
                LOG.info("{} prequential {}: RMSE {}", e.getKey(), m, String.format(Locale.ROOT, "%.4f", r.rmse()));
            }
            Plots.rmse(curves, "Prequential RMSE over the stream: " + e.getKey(), plots.resolve("prequential-" + slug(e.getKey()) + ".png"));
            if (!e.getKey().startsWith("synthetic")) {
                for (String m : MODELS) {
                    OfflineEvaluation.Result r = OfflineEvaluation.holdout(model(m), cols, 0.2, epochs, 1);
                    rows.add(new Row(e.getKey(), "holdout 80/20, " + epochs + " epochs", m, r.events(), r.rmse(), r.mae(),
                            r.coldStartShare(), r.eventsPerSecond()));
                    LOG.info("{} holdout {}: RMSE {}", e.getKey(), m, String.format(Locale.ROOT, "%.4f", r.rmse()));
                }
            }
        }
        JsonNode e2e = skipE2e ? null : endToEnd(plots);
        String md = markdown(rows, e2e, plots, (System.nanoTime() - t0) / 1e9);
        Files.writeString(out, md, StandardCharsets.UTF_8);
        System.out.println("wrote " + out + " and plots in " + plots);
        return 0;
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

    /** Runs the demo stack at full speed on ml-100k (or the synthetic stream) in a child JVM and reads its report. */
    private JsonNode endToEnd(Path plots) throws IOException, InterruptedException {
        Path work = Path.of("target", "bench-e2e").toAbsolutePath();
        Path report = work.resolve("report.json");
        Files.deleteIfExists(report);
        Path ml100k = datasets.resolve("ml-100k");
        String dataset = Files.isDirectory(ml100k) ? ml100k.toAbsolutePath().toString() : "synthetic";
        List<String> args = List.of("demo", "--dataset", dataset, "--fast", "--until-done", "--report", report.toString(),
                "--plots", plots.resolve("e2e").toAbsolutePath().toString(), "--data-dir", work.resolve("data").toString(),
                "--fresh", "--http-port", "0", "--no-download", "--parallelism", "2", "--probes", "50");
        List<String> cmd = ChildJvm.command("cli", StreamrecCli.class.getName(), List.of("-Xmx1g"), args);
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        if (!p.waitFor(20, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            LOG.warn("end-to-end run failed (exit {}); see {}", p.isAlive() ? "timeout" : p.exitValue(), work.resolve("data/logs"));
            return null;
        }
        return new ObjectMapper().readTree(report.toFile());
    }

    private String markdown(List<Row> rows, JsonNode e2e, Path plots, double seconds) throws IOException {
        StringBuilder b = new StringBuilder();
        b.append("# streamrec benchmarks\n\n");
        b.append("Regenerate everything below with `./streamrec bench` (this run: ").append(String.format(Locale.ROOT, "%.0f", seconds))
                .append(" s, ").append(Instant.now().toString(), 0, 16).append(" UTC). Machine: ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
                .append(System.getProperty("java.vm.name")).append(' ').append(Runtime.version())
                .append("; shared and noisy, so comparisons are made side by side in one run.\n\n");

        b.append("## Accuracy\n\n");
        b.append("Same learner code as the Flink trainer (`streamrec evaluate`), default settings, no per-dataset tuning. ")
                .append("Prequential = test-then-train, one pass in event-time order (each event scored before it is learned). ")
                .append("Holdout = random 80/20 split, N shuffled passes over the 80 %, scored on the 20 %.\n\n");
        b.append("| dataset | protocol | model | events scored | RMSE | MAE | cold-start | events/s |\n|---|---|---|---:|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            b.append(String.format(Locale.ROOT, "| %s | %s | %s | %,d | %.4f | %.4f | %.1f %% | %,.0f |%n", r.dataset(), r.protocol(),
                    r.model(), r.events(), r.rmse(), r.mae(), 100 * r.coldStart(), r.eventsPerSecond()));
        }
        b.append("\nPublic references on ml-100k: river (online, prequential, same protocol): BiasedMF 0.948, biases-only 0.954. ")
                .append("Surprise (batch, 5-fold CV): SVD 0.934, SVD++ 0.919, BaselineOnly 0.944. LIBMF (random 80/20, k=32, 20 iterations): 0.909.\n\n");
        for (String name : List.of("ml-100k", "ml-latest-small", "synthetic (drift at 50 %)")) {
            Path png = plots.resolve("prequential-" + slug(name) + ".png");
            if (Files.exists(png)) {
                b.append("![prequential RMSE, ").append(name).append("](").append(out.toAbsolutePath().getParent().relativize(png.toAbsolutePath())).append(")\n\n");
            }
        }

        b.append("## End to end (embedded stack)\n\n");
        if (e2e == null) {
            b.append("Not run in this regeneration.\n\n");
        } else {
            b.append("`streamrec demo --dataset ml-100k --fast --until-done --parallelism 2 --probes 50`: embedded KRaft broker, ")
                    .append("trainer on a Flink MiniCluster (RocksDB, incremental checkpoints every 1 s, exactly-once sinks), ")
                    .append("scorer (Kafka Streams), replay at full speed, each in its own JVM on this machine.\n\n");
            b.append("| figure | value |\n|---|---:|\n");
            row(b, "events replayed", String.format(Locale.ROOT, "%,d", e2e.path("events").asLong()));
            row(b, "events trained (committed)", String.format(Locale.ROOT, "%,d", e2e.path("trained").asLong()));
            row(b, "dead letters", Long.toString(e2e.path("dlq").asLong()));
            row(b, "training throughput (trainer's own reports, first to last)", String.format(Locale.ROOT, "%,.0f events/s", e2e.path("sustainedTrainedPerSecond").asDouble()));
            row(b, "launch → everything trained and served", String.format(Locale.ROOT, "%.1f s", e2e.path("elapsedMs").asLong() / 1000.0));
            row(b, "max consumer lag", String.format(Locale.ROOT, "%,d events", e2e.path("maxLag").asLong()));
            row(b, "prequential RMSE (streaming)", String.format(Locale.ROOT, "%.4f", e2e.path("prequentialRmse").asDouble()));
            row(b, "freshness p50 / p95 (rating produced → recommendations changed)", e2e.path("freshnessP50Ms").asLong() + " / "
                    + e2e.path("freshnessP95Ms").asLong() + " ms (" + e2e.path("freshnessProbes").asInt() + " probes)");
            row(b, "launch → first recommendation served", e2e.path("firstRecommendationMs").asLong() + " ms");
            row(b, "checkpoint directory size at the end", String.format(Locale.ROOT, "%.1f MB", e2e.path("checkpointBytes").asLong() / 1e6));
            e2e.path("peakRssMb").fields().forEachRemaining(f -> row(b, "peak RSS " + f.getKey(), f.getValue().asLong() + " MB"));
            b.append("\nThe replay finishes before the trainer's job is running, so the lag peaks at the whole stream; ")
                    .append("the trainer's sustained throughput on a long stream is in the stream-trainer section below (1 M events).\n\n");
            for (String f : List.of("throughput", "freshness", "prequential-rmse-stream")) {
                Path png = plots.resolve("e2e").resolve(f + ".png");
                if (Files.exists(png)) {
                    b.append("![").append(f).append("](").append(out.toAbsolutePath().getParent().relativize(png.toAbsolutePath())).append(")\n\n");
                }
            }
        }
        b.append("## GPU\n\n")
                .append("The ND4J kernel's CUDA path (`./mvnw -Pcuda`, `nd4j-cuda-11.6`) has not been benchmarked: the only GPUs this ")
                .append("workplace lends are Hopper (H100/H200), which that backend cannot run (kernels for sm_37…sm_86, no PTX), and ")
                .append("no GPU was lent to the session that wrote this tool. `./mvnw -Pcuda -DskipTests package` builds. On this CPU the ")
                .append("plain-Java kernel is the fast path; the model section below compares it with ND4J's CPU backend side by side.\n");
        for (String s : SECTIONS) {
            Path section = docs.resolve("bench").resolve(s + ".md");
            if (Files.exists(section)) {
                b.append("\n").append(demoteHeadings(Files.readString(section, StandardCharsets.UTF_8).strip())).append("\n");
            }
        }
        return b.toString();
    }

    private static void row(StringBuilder b, String k, String v) {
        b.append("| ").append(k).append(" | ").append(v).append(" |\n");
    }

    /** Sections are written as standalone pages; nest them one level under this page's title. */
    static String demoteHeadings(String md) {
        return Pattern.compile("(?m)^(#{1,5}) ").matcher(md).replaceAll("#$1 ");
    }

    static String slug(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    }
}
