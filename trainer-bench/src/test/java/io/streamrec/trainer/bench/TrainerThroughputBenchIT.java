package io.streamrec.trainer.bench;

import io.streamrec.testing.KafkaBrokerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The harness behind BENCHMARKS.md's trainer section, on a tiny stream: every figure filled, from committed output. */
class TrainerThroughputBenchIT {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @Test
    void measuresThroughputAccuracyAndCheckpoints(@TempDir Path dir) throws Exception {
        String md = TrainerThroughputBench.measure(KAFKA.bootstrapServers(), dir.resolve("no-datasets"), dir.resolve("work"),
                1, 1, List.of("p1", "p1-dlplus", "p1-u-autorec"), 20_000).markdown();
        assertThat(md).startsWith("## Stream trainer (Kafka → Flink → Kafka)");
        assertThat(md).contains("synthetic planted-factor ratings", "20,000 events");
        // p1 row: throughput, RMSE in a sane range for planted ratings, recall@10 with its ranked events, at least one
        // completed checkpoint with a size; the same for DL+.
        for (String config : List.of("p1", "p1-dlplus", "p1-u-autorec")) {
            assertThat(md).containsPattern("\\| " + config + " \\| [0-9,]+ \\| [0-9,]+ \\| 0\\.[5-9][0-9]{3} \\| 0\\.[0-9]{4} "
                    + "\\| [01]\\.[0-9]{4} \\([0-9,]+\\) \\| [1-9][0-9]* \\| [0-9,]+ / [0-9,]+ \\| [0-9.]+ MB \\| [0-9.]+ MB \\|");
        }
        assertThat(md).doesNotContain("NaN");
    }
}
