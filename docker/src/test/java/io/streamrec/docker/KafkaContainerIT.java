package io.streamrec.docker;

import io.streamrec.common.topic.Topics;
import io.streamrec.testing.RatingsRoundTrip;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The same contract as the embedded-broker test, against a Kafka container started by Testcontainers' own Kafka
 * module: the broker image built here (a substitute for apache/kafka, see {@link LocalImages}). Skips where no Docker
 * engine exists.
 */
@Testcontainers(disabledWithoutDocker = true)
class KafkaContainerIT {

    @Container
    static final KafkaContainer KAFKA = new KafkaContainer(LocalImages.kafka());

    @Test
    void ratingsRoundTripThroughARealKafkaContainer() throws Exception {
        RatingsRoundTrip.assertRoundTrip(KAFKA.getBootstrapServers(), new Topics("tc.").ratings(), 3, 2_000);
    }
}
