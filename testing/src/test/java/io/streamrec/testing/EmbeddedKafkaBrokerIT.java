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

    private static java.util.Map<String, Object> producerConfig(EmbeddedKafkaBroker b) {
        return java.util.Map.of("bootstrap.servers", b.bootstrapServers(), "acks", "all");
    }

    private static java.util.Map<String, Object> consumerConfig(EmbeddedKafkaBroker b) {
        return java.util.Map.of("bootstrap.servers", b.bootstrapServers(), "group.id", "restart-test",
                "auto.offset.reset", "earliest");
    }
}
