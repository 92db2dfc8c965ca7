package io.streamrec.cli;

import io.streamrec.common.event.DriftState;
import io.streamrec.common.event.PrequentialMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

class BenchCommandTest {

    private static PrequentialMetrics at(long count, long alarms) {
        return new PrequentialMetrics("mf", count, count, count, 1000, 1.0, 0.8, 1.0, 0.8, 0.0, 1000,
                alarms > 0 ? DriftState.RECOVERED : DriftState.STABLE, alarms);
    }

    @Test
    void driftSummaryFindsTheFirstAlarmAfterThePlantedDriftFromTheAlarmCount() {
        // The alarm at 1,500 fired and recovered between samples: only the count shows it.
        List<PrequentialMetrics> series = List.of(at(1000, 0), at(2000, 1), at(3000, 1), at(5000, 1), at(6000, 2), at(7000, 3));
        assertThat(BenchCommand.driftSummary(series, OptionalLong.of(5000)))
                .isEqualTo("first after the drift by event 6,000 (+1,000); 3 in all");
        assertThat(BenchCommand.driftSummary(series.subList(0, 4), OptionalLong.of(5000))).isEqualTo("none after the drift; 1 before it");
        assertThat(BenchCommand.driftSummary(List.of(at(1000, 0)), OptionalLong.of(500))).isEqualTo("none");
        assertThat(BenchCommand.driftSummary(series, OptionalLong.empty())).isEqualTo("3 in all");
    }

    @Test
    void aFailedRegenerationKeepsTheLastFiguresUnderOneWarning(@TempDir Path dir) throws Exception {
        Path section = dir.resolve("scorer.md");
        Files.writeString(section, "## Top-K\n\nintro\n\n| a |\n|---|\n| 1 |\n");
        BenchCommand.markFailed(section, BenchCommand.Area.scorer, "exit 1");
        BenchCommand.markFailed(section, BenchCommand.Area.scorer, "exit 2");
        String md = Files.readString(section);
        assertThat(md).startsWith("## Top-K\n\n> **The regeneration of this section at ");
        assertThat(md).contains("failed** (exit 2); the figures below are from the previous run.").doesNotContain("exit 1");
        assertThat(md.split("regeneration of this section", -1)).hasSize(2);
        assertThat(md).contains("| 1 |");

        Path fresh = dir.resolve("model.md");
        BenchCommand.markFailed(fresh, BenchCommand.Area.model, "no JMH");
        assertThat(Files.readString(fresh)).startsWith("## Learner kernels\n\n> **The regeneration").contains("failed** (no JMH).");
    }

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
    void anchorsFollowGithubHeadings() {
        assertThat(BenchCommand.anchor("Stream trainer (Kafka → Flink → Kafka)")).isEqualTo("stream-trainer-kafka--flink--kafka");
        assertThat(BenchCommand.anchor("Learner kernels (JMH)")).isEqualTo("learner-kernels-jmh");
    }
}
