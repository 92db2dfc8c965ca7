package io.streamrec.cli.demo;

import io.streamrec.common.event.Rating;
import io.streamrec.common.topic.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Freshness, measured end to end: produces one rating per probe for a sample user and times until the scorer's answer
 * for that user changes (a newer model version or another list).
 */
public final class FreshnessProbe {

    private static final Logger LOG = LoggerFactory.getLogger(FreshnessProbe.class);
    private static final long PROBE_TIMEOUT_MS = 15_000;

    private final String bootstrap;
    private final ScorerClient scorer;

    public FreshnessProbe(String bootstrap, ScorerClient scorer) {
        this.bootstrap = bootstrap;
        this.scorer = scorer;
    }

    /** Latencies in milliseconds, in probe order; probes that saw no change within 15 s are left out. */
    public List<Long> measure(DatasetChoice choice, int probes) {
        List<Long> latencies = new ArrayList<>();
        var topic = Topics.defaults().ratings();
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", bootstrap, "acks", "all",
                "enable.idempotence", true, "linger.ms", 0), topic.keySerde().serializer(), topic.valueSerde().serializer())) {
            List<Long> users = choice.sampleUsers();
            for (int i = 0; i < probes && !users.isEmpty(); i++) {
                long user = users.get(i % users.size());
                Optional<ScorerClient.Recommendations> before = scorer.recommendations(user, 5);
                long v0 = before.map(ScorerClient.Recommendations::modelVersion).orElse(-1L);
                List<ScorerClient.Item> items0 = before.map(ScorerClient.Recommendations::items).orElse(null);
                long item = choice.unratedItem(user, i);
                long sent = System.currentTimeMillis();
                producer.send(new ProducerRecord<>(topic.name(), user, new Rating(user, item, 4.0f, choice.maxTimestamp() + 1 + i))).get();
                long deadline = sent + PROBE_TIMEOUT_MS;
                while (System.currentTimeMillis() < deadline) {
                    Optional<ScorerClient.Recommendations> now = scorer.recommendations(user, 5);
                    // The user's new row changes every score of their list; the version alone can miss it when
                    // another subtask's counter is ahead (parallelism > 1).
                    if (now.isPresent() && (now.get().modelVersion() > v0 || !now.get().items().equals(items0))) {
                        latencies.add(System.currentTimeMillis() - sent);
                        break;
                    }
                    Thread.sleep(20);
                }
            }
        } catch (Exception e) {
            LOG.warn("freshness probes stopped: {}", e.toString());
        }
        return latencies;
    }
}
