package io.streamrec.trainer;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The learning core, the exchange strategy and the snapshot format stay Flink-free, so a new model family plugs
 * in through {@code OnlineModel} without touching Flink code, and all three are tested without a harness.
 */
class FlinkFreeSourcesTest {

    @Test
    void coreExchangeAndSnapshotImportNothingFromFlink() throws IOException {
        for (String pkg : List.of("core", "exchange", "snapshot")) {
            Path dir = Path.of("src/main/java/io/streamrec/trainer", pkg);
            assertThat(dir).isDirectory();
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    assertThat(Files.readString(f)).as(f.toString()).doesNotContain("org.apache.flink");
                }
            }
        }
    }
}
