package io.streamrec.scorer.stream;

import io.streamrec.common.config.Settings;
import io.streamrec.common.config.StreamrecConfig;
import io.streamrec.common.topic.Topics;
import io.streamrec.scorer.ScorerMetrics;
import io.streamrec.scorer.ScorerOptions;
import io.streamrec.scorer.ScorerTopology;
import io.streamrec.scorer.index.ItemIndex;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A flood of garbage on {@code ratings} through the real topology: every record is counted exactly and the log stays
 * bounded (Kafka Streams' own per-record WARN included), checked with a real log4j appender on the root logger, i.e.
 * what would reach the scorer's log.
 */
class PoisonFloodTest {

    static final Topics TOPICS = new Topics("flood.");
    static final int FLOOD = 2_000;

    /** Every event that reaches the root logger's appenders. */
    static final class Capture extends AbstractAppender {
        final List<LogEvent> events = new CopyOnWriteArrayList<>();

        Capture() {
            super("capture", null, null, true, Property.EMPTY_ARRAY);
        }

        @Override
        public void append(LogEvent event) {
            events.add(event.toImmutable());
        }

        List<String> lines(String loggerPrefix) {
            return events.stream().filter(e -> e.getLoggerName().startsWith(loggerPrefix))
                    .map(e -> e.getLevel() + " " + e.getLoggerName() + " " + e.getMessage().getFormattedMessage()).toList();
        }
    }

    @TempDir
    Path dataDir;
    final Capture capture = new Capture();

    @BeforeEach
    void attach() {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        capture.start();
        ctx.getConfiguration().getRootLogger().addAppender(capture, Level.ALL, null);
        ctx.updateLoggers();
    }

    @AfterEach
    void detach() {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        ctx.getConfiguration().getRootLogger().removeAppender(capture.getName());
        ctx.updateLoggers();
        capture.stop();
    }

    @Test
    void aFloodOfGarbageIsCountedExactlyAndLoggedBoundedly() {
        ScorerMetrics metrics = new ScorerMetrics();
        ScorerOptions options = ScorerOptions.defaults("flood-test", dataDir).withUserPartitions(1);
        StreamrecConfig config = StreamrecConfig.from(Settings.builder().put("bootstrap.servers", "127.0.0.1:1", "test").build());
        try (TopologyTestDriver driver = new TopologyTestDriver(ScorerTopology.buildTopology(TOPICS, options, new ItemIndex(),
                new ChangedUsers(1), new MetricsHistory(10), metrics), ScorerTopology.config(config, options, metrics))) {
            TestInputTopic<byte[], byte[]> ratings = driver.createInputTopic(TOPICS.ratings().name(),
                    new ByteArraySerializer(), new ByteArraySerializer());
            for (int n = 0; n < FLOOD; n++) {
                ratings.pipeInput(null, ("garbage " + n).getBytes(StandardCharsets.UTF_8));
            }
        }
        String topic = TOPICS.ratings().name();
        assertThat(metrics.total("streamrec_scorer_poison_records_total")).isEqualTo(FLOOD);
        assertThat(metrics.prometheusText())
                .contains("streamrec_scorer_poison_records_total{topic=\"" + topic + "\",reason=\"GARBAGE\"} " + FLOOD);

        List<String> kafkaSkips = capture.lines(CountingDeserializationHandler.KAFKA_SKIP_LOGGER);
        List<String> ours = capture.lines(CountingDeserializationHandler.class.getName());
        assertThat(kafkaSkips).as("Kafka Streams' per-record skip warnings").isEmpty();
        assertThat(ours).as("our own lines: the first few in detail, then at most one summary a minute")
                .hasSizeBetween(CountingDeserializationHandler.DETAILED, CountingDeserializationHandler.DETAILED + 2);
        assertThat(ours.get(0)).contains(topic).contains("GARBAGE");
        assertThat(capture.events).as("everything logged during the flood").hasSizeLessThan(100);
    }

    /** After the detailed lines, one summary per interval carrying the counts by topic and reason. */
    @Test
    void summariesAreRateLimitedAndAddUp() {
        AtomicLong clock = new AtomicLong(1_000_000);
        SkippedRecordLog log = new SkippedRecordLog(LoggerFactory.getLogger("io.streamrec.test.skips"), 3, 60_000, clock::get);
        for (int n = 0; n < 10_000; n++) {
            clock.addAndGet(30); // 10 000 records over 300 s
            log.skipped(n % 2 == 0 ? "ratings" : "items", 0, n, n % 2 == 0 ? "GARBAGE" : "BAD_KEY", "bad bytes");
        }
        List<String> lines = capture.lines("io.streamrec.test.skips");
        // 3 detailed + the "further ones are summarised" notice + one summary per full minute
        assertThat(lines).hasSize(3 + 1 + 4);
        long summarised = 0;
        for (String line : lines.subList(4, lines.size())) {
            Matcher m = Pattern.compile("skipped (\\d+) more").matcher(line);
            assertThat(m.find()).as(line).isTrue();
            summarised += Long.parseLong(m.group(1));
            assertThat(line).contains("ratings (GARBAGE)=").contains("items (BAD_KEY)=");
        }
        // 4 full minutes of 2 000 records each; the tail after the last summary is only in the metrics
        assertThat(summarised).isEqualTo(4 * 2_000L);
    }
}
