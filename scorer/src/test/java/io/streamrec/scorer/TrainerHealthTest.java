package io.streamrec.scorer;

import io.streamrec.common.config.Settings;
import io.streamrec.common.config.StreamrecConfig;
import io.streamrec.common.event.DriftState;
import io.streamrec.common.event.PrequentialMetrics;
import io.streamrec.common.event.Rating;
import io.streamrec.common.topic.Topics;
import io.streamrec.scorer.index.ItemIndex;
import io.streamrec.scorer.stream.ChangedUsers;
import io.streamrec.scorer.stream.MetricsHistory;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class TrainerHealthTest {

    static final long T = 1_700_000_000_000L;
    static final long GRACE = TrainerHealth.SILENT_AFTER_MS;

    @TempDir
    Path dataDir;

    @Test
    void silentOnlyWhileRatingsKeepArriving() {
        // heard 5 s ago: OK
        assertThat(TrainerHealth.assess(T, T - 5_000, 0, T - 100_000, T - 1_000, GRACE).status()).isEqualTo("OK");
        // quiet for 2 minutes, ratings still arriving: SILENT
        TrainerHealth silent = TrainerHealth.assess(T, T - 120_000, T - 130_000, T - 300_000, T - 1_000, GRACE);
        assertThat(silent.status()).isEqualTo("SILENT");
        assertThat(silent.lastHeardAgeMs()).isEqualTo(120_000);
        assertThat(silent.lastRatingAgeMs()).isEqualTo(1_000);
        // quiet for 2 minutes and so are the ratings: nothing to learn, IDLE
        assertThat(TrainerHealth.assess(T, T - 120_000, 0, T - 300_000, T - 90_000, GRACE).status()).isEqualTo("IDLE");
        // factor rows count as hearing from the trainer
        assertThat(TrainerHealth.assess(T, T - 120_000, T - 2_000, T - 300_000, T - 1_000, GRACE).status()).isEqualTo("OK");
        // never heard from: UNKNOWN at first, SILENT once ratings have been arriving for the whole grace period
        assertThat(TrainerHealth.assess(T, 0, 0, 0, 0, GRACE).status()).isEqualTo("UNKNOWN");
        assertThat(TrainerHealth.assess(T, 0, 0, T - 10_000, T - 1_000, GRACE).status()).isEqualTo("UNKNOWN");
        assertThat(TrainerHealth.assess(T, 0, 0, T - GRACE, T - 1_000, GRACE).status()).isEqualTo("SILENT");
    }

    /** Through the real topology: reports and ratings feed the scorer's view of the trainer. */
    @Test
    void reportsAndRatingsThroughTheTopology() {
        Topics topics = new Topics("th.");
        ScorerMetrics metrics = new ScorerMetrics();
        ScorerOptions options = ScorerOptions.defaults("trainer-health-test", dataDir).withUserPartitions(1);
        StreamrecConfig config = StreamrecConfig.from(Settings.builder().put("bootstrap.servers", "127.0.0.1:1", "test").build());
        Instant start = Instant.ofEpochMilli(T);
        try (TopologyTestDriver driver = new TopologyTestDriver(ScorerTopology.buildTopology(topics, options, new ItemIndex(),
                new ChangedUsers(1), new MetricsHistory(10), metrics), ScorerTopology.config(config, options, metrics), start)) {
            TestInputTopic<String, PrequentialMetrics> reports = driver.createInputTopic(topics.metrics().name(),
                    new StringSerializer(), topics.metrics().valueSerde().serializer());
            var r = topics.ratings();
            TestInputTopic<Long, Rating> ratings = driver.createInputTopic(r.name(), r.keySerde().serializer(), r.valueSerde().serializer());

            // a report made two minutes before "now" (e.g. replayed after a scorer restart): the trainer's clock counts
            reports.pipeInput("trainer-0", report(T - 120_000));
            ratings.pipeInput(1L, new Rating(1, 2, 4f, 10));
            assertThat(metrics.trainerHealth(T).status()).isEqualTo("SILENT");
            assertThat(metrics.trainerHealth(T).lastHeardAgeMs()).isEqualTo(120_000);

            reports.pipeInput("trainer-0", report(T - 1_000));
            assertThat(metrics.trainerHealth(T).status()).isEqualTo("OK");

            // the ratings stop too: a quiet trainer is then just idle
            driver.advanceWallClockTime(Duration.ofMinutes(5));
            assertThat(metrics.trainerHealth(T + 300_000).status()).isEqualTo("IDLE");
        }
    }

    static PrequentialMetrics report(long wallMs) {
        return new PrequentialMetrics("trainer-0", 1000, wallMs, 10, 10, 1.0, 0.8, 1.0, 0.8, 0, 100, DriftState.STABLE, 0);
    }
}
