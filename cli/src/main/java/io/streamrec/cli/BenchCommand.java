package io.streamrec.cli;

import io.streamrec.bench.run.BenchAreas;
import io.streamrec.bench.run.BenchContext;
import io.streamrec.bench.run.BenchHarness;
import io.streamrec.bench.run.BenchmarksMarkdown;
import io.streamrec.bench.run.ChildMain;
import io.streamrec.cli.bench.EndToEndHarness;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code streamrec bench}: re-measures everything in BENCHMARKS.md and rewrites it. Each area is measured by its own
 * harness ({@link BenchAreas}: the area -> harness map), in a JVM of its own where the classpath or the JIT must not be
 * shared, and writes its section to {@code docs/bench/<area>.md} (stamped with time, command, duration and machine
 * load); {@link BenchmarksMarkdown} then assembles BENCHMARKS.md from those sections. {@code --only} re-runs some areas
 * and keeps the others' last sections. This class reads the options and runs the selected harnesses in order.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Re-measure accuracy, end-to-end latency and throughput, the trainer, the learner kernels (JMH), "
                + "top-K and ingest, and rewrite BENCHMARKS.md with tables and plots (about 10 minutes on 2 cores).",
                "Example: streamrec bench --datasets ../shared/datasets",
                "         streamrec bench --only model,scorer"})
public final class BenchCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(BenchCommand.class);

    /** Every area in BENCHMARKS.md order; the end-to-end harness drives this CLI's demo, so it is supplied here. */
    static final BenchAreas AREAS = BenchAreas.standard(new EndToEndHarness());

    @Option(names = "--only", split = ",", paramLabel = "AREA", converter = AreaName.class, completionCandidates = AreaName.class,
            description = "Re-measure only these areas (${COMPLETION-CANDIDATES}); the others keep their last sections.")
    List<String> only;

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

    /** {@code --only}'s values: an area name of {@link #AREAS}, and the list picocli's help shows. */
    static final class AreaName implements CommandLine.ITypeConverter<String>, Iterable<String> {
        @Override
        public String convert(String value) {
            if (!AREAS.contains(value)) {
                throw new CommandLine.TypeConversionException(AREAS.unknown(value));
            }
            return value;
        }

        @Override
        public Iterator<String> iterator() {
            return AREAS.names().iterator();
        }
    }

    @Override
    public Integer call() throws Exception {
        long t0 = System.nanoTime();
        if (quick && out.equals(Path.of("BENCHMARKS.md")) && docs.equals(Path.of("docs"))) {
            out = Path.of("target", "bench-quick", "BENCHMARKS.md");
            docs = Path.of("target", "bench-quick", "docs");
            System.err.println("bench: --quick writes to " + out.getParent() + " (smoke-run figures are not for BENCHMARKS.md)");
        }
        BenchmarksMarkdown markdown = new BenchmarksMarkdown(AREAS, docs, out);
        Files.createDirectories(markdown.sections());
        Files.createDirectories(docs.resolve("plots"));
        List<BenchHarness> selected = AREAS.select(only);
        List<String> failed = new ArrayList<>();
        for (BenchHarness h : selected) {
            long s0 = System.nanoTime();
            System.err.printf("bench: %s ...%n", h.title());
            Path section = markdown.section(h);
            try {
                if (!h.run(new BenchContext(section, datasets, docs, out, quick, epochs, trainerRepeats, e2eRuns, e2eCopies,
                        BenchCommand::runChild))) {
                    failed.add(h.area());
                    BenchmarksMarkdown.markFailed(section, h, "its harness exited with an error; see the output above");
                }
            } catch (Exception e) {
                LOG.error("bench {} failed", h.area(), e);
                failed.add(h.area());
                BenchmarksMarkdown.markFailed(section, h, e.toString());
            }
            System.err.printf(Locale.ROOT, "bench: %s took %.0f s%n", h.title(), (System.nanoTime() - s0) / 1e9);
        }
        Files.writeString(out, markdown.assemble(selected, (System.nanoTime() - t0) / 1e9), StandardCharsets.UTF_8);
        System.out.println("wrote " + out + " (sections in " + markdown.sections() + ", plots in " + docs.resolve("plots") + ")"
                + (failed.isEmpty() ? "" : "; FAILED: " + failed));
        return failed.isEmpty() ? 0 : 1;
    }

    /** The harnesses' child JVMs: the module's own classpath, this terminal's output, killed after the timeout. */
    private static boolean runChild(ChildMain main, List<String> jvmArgs, List<String> args, Duration timeout)
            throws IOException, InterruptedException {
        Process p = new ProcessBuilder(ChildJvm.command(main.module(), main.mainClass(), jvmArgs, args)).inheritIO().start();
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("{} did not finish within {} minutes", main.mainClass(), timeout.toMinutes());
                return false;
            }
            if (p.exitValue() != 0) {
                LOG.warn("{} exited with code {}", main.mainClass(), p.exitValue());
            }
            return p.exitValue() == 0;
        } finally {
            p.destroyForcibly();
        }
    }
}
