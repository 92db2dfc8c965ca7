package io.streamrec.scorer.stream;

import io.streamrec.scorer.ScorerMetrics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Properties;

/**
 * Poison records on the scorer's input topics are counted by topic and reason, logged with their coordinates (the
 * first few; then rate-limited summaries, see {@link SkippedRecordLog}), and skipped: one bad record must never stop
 * serving. The metrics object and the log arrive through the Streams config (Kafka instantiates handlers by class
 * name); {@link #install} puts them there.
 */
public final class CountingDeserializationHandler implements DeserializationExceptionHandler {

    public static final String METRICS_CONFIG = "streamrec.scorer.metrics";
    public static final String LOG_CONFIG = "streamrec.scorer.skipped-record-log";
    private static final Logger LOG = LoggerFactory.getLogger(CountingDeserializationHandler.class);
    /** Records logged one line each before the log switches to summaries. */
    static final int DETAILED = 20;
    static final long SUMMARY_EVERY_MS = 60_000;
    /**
     * Kafka Streams' own logger for skipped records: it writes one WARN per record ("Skipping record due to
     * deserialization error") on top of ours, which no handler can turn off.
     */
    static final String KAFKA_SKIP_LOGGER = "org.apache.kafka.streams.processor.internals.RecordDeserializer";

    private ScorerMetrics metrics;
    private SkippedRecordLog log;

    /**
     * Sets this handler in a Streams config, with the scorer's metrics and one shared log, and raises Kafka's
     * per-record skip logger to ERROR (it still reports a failing handler, at ERROR). Done here, in code, rather than
     * in log4j2.xml: it must hold whatever log configuration the scorer runs under (including --verbose, which lowers
     * every dependency to INFO), because otherwise anyone who can write to {@code ratings} can fill the disk.
     */
    public static void install(Properties streamsConfig, ScorerMetrics metrics) {
        streamsConfig.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, CountingDeserializationHandler.class);
        streamsConfig.put(METRICS_CONFIG, metrics);
        streamsConfig.put(LOG_CONFIG, new SkippedRecordLog(LOG, DETAILED, SUMMARY_EVERY_MS, System::currentTimeMillis));
        Configurator.setLevel(KAFKA_SKIP_LOGGER, Level.ERROR);
    }

    @Override
    public void configure(Map<String, ?> configs) {
        Object m = configs.get(METRICS_CONFIG);
        metrics = m instanceof ScorerMetrics sm ? sm : new ScorerMetrics();
        Object l = configs.get(LOG_CONFIG);
        log = l instanceof SkippedRecordLog sl ? sl : new SkippedRecordLog(LOG, DETAILED, SUMMARY_EVERY_MS, System::currentTimeMillis);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        String reason = PoisonGuard.reason(exception);
        if (metrics != null) {
            metrics.poison(context.topic(), reason);
        }
        log.skipped(context.topic(), context.partition(), context.offset(), reason, exception.getMessage());
        return Response.resume();
    }
}
