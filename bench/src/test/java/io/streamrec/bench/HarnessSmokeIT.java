package io.streamrec.bench;

import io.streamrec.bench.ingest.IngestBench;
import io.streamrec.bench.scorer.TopKBench;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The harnesses that {@code streamrec bench} runs, on tiny workloads: each must produce its section with every table
 * filled by measured numbers, so a harness that rots is caught by the build, not by the next regeneration.
 */
class HarnessSmokeIT {

    @Test
    void topKWritesLatencyAndBatchTables(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("scorer.md");
        TopKBench.main(new String[]{out.toString(), "3000", "0.3"});
        String md = Files.readString(out);
        assertThat(md).startsWith("## Top-K recommendations (scorer kernel)");
        assertThat(md).contains("### Single request", "### Batch recompute", "| 32 | scalar Java |", "| 128 | scalar Java |");
        // The build's test JVMs add jdk.incubator.vector, as every streamrec JVM does: both kernels are measured.
        assertThat(md).contains("| 32 | SIMD (jdk.incubator.vector) |", "| 128 | SIMD (jdk.incubator.vector) |")
                .doesNotContain("The SIMD kernel was not available in this JVM");
        assertThat(md).doesNotContain("NaN").doesNotContain("n/a");
        assertThat(md).containsPattern("\\| 32 \\| scalar Java \\| [0-9,]+ \\| [0-9.]+ \\| [0-9.]+ \\|");
        assertThat(md).containsPattern("\\| 32 \\| SIMD \\(jdk.incubator.vector\\) \\| [0-9,]+ \\| [0-9.]+ \\| [0-9.]+ \\|");
    }

    @Test
    void ingestWritesParseSortAndProduceRows(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("ingest.md");
        IngestBench.main(new String[]{out.toString(), dir.resolve("no-datasets-here").toString(), "40000", "20000"});
        String md = Files.readString(out);
        assertThat(md).startsWith("## Ingest");
        assertThat(md).contains("| synthetic 40,000-line ratings.csv parse+sort (in memory) | 40,000 | 3 |");
        assertThat(md).contains("| synthetic 40,000-line ratings.csv parse+sort (external, 64 MB budget) | 40,000 | 3 |");
        assertThat(md).contains("| produce synthetic, 2 partitions, compression=none | 20,000 | 2 |");
        assertThat(md).contains("| produce synthetic, 2 partitions, compression=lz4 | 20,000 | 2 |");
        assertThat(md).doesNotContain("ml-100k parse+sort");
    }

    @Test
    void jmhFoundEveryLearnerBenchmark() throws Exception {
        // The annotation processor must have run in this module's build, or ModelBench measures nothing.
        try (InputStream in = getClass().getResourceAsStream("/META-INF/BenchmarkList")) {
            assertThat(in).as("META-INF/BenchmarkList").isNotNull();
            String list = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(list).contains("io.streamrec.bench.model.LearnerBenchmark", "io.streamrec.bench.model.KernelBenchmark",
                    "io.streamrec.bench.model.SequentialKernelBenchmark", "io.streamrec.bench.scorer.TopKJmhBenchmark");
        }
    }
}
