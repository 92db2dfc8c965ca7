package io.streamrec.docker;

import io.streamrec.common.topic.Topics;
import io.streamrec.testing.RatingsRoundTrip;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The same contract as the embedded-broker test, against the official apache/kafka image. Skips where no Docker
 * engine exists (as on the development machines and CI here).
 */
@Testcontainers(disabledWithoutDocker = true)
class KafkaContainerIT {

    @Container
    static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.2.0");

    @Test
    void ratingsRoundTripThroughARealKafkaContainer() throws Exception {
        RatingsRoundTrip.assertRoundTrip(KAFKA.getBootstrapServers(), new Topics("tc.").ratings(), 3, 2_000);
    }
}
