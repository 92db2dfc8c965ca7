package io.streamrec.bench.run;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** BENCHMARKS.md assembly and the failed-regeneration warning (the latter two moved here from BenchCommandTest). */
class BenchmarksMarkdownTest {

    private static final BenchAreas AREAS = BenchAreas.standard(new FixedHarness("e2e", "End to end"));

    @Test
    void aFailedRegenerationKeepsTheLastFiguresUnderOneWarning(@TempDir Path dir) throws Exception {
        Path section = dir.resolve("scorer.md");
        Files.writeString(section, "## Top-K\n\nintro\n\n| a |\n|---|\n| 1 |\n");
        BenchmarksMarkdown.markFailed(section, AREAS.get("scorer"), "exit 1");
        BenchmarksMarkdown.markFailed(section, AREAS.get("scorer"), "exit 2");
        String md = Files.readString(section);
        assertThat(md).startsWith("## Top-K\n\n> **The regeneration of this section at ");
        assertThat(md).contains("failed** (exit 2); the figures below are from the previous run.").doesNotContain("exit 1");
        assertThat(md.split("regeneration of this section", -1)).hasSize(2);
        assertThat(md).contains("| 1 |");

        Path fresh = dir.resolve("model.md");
        BenchmarksMarkdown.markFailed(fresh, AREAS.get("model"), "no JMH");
        assertThat(Files.readString(fresh)).startsWith("## Learner kernels\n\n> **The regeneration").contains("failed** (no JMH).");
    }

    @Test
    void anchorsFollowGithubHeadings() {
        assertThat(BenchmarksMarkdown.anchor("Stream trainer (Kafka → Flink → Kafka)")).isEqualTo("stream-trainer-kafka--flink--kafka");
        assertThat(BenchmarksMarkdown.anchor("Learner kernels (JMH)")).isEqualTo("learner-kernels-jmh");
    }

    @Test
    void assemblesSectionsInDocumentOrderWithTheirOwnTitlesInTheContents(@TempDir Path dir) throws Exception {
        Path docs = dir.resolve("docs");
        BenchmarksMarkdown markdown = new BenchmarksMarkdown(AREAS, docs, dir.resolve("BENCHMARKS.md"));
        Files.createDirectories(markdown.sections());
        Files.writeString(markdown.section(AREAS.get("scorer")), "## Top-K recommendations (scorer kernel)\n\nfigures\n");
        Files.writeString(markdown.section(AREAS.get("accuracy")), "## Accuracy\n\nrmse\n");
        Files.createDirectories(docs.resolve("notes"));
        Files.writeString(docs.resolve("notes/kernels.md"), "# notes\n");

        String md = markdown.assemble(List.of(AREAS.get("accuracy"), AREAS.get("scorer")), 12);
        assertThat(md).startsWith("# streamrec benchmarks\n\n").contains("Last run: only [accuracy, scorer], 12 s, finished ");
        assertThat(md).contains("Sections: [Accuracy](#accuracy) · [End to end](#end-to-end) · [Stream trainer](#stream-trainer) · [Scale](#scale) · "
                + "[Learner kernels](#learner-kernels) · [Top-K](#top-k-recommendations-scorer-kernel) · [Scale-out serving](#scale-out-serving) · [Ingest](#ingest) · [GPU](#gpu).");
        assertThat(md.indexOf("## Accuracy")).isLessThan(md.indexOf("## End to end")).isLessThan(md.indexOf("## Top-K recommendations"));
        assertThat(md).contains("## End to end\n\nNot measured yet: run `./streamrec bench --only e2e`.");
        assertThat(md).contains("## GPU\n\n", "[kernels.md](docs/notes/kernels.md).");
        assertThat(markdown.assemble(AREAS.select(null), 1)).contains("Last run: all areas, 1 s");
    }

    @Test
    void theGpuSectionComesFromItsHandWrittenFileWhenThereIsOne(@TempDir Path dir) throws Exception {
        Path docs = dir.resolve("docs");
        BenchmarksMarkdown markdown = new BenchmarksMarkdown(AREAS, docs, dir.resolve("BENCHMARKS.md"));
        Files.createDirectories(markdown.sections());
        assertThat(markdown.assemble(List.of(), 1)).contains("## GPU\n\nThe ND4J kernel's CUDA path");
        Files.writeString(markdown.sections().resolve("gpu.md"), "## GPU\n\ndevice check: 12 passed, 0 failed\n");
        String md = markdown.assemble(List.of(), 1);
        assertThat(md).contains("## GPU\n\ndevice check: 12 passed, 0 failed\n").doesNotContain("The ND4J kernel's CUDA path");
    }

    /** A harness that measures nothing, for the maps under test. */
    record FixedHarness(String area, String title) implements BenchHarness {
        @Override
        public boolean run(BenchContext context) {
            return true;
        }
    }

    @Test
    void theHandWrittenClusterSectionComesBeforeGpuWithAnEntryInTheContents(@TempDir Path dir) throws Exception {
        Path docs = dir.resolve("docs");
        BenchmarksMarkdown markdown = new BenchmarksMarkdown(AREAS, docs, dir.resolve("BENCHMARKS.md"));
        Files.createDirectories(markdown.sections());
        assertThat(markdown.assemble(List.of(), 1)).doesNotContain("Cluster");
        Files.writeString(markdown.sections().resolve("cluster.md"), "## Cluster (docker compose)\n\n3 brokers, 2 TaskManagers\n");
        String md = markdown.assemble(List.of(), 1);
        assertThat(md).contains("[Cluster](#cluster-docker-compose) · [GPU](#gpu)",
                "## Cluster (docker compose)\n\n3 brokers, 2 TaskManagers\n");
        assertThat(md.indexOf("## Cluster")).isGreaterThan(md.indexOf("## Ingest")).isLessThan(md.indexOf("## GPU"));
    }
}
