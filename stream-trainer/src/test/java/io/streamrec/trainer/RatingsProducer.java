package io.streamrec.trainer;

import io.streamrec.common.event.Rating;
import io.streamrec.common.serde.RatingSerde;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** Produces test ratings to Kafka and proves they all arrived (the benchmark harness has its own copy). */
public final class RatingsProducer {

    private RatingsProducer() {
    }

    /**
     * Sends every rating (binary v1, keyed by user) and flushes; throws unless all were acknowledged: a test whose
     * input silently lost records would prove nothing.
     */
    public static void sendAll(KafkaProducer<Long, byte[]> producer, String topic, List<Rating> ratings) {
        RatingSerde serde = new RatingSerde();
        AtomicReference<Exception> failure = new AtomicReference<>();
        AtomicLong acked = new AtomicLong();
        for (Rating r : ratings) {
            producer.send(new ProducerRecord<>(topic, r.user(), serde.encode(r)), (md, e) -> {
                if (e != null) {
                    failure.compareAndSet(null, e);
                } else {
                    acked.incrementAndGet();
                }
            });
        }
        producer.flush();
        if (failure.get() != null || acked.get() != ratings.size()) {
            throw new IllegalStateException("produced " + acked.get() + " of " + ratings.size() + " ratings to " + topic, failure.get());
        }
    }
}
