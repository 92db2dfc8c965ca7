package io.streamrec.scorer;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleBiFunction;

/**
 * Publishes how far the scorer has applied the factors topic as the committed offsets of consumer group
 * {@code <application id>-factors}. Kafka Streams reads that topic with its global consumer, which belongs to no
 * group, so without this neither {@code kafka-consumer-groups} nor a supervisor could see the scorer's factor lag.
 * The group never has members; only its offsets are written.
 */
final class FactorProgress implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FactorProgress.class);

    private final Admin admin;
    private final String group;
    private final String topic;
    private final ScorerMetrics metrics;
    /** (topic, partition) → the global consumer's records-lag, NaN when unknown. */
    private final ToDoubleBiFunction<String, Integer> lag;
    private final Map<TopicPartition, Long> committed = new HashMap<>();
    private final Map<TopicPartition, Long> previousEnd = new HashMap<>();
    private final ScheduledExecutorService timer;
    private volatile double behind = Double.NaN;

    FactorProgress(Admin admin, String group, String topic, ScorerMetrics metrics, ToDoubleBiFunction<String, Integer> lag) {
        this.admin = admin;
        this.group = group;
        this.topic = topic;
        this.metrics = metrics;
        this.lag = lag;
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "factor-progress");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::publish, 1, 1, TimeUnit.SECONDS);
    }

    String group() {
        return group;
    }

    /**
     * Committed factor records not yet known to be applied, as of the last publication (NaN before the first). More
     * conservative than the consumer's lag metric, which can still read 0 just after new records were committed.
     */
    double behind() {
        return behind;
    }

    void publish() {
        try {
            Map<Integer, Long> processed = metrics.factorOffsets();
            if (processed.isEmpty()) {
                return;
            }
            Map<TopicPartition, OffsetSpec> req = new HashMap<>();
            processed.keySet().forEach(p -> req.put(new TopicPartition(topic, p), OffsetSpec.latest()));
            var ends = admin.listOffsets(req, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get(5, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            double gap = 0;
            for (Map.Entry<Integer, Long> e : processed.entrySet()) {
                TopicPartition tp = new TopicPartition(topic, e.getKey());
                long next = e.getValue() + 1;
                long end = ends.get(tp).offset();
                // Past the last record there may be only transaction markers and aborted records, which the processor
                // never sees. When the end has not moved for a whole interval and the consumer reports no lag, it has
                // fetched up to the end: the partition is read completely.
                double l = lag.applyAsDouble(topic, e.getKey());
                Long before = previousEnd.put(tp, end);
                long position = l == 0.0 && before != null && before == end ? end : Math.min(next, end);
                if (position > committed.getOrDefault(tp, -1L)) {
                    offsets.put(tp, new OffsetAndMetadata(position));
                    committed.put(tp, position);
                }
                gap += Math.max(0, end - committed.getOrDefault(tp, position));
            }
            behind = gap;
            if (!offsets.isEmpty()) {
                admin.alterConsumerGroupOffsets(group, offsets).all().get(5, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            LOG.debug("could not publish factor progress for group {}: {}", group, e.toString());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
