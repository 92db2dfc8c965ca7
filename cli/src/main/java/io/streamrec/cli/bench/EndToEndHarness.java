package io.streamrec.cli.bench;

import io.streamrec.bench.run.BenchContext;
import io.streamrec.bench.run.BenchHarness;
import io.streamrec.bench.run.ChildMain;
import io.streamrec.cli.StreamrecCli;
import io.streamrec.cli.demo.DemoReport;
import io.streamrec.cli.demo.Plots;
import io.streamrec.common.report.BenchSection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The "End to end" section: runs {@code streamrec demo --until-done} at full speed several times, each in a child JVM,
 * and reports the medians of its {@link DemoReport}s. It lives in the CLI module, not with the other harnesses in
 * {@code bench}, because it runs the CLI's own demo and reads the CLI's typed demo report.
 */
public final class EndToEndHarness implements BenchHarness {

    private static final Logger LOG = LoggerFactory.getLogger(EndToEndHarness.class);
    private static final ChildMain CLI = new ChildMain("cli", StreamrecCli.class.getName());

    @Override
    public String area() {
        return "e2e";
    }

    @Override
    public String title() {
        return "End to end";
    }

    @Override
    public boolean run(BenchContext c) throws Exception {
        BenchSection s = new BenchSection("End to end (embedded stack)", "streamrec bench --only e2e");
        Path work = Path.of("target", "bench-e2e").toAbsolutePath();
        Path ml100k = c.datasets().resolve("ml-100k");
        int copies = c.quick() ? 1 : Math.max(1, c.e2eCopies());
        String dataset = !Files.isDirectory(ml100k) ? "synthetic"
                : copies == 1 ? ml100k.toAbsolutePath().toString() : repeated(ml100k, copies, work.resolve("ml-100k-x" + copies)).toString();
        String datasetName = dataset.equals("synthetic") ? "the synthetic stream" : copies == 1 ? "ml-100k" : "ml-100k × " + copies;
        Path plots = c.plots().resolve("e2e").toAbsolutePath();
        List<DemoReport> reports = new ArrayList<>();
        int runs = Math.max(1, c.quick() ? 1 : c.e2eRuns());
        for (int i = 1; i <= runs; i++) {
            System.err.printf("bench e2e: run %d of %d ...%n", i, runs);
            Path report = work.resolve("report-" + i + ".json");
            Files.deleteIfExists(report);
            List<String> args = new ArrayList<>(List.of("demo", "--dataset", dataset, "--fast", "--until-done",
                    "--report", report.toString(), "--data-dir", work.resolve("data").toString(), "--fresh",
                    "--http-port", "0", "--no-download", "--parallelism", "2", "--probes", c.quick() ? "10" : "50"));
            if (i == runs) {
                args.addAll(List.of("--plots", plots.toString()));
            }
            if (!c.launcher().run(CLI, List.of("-Xmx1g"), args, Duration.ofMinutes(10))) {
                LOG.warn("end-to-end run {} failed; see {}", i, work.resolve("data/logs"));
                return false;
            }
            reports.add(DemoReport.read(report));
        }
        List<Long> freshness = new ArrayList<>();
        reports.forEach(r -> freshness.addAll(r.freshnessMs()));
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
        stat(t, reports, "events replayed", DemoReport::events, 0, "");
        stat(t, reports, "events trained (committed)", DemoReport::trained, 0, "");
        stat(t, reports, "dead letters", DemoReport::dlq, 0, "");
        stat(t, reports, "training throughput (trainer's reports, first to last)", DemoReport::sustainedTrainedPerSecond, 0, " events/s");
        stat(t, reports, "launch → everything trained and served", r -> r.elapsedMs() / 1000.0, 1, " s");
        stat(t, reports, "launch → first recommendation served", r -> r.firstRecommendationMs() / 1000.0, 1, " s");
        stat(t, reports, "max consumer lag", DemoReport::maxLag, 0, " events");
        stat(t, reports, "prequential RMSE (streaming, 2 subtasks)", DemoReport::prequentialRmse, 4, "");
        stat(t, reports, "freshness p50 (per run)", DemoReport::freshnessP50Ms, 0, " ms");
        stat(t, reports, "freshness p95 (per run)", DemoReport::freshnessP95Ms, 0, " ms");
        stat(t, reports, "checkpoint directory at the end", r -> r.checkpointBytes() / 1e6, 1, " MB");
        for (String proc : reports.get(0).peakRssMb().keySet()) {
            stat(t, reports, "peak RSS " + proc, r -> r.peakRssMb().getOrDefault(proc, 0L), 0, " MB");
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
                s.text("![" + f + "](" + c.link(png) + ")");
            }
        }
        s.writeTo(c.section());
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
                Files.copy(ml100k.resolve(meta), dir.resolve(meta), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return dir;
    }

    private static void stat(BenchSection.Table t, List<DemoReport> reports, String name, ToDoubleFunction<DemoReport> f,
                             int decimals, String unit) {
        double[] v = reports.stream().mapToDouble(f).toArray();
        double min = Arrays.stream(v).min().orElse(Double.NaN);
        double max = Arrays.stream(v).max().orElse(Double.NaN);
        t.row(name, num(BenchSection.median(v), decimals) + unit, num(min, decimals) + " … " + num(max, decimals));
    }

    private static String num(double v, int decimals) {
        return decimals == 0 ? BenchSection.count(v) : String.format(Locale.ROOT, "%,." + decimals + "f", v);
    }
}
