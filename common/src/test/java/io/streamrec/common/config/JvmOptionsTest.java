package io.streamrec.common.config;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.assertj.core.api.Assertions.assertThat;

class JvmOptionsTest {

    @Test
    void theOpensComeFromTheBuildAndMatchWhatThisTestJvmWasStartedWith() {
        assertThat(JvmOptions.FLINK_OPENS).hasSizeGreaterThanOrEqualTo(10)
                .allSatisfy(o -> assertThat(o).matches("--add-opens=java\\.base/[a-z.]+=ALL-UNNAMED"))
                .contains("--add-opens=java.base/java.util=ALL-UNNAMED");
        // Surefire starts this JVM with the same pom property: one list, two consumers.
        assertThat(ManagementFactory.getRuntimeMXBean().getInputArguments()).containsAll(JvmOptions.FLINK_OPENS);
    }
}
