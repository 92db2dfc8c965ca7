package io.streamrec.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code streamrec bench} as a command. The drift summaries moved with the accuracy suite to the bench module
 * ({@code AccuracySuiteTest}), the failed-section warning and the anchors with the assembly ({@code BenchmarksMarkdownTest}).
 */
class BenchCommandIT {

    /**
     * The whole orchestration on small workloads: the in-process accuracy suite, two harnesses in child JVMs (bench
     * module), and the assembly, with the missing areas saying so. Datasets absent: the generated stand-ins only.
     */
    @Test
    void quickRunAssemblesMeasuredSections(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("BENCHMARKS.md");
        int code = new picocli.CommandLine(new BenchCommand()).execute("--quick", "--only", "accuracy,scorer,ingest",
                "--datasets", dir.resolve("none").toString(), "--out", out.toString(), "--docs", dir.resolve("docs").toString());
        assertThat(code).isZero();
        String md = Files.readString(out);
        assertThat(md).startsWith("# streamrec benchmarks").contains("Last run: only [accuracy, scorer, ingest]");
        assertThat(md).contains("## Accuracy", "| synthetic (drift at 50 %) | prequential | mf |", "first after the drift by event");
        assertThat(md).contains("## Top-K recommendations (scorer kernel)", "## Ingest", "| produce synthetic, 2 partitions, compression=none |");
        assertThat(md).contains("Not measured yet: run `./streamrec bench --only e2e`", "Not measured yet: run `./streamrec bench --only model`");
        assertThat(md).doesNotContain("regeneration of this section");
        assertThat(dir.resolve("docs/plots/prequential-synthetic-drift-at-50.png")).isRegularFile();
        assertThat(dir.resolve("docs/bench/scorer.md")).content().contains("by `streamrec bench --only scorer`");
    }

    @Test
    void onlyTakesTheAreaNamesAndListsThemInItsHelp() {
        BenchCommand bench = new BenchCommand();
        new CommandLine(bench).parseArgs("--only", "scorer,accuracy", "--only", "e2e");
        assertThat(bench.only).containsExactly("scorer", "accuracy", "e2e");
        assertThat(BenchCommand.AREAS.select(bench.only)).extracting(h -> h.area()).containsExactly("accuracy", "e2e", "scorer");
        assertThat(new CommandLine(new BenchCommand()).getUsageMessage().replaceAll("\\s+", " "))
                .contains("Re-measure only these areas (accuracy, e2e, trainer, scale, model, scorer, serving, ingest)");
    }

    @Test
    void anUnknownAreaIsAUsageErrorNamingTheKnownOnes() {
        StringWriter err = new StringWriter();
        int code = new CommandLine(new BenchCommand()).setErr(new PrintWriter(err)).execute("--only", "accuracy,gpu");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("Invalid value for option '--only' (AREA): "
                + "expected one of [accuracy, e2e, trainer, scale, model, scorer, serving, ingest] (case-sensitive) but was 'gpu'");
    }
}
