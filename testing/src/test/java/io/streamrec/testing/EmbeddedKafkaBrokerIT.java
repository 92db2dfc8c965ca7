package io.streamrec.testing;

import io.streamrec.broker.EmbeddedKafkaBroker;
import io.streamrec.common.event.Rating;
import io.streamrec.common.topic.Topic;
import io.streamrec.common.topic.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class EmbeddedKafkaBrokerIT {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @Test
    void producesAndConsumesRatingsThroughTheTopicContract() throws Exception {
        RatingsRoundTrip.assertRoundTrip(KAFKA.bootstrapServers(), Topics.defaults().ratings(), 2, 500);
    }

    @Test
    void listensOnLoopbackOnly() throws IOException {
        long pid = ProcessHandle.current().pid();
        Set<String> listening = ListeningSockets.ofProcess(pid);
        assertThat(listening).as("sockets this JVM listens on").isNotEmpty();
        assertThat(listening).anySatisfy(a -> assertThat(a).endsWith(":" + KAFKA.broker().port()));
        assertThat(listening).allSatisfy(a -> assertThat(a).startsWith("127.0.0.1:"));
    }

    @Test
    void dataDirectorySurvivesARestart(@TempDir Path dir) {
        String topic = "persisted";
        int port;
        try (EmbeddedKafkaBroker first = EmbeddedKafkaBroker.start(dir, 0, 1)) {
            port = first.port();
            try (var producer = new KafkaProducer<>(producerConfig(first), new org.apache.kafka.common.serialization.StringSerializer(),
                    new org.apache.kafka.common.serialization.StringSerializer())) {
                producer.send(new ProducerRecord<>(topic, "k", "still here"));
                producer.flush();
            }
        }
        assertThat(Files.exists(dir.resolve("kafka-logs/meta.properties"))).isTrue();
        try (EmbeddedKafkaBroker second = EmbeddedKafkaBroker.start(dir, port, 1);
             var consumer = new KafkaConsumer<>(consumerConfig(second), new org.apache.kafka.common.serialization.StringDeserializer(),
                     new org.apache.kafka.common.serialization.StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            List<String> values = new ArrayList<>();
            // The consumer is not thread-safe: poll it on the test thread. Each poll already blocks up to 200 ms.
            await("the record written before the restart").atMost(Duration.ofSeconds(30)).pollInSameThread()
                    .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10))
                    .until(() -> {
                        consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
                        return !values.isEmpty();
                    });
            assertThat(values).containsExactly("still here");
        }
    }

    /**
     * A topic is usable the moment its creation returns: an idempotent producer with five requests in flight, sending
     * at once to every partition, gets everything acknowledged. When creation returned on a leader in the metadata
     * alone, the first batch of a partition could meet NOT_LEADER_OR_FOLLOWER while later ones were appended, and its
     * retry then failed with OutOfOrderSequenceException until the delivery timeout (a replay lost 1,743 events in CI).
     * Many fresh partitions make the window that broker had between its metadata cache and its replica manager wide.
     */
    @Test
    void aTopicTakesAnIdempotentBurstTheMomentItsCreationReturns() throws Exception {
        java.util.Map<String, Object> pc = new java.util.HashMap<>();
        pc.put("bootstrap.servers", KAFKA.bootstrapServers());
        pc.put("acks", "all");
        pc.put("enable.idempotence", true);
        pc.put("max.in.flight.requests.per.connection", 5);
        pc.put("linger.ms", 0);
        pc.put("batch.size", 1024);
        pc.put("delivery.timeout.ms", 15_000);
        pc.put("request.timeout.ms", 5_000);
        var failures = new java.util.concurrent.atomic.AtomicLong();
        var firstFailure = new java.util.concurrent.atomic.AtomicReference<Exception>();
        int topics = 12;
        int partitions = 16;
        int perTopic = 4_000;
        try (var producer = new KafkaProducer<>(pc, new org.apache.kafka.common.serialization.IntegerSerializer(),
                new org.apache.kafka.common.serialization.StringSerializer())) {
            for (int t = 0; t < topics; t++) {
                String name = "burst-" + t;
                KAFKA.broker().createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(name, partitions, (short) 1)));
                for (int i = 0; i < perTopic; i++) {
                    producer.send(new ProducerRecord<>(name, i % partitions, i, "value-" + i), (md, e) -> {
                        if (e != null) {
                            failures.incrementAndGet();
                            firstFailure.compareAndSet(null, e);
                        }
                    });
                }
            }
            producer.flush();
        }
        assertThat(failures.get()).as("records not acknowledged; first failure: %s", firstFailure.get()).isZero();
    }

    private static java.util.Map<String, Object> producerConfig(EmbeddedKafkaBroker b) {
        return java.util.Map.of("bootstrap.servers", b.bootstrapServers(), "acks", "all");
    }

    private static java.util.Map<String, Object> consumerConfig(EmbeddedKafkaBroker b) {
        return java.util.Map.of("bootstrap.servers", b.bootstrapServers(), "group.id", "restart-test",
                "auto.offset.reset", "earliest");
    }
}
