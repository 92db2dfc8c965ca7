package io.streamrec.docker;

import io.streamrec.common.event.FactorKey;
import io.streamrec.common.event.FactorKind;
import io.streamrec.common.event.FactorRow;
import io.streamrec.common.event.PrequentialMetrics;
import io.streamrec.common.event.Rating;
import io.streamrec.common.topic.Topic;
import io.streamrec.common.topic.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;

/**
 * The cluster's topics seen from the host: ratings produced the way a replay does (idempotent, acks=all, every send
 * checked), and the trainer's output read as a consumer with {@code isolation.level=read_committed} sees it, so only
 * what exactly-once commits counts.
 */
final class ClusterTopics {

    private static final Topics TOPICS = Topics.defaults();

    private final String bootstrap;

    ClusterTopics(String bootstrap) {
        this.bootstrap = bootstrap;
    }

    /** Sends every rating, at most {@code perSecond} a second (0: as fast as possible); fails on any lost send. */
    void produce(List<Rating> ratings, int perSecond) throws Exception {
        Topic<Long, Rating> topic = TOPICS.ratings();
        Map<String, Object> c = new HashMap<>();
        c.put("bootstrap.servers", bootstrap);
        c.put("acks", "all");
        c.put("enable.idempotence", true);
        c.put("linger.ms", 5);
        // A broker killed mid-send: its partitions move, the producer retries there; give it the time to.
        c.put("request.timeout.ms", 30_000);
        c.put("delivery.timeout.ms", 300_000);
        List<Future<RecordMetadata>> sent = new ArrayList<>(ratings.size());
        long start = System.nanoTime();
        try (KafkaProducer<Long, Rating> p = new KafkaProducer<>(c, topic.keySerde().serializer(), topic.valueSerde().serializer())) {
            for (int i = 0; i < ratings.size(); i++) {
                Rating r = ratings.get(i);
                sent.add(p.send(new ProducerRecord<>(topic.name(), r.user(), r)));
                if (perSecond > 0 && i % 100 == 99) {
                    long due = start + (long) ((i + 1) * 1e9 / perSecond);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
            }
            p.flush();
        }
        for (Future<RecordMetadata> f : sent) {
            f.get();
        }
    }

    /** A read_committed consumer over all of a topic's partitions from the beginning, polled incrementally. */
    static final class CommittedReader implements AutoCloseable {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();

        CommittedReader(String bootstrap, String topic) {
            Map<String, Object> c = new HashMap<>();
            c.put("bootstrap.servers", bootstrap);
            c.put("isolation.level", "read_committed");
            c.put("enable.auto.commit", false);
            c.put("max.partition.fetch.bytes", 4 * 1024 * 1024);
            consumer = new KafkaConsumer<>(c, new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                    new org.apache.kafka.common.serialization.ByteArrayDeserializer());
            List<TopicPartition> parts = consumer.partitionsFor(topic, Duration.ofSeconds(60)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
        }

        /** Polls for up to {@code time}; returns every committed record read so far, in per-partition order. */
        List<ConsumerRecord<byte[], byte[]>> poll(Duration time) {
            long end = System.nanoTime() + time.toNanos();
            do {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            } while (System.nanoTime() < end);
            return records;
        }

        /** Reads up to the current end (the last stable offset): everything committed when this was called. */
        List<ConsumerRecord<byte[], byte[]>> toEnd() {
            Map<TopicPartition, Long> endOffsets = consumer.endOffsets(consumer.assignment());
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (endOffsets.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("cannot read to the end " + endOffsets + " within 60 s");
                }
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
            return records;
        }

        @Override
        public void close() {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    CommittedReader metrics() {
        return new CommittedReader(bootstrap, TOPICS.metrics().name());
    }

    CommittedReader factors() {
        return new CommittedReader(bootstrap, TOPICS.factors().name());
    }

    /** Events trained: the newest report of each trainer subtask, summed (counts are cumulative per subtask). */
    static long trained(List<ConsumerRecord<byte[], byte[]>> metricRecords) {
        Map<String, PrequentialMetrics> latest = new HashMap<>();
        for (var r : metricRecords) {
            PrequentialMetrics m = TOPICS.metrics().valueSerde().deserializer().deserialize(r.topic(), r.value());
            latest.put(m.source(), m);
        }
        return latest.values().stream().mapToLong(PrequentialMetrics::count).sum();
    }

    /**
     * Reports that repeat or go back: a subtask's cumulative count only grows from one committed report to the next
     * (its reports share a key, hence a partition, so offset order is report order). A replay whose output was not
     * rolled back would show a count again.
     */
    static List<String> repeatedReports(List<ConsumerRecord<byte[], byte[]>> metricRecords) {
        Map<String, Long> last = new HashMap<>();
        List<String> bad = new ArrayList<>();
        for (var r : metricRecords) {
            PrequentialMetrics m = TOPICS.metrics().valueSerde().deserializer().deserialize(r.topic(), r.value());
            Long prev = last.put(m.source(), m.count());
            if (prev != null && m.count() <= prev) {
                bad.add(m.source() + ": count " + m.count() + " after " + prev + " (partition " + r.partition() + " offset " + r.offset() + ")");
            }
        }
        return bad;
    }

    /**
     * User rows published twice: one subtask owns a user, and each row it commits carries a newer model version than
     * the last one committed for that user. A duplicated publication (output of events replayed after a restore that
     * was not rolled back) repeats a version or goes back.
     */
    static List<String> repeatedUserRows(List<ConsumerRecord<byte[], byte[]>> factorRecords) {
        Map<Long, Long> last = new HashMap<>();
        List<String> bad = new ArrayList<>();
        for (var r : factorRecords) {
            FactorKey key = TOPICS.factors().keySerde().deserializer().deserialize(r.topic(), r.key());
            if (key.kind() != FactorKind.USER || r.value() == null) {
                continue;
            }
            FactorRow row = TOPICS.factors().valueSerde().deserializer().deserialize(r.topic(), r.value());
            Long prev = last.put(key.id(), row.modelVersion());
            if (prev != null && row.modelVersion() <= prev) {
                bad.add("user " + key.id() + ": version " + row.modelVersion() + " after " + prev + " (offset " + r.offset() + ")");
            }
        }
        return bad;
    }

    static long users(List<ConsumerRecord<byte[], byte[]>> factorRecords) {
        return factorRecords.stream().map(r -> TOPICS.factors().keySerde().deserializer().deserialize(r.topic(), r.key()))
                .filter(k -> k.kind() == FactorKind.USER).map(FactorKey::id).distinct().count();
    }
}
