package io.streamrec.testing;

import io.streamrec.common.event.Rating;
import io.streamrec.common.topic.Topic;
import io.streamrec.common.topic.TopicAdmin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import org.awaitility.core.ConditionTimeoutException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One assertion shared by the embedded-broker tests and the Testcontainers tests, so both paths check the same
 * behaviour: ratings produced through the topic contract (idempotent, acks=all) come back complete, in order per
 * partition, with the user as the key.
 */
public final class RatingsRoundTrip {

    private RatingsRoundTrip() {
    }

    public static void assertRoundTrip(String bootstrap, Topic<Long, Rating> topic, int partitions, int count) throws Exception {
        // TopicAdmin returns once every partition is served: producing right after a bare createTopics can lose a batch.
        try (TopicAdmin admin = TopicAdmin.connect(Map.of("bootstrap.servers", bootstrap))) {
            admin.create(List.of(new NewTopic(topic.name(), partitions, (short) 1)));
        }
        List<Rating> sent = new ArrayList<>();
        Map<String, Object> pc = new HashMap<>();
        pc.put("bootstrap.servers", bootstrap);
        pc.put("acks", "all");
        pc.put("enable.idempotence", true);
        try (var producer = new KafkaProducer<>(pc, topic.keySerde().serializer(), topic.valueSerde().serializer())) {
            for (int i = 0; i < count; i++) {
                Rating r = new Rating(i % 17, i, (i % 5) + 1f, 1_000L + i);
                sent.add(r);
                producer.send(new ProducerRecord<>(topic.name(), r.user(), r));
            }
            producer.flush();
        }
        Map<String, Object> cc = new HashMap<>();
        cc.put("bootstrap.servers", bootstrap);
        cc.put("group.id", "roundtrip-" + UUID.randomUUID());
        cc.put("auto.offset.reset", "earliest");
        cc.put("isolation.level", "read_committed");
        Map<Integer, Long> lastTsPerPartition = new HashMap<>();
        List<Rating> received = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(cc, topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            consumer.subscribe(List.of(topic.name()));
            // The consumer is not thread-safe: poll it on the test thread. Each poll already blocks up to 200 ms.
            await("every rating read back").atMost(Duration.ofSeconds(60)).pollInSameThread()
                    .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10))
                    .until(() -> {
                        for (ConsumerRecord<Long, Rating> rec : consumer.poll(Duration.ofMillis(200))) {
                            assertEquals(rec.value().user(), rec.key(), "key is the user id");
                            Long prev = lastTsPerPartition.put(rec.partition(), rec.value().timestampMs());
                            if (prev != null && prev > rec.value().timestampMs()) {
                                throw new AssertionError("partition " + rec.partition() + " out of order: " + prev + " then " + rec.value());
                            }
                            received.add(rec.value());
                        }
                        return received.size() >= sent.size();
                    });
        } catch (ConditionTimeoutException e) {
            // Fall through to the count assertion: it says how many ratings were missing.
        }
        assertEquals(sent.size(), received.size(), "every rating comes back exactly once");
        assertEquals(new java.util.HashSet<>(sent), new java.util.HashSet<>(received));
    }
}
