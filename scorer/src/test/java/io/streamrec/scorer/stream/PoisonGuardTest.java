package io.streamrec.scorer.stream;

import io.streamrec.common.event.FactorRow;
import io.streamrec.common.serde.FactorRowSerde;
import io.streamrec.scorer.ScorerMetrics;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class PoisonGuardTest {

    static final String LOGGER = "io.streamrec.test.guard";
    final PoisonFloodTest.Capture capture = new PoisonFloodTest.Capture();
    final ScorerMetrics metrics = new ScorerMetrics();
    final AtomicLong clock = new AtomicLong(1_000_000);
    final PoisonGuard guard = new PoisonGuard("t.factors", metrics,
            new SkippedRecordLog(LoggerFactory.getLogger(LOGGER), 3, 60_000, clock::get));
    final MockProcessorContext<Void, Void> context = new MockProcessorContext<>();

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

    long poison(String reason) {
        String line = "streamrec_scorer_poison_records_total{topic=\"t.factors\",reason=\"" + reason + "\"} ";
        return metrics.prometheusText().lines().filter(l -> l.startsWith(line))
                .mapToLong(l -> Long.parseLong(l.substring(line.length()).trim())).sum();
    }

    @Test
    void goodBytesDecodeAndCountNothing() {
        FactorRowSerde serde = new FactorRowSerde();
        FactorRow row = new FactorRow(3, 0.5f, new float[]{1, 2}, 7);
        assertThat(guard.decode(serde::decode, serde.encode(row), "factor row", context)).isEqualTo(row);
        assertThat(metrics.total("streamrec_scorer_poison_records_total")).isZero();
        assertThat(capture.lines(LOGGER)).isEmpty();
    }

    @Test
    void poisonIsCountedByReasonLoggedWithCoordinatesAndSkipped() {
        FactorRowSerde serde = new FactorRowSerde();
        context.setRecordMetadata("t.factors", 2, 41);
        assertThat(guard.decode(serde::decode, new byte[]{9, 9, 9}, "factor row", context)).isNull();
        // a decoder failing in any other way is poison too, under its exception's name, never fatal
        assertThat(guard.<FactorRow>decode(b -> {
            throw new IllegalStateException("broken decoder");
        }, new byte[]{1}, "factor row", context)).isNull();
        guard.skip("NULL_KEY", "factor record without a key", null);

        assertThat(metrics.total("streamrec_scorer_poison_records_total")).isEqualTo(3);
        assertThat(poison("IllegalStateException")).isEqualTo(1);
        assertThat(poison("NULL_KEY")).isEqualTo(1);
        List<String> lines = capture.lines(LOGGER);
        assertThat(lines).hasSize(3 + 1); // three detailed lines, then the notice that summaries follow
        assertThat(lines.get(0)).contains("t.factors-2@41").contains("factor row");
        assertThat(lines.get(1)).contains("(IllegalStateException)").contains("broken decoder");
        assertThat(lines.get(2)).contains("t.factors--1@-1 (NULL_KEY)");
    }

    @Test
    void afterTheDetailedLinesTheLogStaysBounded() {
        for (int n = 0; n < 1_000; n++) {
            Object decoded = guard.decode(b -> {
                throw new IllegalArgumentException("bad");
            }, new byte[0], "x", context);
            assertThat(decoded).isNull();
        }
        assertThat(metrics.total("streamrec_scorer_poison_records_total")).isEqualTo(1_000);
        assertThat(capture.lines(LOGGER)).hasSize(3 + 1);
    }
}
