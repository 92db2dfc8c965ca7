package io.streamrec.scorer.stream;

import io.streamrec.common.serde.MalformedRecordException;
import io.streamrec.scorer.ScorerMetrics;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * Decodes the bytes of a record on one scorer input topic, or counts the record as poison (by topic and reason,
 * {@code streamrec_scorer_poison_records_total}), logs it through a bounded {@link SkippedRecordLog} and tells the
 * processor to skip it: one bad record never stops serving. Every processor that reads raw bytes decodes through one
 * of these, so a poison record is treated the same on every topic, live or during restoration.
 *
 * <p>The reason is the {@link MalformedRecordException}'s typed reason, or the exception's class name for any other
 * failure of a decoder.
 */
public final class PoisonGuard {

    /** Records logged one line each by the processors' shared log before it switches to summaries. */
    static final int DETAILED = 20;
    static final long SUMMARY_EVERY_MS = 60_000;

    /** One decoding step: bytes in, a value out, or an exception for bytes that are not a valid record. */
    @FunctionalInterface
    public interface Decoding<T> {
        T decode(byte[] bytes);
    }

    private final String topic;
    private final ScorerMetrics metrics;
    private final SkippedRecordLog log;

    public PoisonGuard(String topic, ScorerMetrics metrics, SkippedRecordLog log) {
        this.topic = topic;
        this.metrics = metrics;
        this.log = log;
    }

    /** The log the processors of one topology share: the first {@value #DETAILED} lines in detail, then summaries. */
    public static SkippedRecordLog sharedLog() {
        return new SkippedRecordLog(LoggerFactory.getLogger(PoisonGuard.class), DETAILED, SUMMARY_EVERY_MS,
                System::currentTimeMillis);
    }

    public String topic() {
        return topic;
    }

    /**
     * The decoded value, or null when {@code bytes} are poison (then already counted and logged).
     *
     * @param what    what was being decoded, for the log ("factor key", "item metadata", ...)
     * @param context the processor's context, for the record's partition and offset; null when there is none
     */
    public <T> T decode(Decoding<T> decoding, byte[] bytes, String what, ProcessorContext<?, ?> context) {
        try {
            return decoding.decode(bytes);
        } catch (RuntimeException e) {
            skip(reason(e), what + ": " + (e instanceof MalformedRecordException ? e.getMessage() : e.toString()), context);
        }
        return null;
    }

    /** The reason a decoding failure is counted under: the typed reason, else the exception's class name. */
    public static String reason(Exception e) {
        return e instanceof MalformedRecordException m ? m.reason().name() : e.getClass().getSimpleName();
    }

    /** Counts and logs a record that is poison for a reason found without decoding (no key, a key of the wrong size). */
    public void skip(String reason, String detail, ProcessorContext<?, ?> context) {
        metrics.poison(topic, reason);
        Optional<RecordMetadata> m = context == null ? Optional.empty() : context.recordMetadata();
        log.skipped(topic, m.map(RecordMetadata::partition).orElse(-1), m.map(RecordMetadata::offset).orElse(-1L),
                reason, detail);
    }
}
