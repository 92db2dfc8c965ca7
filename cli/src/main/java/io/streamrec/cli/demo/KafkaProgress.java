package io.streamrec.cli.demo;

import io.streamrec.common.event.PrequentialMetrics;
import io.streamrec.common.serde.JsonSerde;
import io.streamrec.common.topic.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the demo reads from Kafka to show progress: events in the ratings topic, how far the trainer's consumer group
 * has committed (with exactly-once checkpoints, committed = trained), dead letters, and the newest prequential metrics
 * per trainer subtask. Only committed data is read.
 */
public final class KafkaProgress implements AutoCloseable {

    private final Admin admin;
    private final Topics topics;
    private final KafkaConsumer<String, byte[]> metricsConsumer;
    private final JsonSerde<PrequentialMetrics> metricsSerde = new JsonSerde<>(PrequentialMetrics.class);
    private final Map<String, PrequentialMetrics> latestBySource = new HashMap<>();
    private final List<PrequentialMetrics> history = new ArrayList<>();

    public KafkaProgress(String bootstrap, Topics topics) {
        this.admin = Admin.create(Map.of("bootstrap.servers", bootstrap, "request.timeout.ms", 10_000,
                "default.api.timeout.ms", 15_000));
        this.topics = topics;
        this.metricsConsumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new ByteArrayDeserializer());
        metricsConsumer.assign(List.of());
    }

    /** Sum of committed end offsets (read_committed) of a topic; 0 if it does not exist yet. */
    public long committedEnd(String topic) {
        try {
            var desc = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic);
            Map<TopicPartition, OffsetSpec> req = new HashMap<>();
            desc.partitions().forEach(p -> req.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            return admin.listOffsets(req, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                    .get(10, TimeUnit.SECONDS).values().stream().mapToLong(r -> r.offset()).sum();
        } catch (Exception e) {
            return 0;
        }
    }

    /** Sum of the offsets a consumer group has committed on a topic. */
    public long groupCommitted(String groupId, String topic) {
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(groupId)
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            return offsets.entrySet().stream().filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                    .mapToLong(e -> e.getValue().offset()).sum();
        } catch (Exception e) {
            return 0;
        }
    }

    /** Consumer groups whose id starts with {@code prefix}. */
    public List<String> groups(String prefix) {
        try {
            return admin.listConsumerGroups().all().get(10, TimeUnit.SECONDS).stream()
                    .map(g -> g.groupId()).filter(g -> g.startsWith(prefix)).toList();
        } catch (Exception e) {
            return List.of();
        }
    }

    /** Reads new metrics records; returns the newest one per source. */
    public Map<String, PrequentialMetrics> pollMetrics() {
        String topic = topics.metrics().name();
        if (metricsConsumer.assignment().isEmpty()) {
            List<TopicPartition> parts = metricsConsumer.partitionsFor(topic, Duration.ofSeconds(5)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            if (parts.isEmpty()) {
                return Map.copyOf(latestBySource);
            }
            metricsConsumer.assign(parts);
            metricsConsumer.seekToBeginning(parts);
        }
        for (ConsumerRecord<String, byte[]> rec : metricsConsumer.poll(Duration.ofMillis(100))) {
            try {
                PrequentialMetrics m = metricsSerde.decode(rec.value());
                latestBySource.merge(m.source(), m, (a, b) -> b.count() >= a.count() ? b : a);
                history.add(m);
            } catch (RuntimeException bad) {
                // a malformed metrics record only costs us one point on the status line
            }
        }
        return Map.copyOf(latestBySource);
    }

    public List<PrequentialMetrics> history() {
        return List.copyOf(history);
    }

    @Override
    public void close() {
        metricsConsumer.close(Duration.ofSeconds(2));
        admin.close(Duration.ofSeconds(2));
    }
}
