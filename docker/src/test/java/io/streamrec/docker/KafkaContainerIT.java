package io.streamrec.docker;

import io.streamrec.common.topic.Topics;
import io.streamrec.testing.RatingsRoundTrip;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The same contract as the embedded-broker test, against a Kafka container started by Testcontainers' own Kafka
 * module: the broker image built here (a substitute for apache/kafka, see {@link LocalImages}). Skips where no Docker
 * engine exists, or where the images cannot be built.
 */
@Testcontainers(disabledWithoutDocker = true)
class KafkaContainerIT {

    private static KafkaContainer kafka;

    /** Started here rather than as a {@code @Container} field, so that the images are built (or the test skipped) first. */
    @BeforeAll
    static void startKafka() {
        LocalImages.ensureBuilt();
        kafka = new KafkaContainer(LocalImages.kafka());
        kafka.start();
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.stop();
        }
    }

    @Test
    void ratingsRoundTripThroughARealKafkaContainer() throws Exception {
        RatingsRoundTrip.assertRoundTrip(kafka.getBootstrapServers(), new Topics("tc.").ratings(), 3, 2_000);
    }
}
