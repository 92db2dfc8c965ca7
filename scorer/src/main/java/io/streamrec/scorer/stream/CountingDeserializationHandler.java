package io.streamrec.scorer.stream;

import io.streamrec.common.serde.MalformedRecordException;
import io.streamrec.scorer.ScorerMetrics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Poison records on the scorer's input topics are counted by topic and reason, logged with their coordinates, and
 * skipped: one bad record must never stop serving. The metrics object arrives through the Streams config under
 * {@link #METRICS_CONFIG} (Kafka instantiates handlers by class name).
 */
public final class CountingDeserializationHandler implements DeserializationExceptionHandler {

    public static final String METRICS_CONFIG = "streamrec.scorer.metrics";
    private static final Logger LOG = LoggerFactory.getLogger(CountingDeserializationHandler.class);
    /** Log the first few at WARN with detail; after that DEBUG, so a flood of garbage cannot flood the log. */
    private static final int WARN_LIMIT = 20;
    private static final AtomicLong LOGGED = new AtomicLong();

    private ScorerMetrics metrics;

    @Override
    public void configure(Map<String, ?> configs) {
        Object m = configs.get(METRICS_CONFIG);
        metrics = m instanceof ScorerMetrics sm ? sm : new ScorerMetrics();
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        String reason = exception instanceof MalformedRecordException m ? m.reason().name() : exception.getClass().getSimpleName();
        if (metrics != null) {
            metrics.poison(context.topic(), reason);
        }
        if (LOGGED.incrementAndGet() <= WARN_LIMIT) {
            LOG.warn("skipping undecodable record {}-{}@{} ({}): {}", context.topic(), context.partition(), context.offset(),
                    reason, exception.getMessage());
        } else {
            LOG.debug("skipping undecodable record {}-{}@{} ({}): {}", context.topic(), context.partition(), context.offset(),
                    reason, exception.getMessage());
        }
        return Response.resume();
    }
}
