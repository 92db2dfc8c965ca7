package io.streamrec.trainer;

import io.streamrec.common.config.Settings;
import io.streamrec.common.config.StreamrecConfig;
import io.streamrec.common.event.DeadLetter;
import io.streamrec.common.event.FactorKey;
import io.streamrec.common.event.FactorRow;
import io.streamrec.common.event.PrequentialMetrics;
import io.streamrec.common.event.Rating;
import io.streamrec.common.serde.FactorKeySerde;
import io.streamrec.common.serde.FactorRowSerde;
import io.streamrec.common.serde.JsonSerde;
import io.streamrec.testing.KafkaBrokerExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.LongSerializer;
import org.awaitility.core.ConditionTimeoutException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;

/** Producing ratings and reading the trainer's committed output, for the end-to-end tests and the benchmark. */
final class KafkaTestSupport {

    private final KafkaBrokerExtension kafka;

    KafkaTestSupport(KafkaBrokerExtension kafka) {
        this.kafka = kafka;
    }

    StreamrecConfig config(String prefix) {
        return StreamrecConfig.from(Settings.builder()
                .put(StreamrecConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers(), "test")
                .put(StreamrecConfig.TOPIC_PREFIX, prefix, "test")
                .put(StreamrecConfig.PARTITIONS, "2", "test")
                .build());
    }

    KafkaProducer<Long, byte[]> binaryProducer() {
        Map<String, Object> c = new HashMap<>(kafka.producerConfig());
        c.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 * 1024 * 1024);
        c.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        c.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        // On this loaded 2-core box a timed-out request retried behind later ones was seen to end in
        // OutOfOrderSequenceException and a lost batch: one request in flight, long timeouts, and checked sends.
        c.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        c.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 120_000);
        c.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000);
        return new KafkaProducer<>(c, new LongSerializer(), new ByteArraySerializer());
    }

    /** Produces every rating or fails: a test whose input silently lost records would prove nothing. */
    void produceBinary(String topic, List<Rating> ratings) {
        try (KafkaProducer<Long, byte[]> p = binaryProducer()) {
            RatingsProducer.sendAll(p, topic, ratings);
        }
    }

    /** Everything committed on {@code topic} so far, read until {@code done} holds or the timeout passes. */
    List<ConsumerRecord<byte[], byte[]>> readUntil(String topic, Duration timeout, Predicate<List<ConsumerRecord<byte[], byte[]>>> done) {
        List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
        Map<String, Object> c = new HashMap<>(kafka.consumerConfig());
        c.put("max.partition.fetch.bytes", 4 * 1024 * 1024);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            // The consumer is not thread-safe: poll it on the test thread. Each poll already blocks up to 200 ms.
            await("committed records on " + topic).atMost(timeout).pollInSameThread()
                    .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10))
                    .until(() -> {
                        consumer.poll(Duration.ofMillis(200)).forEach(all::add);
                        return done.test(all);
                    });
        } catch (ConditionTimeoutException e) {
            // Return what arrived: the caller's assertion on it says what was missing, more precisely than a timeout.
        }
        return all;
    }

    /** Everything committed on {@code topic} up to its current end (the last stable offset). */
    List<ConsumerRecord<byte[], byte[]>> readToEnd(String topic) {
        List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
        Map<String, Object> c = new HashMap<>(kafka.consumerConfig());
        c.put("max.partition.fetch.bytes", 4 * 1024 * 1024);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<org.apache.kafka.common.TopicPartition> parts = consumer.partitionsFor(topic).stream()
                    .map(p -> new org.apache.kafka.common.TopicPartition(topic, p.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<org.apache.kafka.common.TopicPartition, Long> end = consumer.endOffsets(parts);
            await("reading " + topic + " to its end " + end).atMost(Duration.ofSeconds(60)).pollInSameThread()
                    .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10))
                    .until(() -> {
                        if (parts.stream().allMatch(p -> consumer.position(p) >= end.get(p))) {
                            return true;
                        }
                        consumer.poll(Duration.ofMillis(200)).forEach(all::add);
                        return false;
                    });
        }
        return all;
    }

    static Map<String, PrequentialMetrics> latestMetrics(List<ConsumerRecord<byte[], byte[]>> records) {
        JsonSerde<PrequentialMetrics> serde = new JsonSerde<>(PrequentialMetrics.class);
        Map<String, PrequentialMetrics> latest = new HashMap<>();
        for (var r : records) {
            PrequentialMetrics m = serde.decode(r.value());
            // A source's reports share a key, hence a partition: the last one read is the newest.
            latest.put(m.source(), m);
        }
        return latest;
    }

    static long trainedCount(List<ConsumerRecord<byte[], byte[]>> metricRecords) {
        return latestMetrics(metricRecords).values().stream().mapToLong(PrequentialMetrics::count).sum();
    }

    /**
     * The newest weights of {@code family} on a models topic read to its end: records keyed by the family, in offset
     * order (one key lives in one partition), the last one. Every other record must be a tombstone (a trainer retires
     * the other families' weights); those land in other partitions, so "the last record" of the whole read is not it.
     */
    static byte[] latestWeights(List<ConsumerRecord<byte[], byte[]>> models, String family) {
        org.assertj.core.api.Assertions.assertThat(models).allSatisfy(r -> org.assertj.core.api.Assertions.assertThat(
                r.value() == null || new String(r.key(), java.nio.charset.StandardCharsets.UTF_8).equals(family))
                .as("only %s's weights, besides tombstones", family).isTrue());
        List<ConsumerRecord<byte[], byte[]>> own = models.stream()
                .filter(r -> new String(r.key(), java.nio.charset.StandardCharsets.UTF_8).equals(family))
                .sorted(java.util.Comparator.comparingLong(ConsumerRecord::offset)).toList();
        org.assertj.core.api.Assertions.assertThat(own).as("weights of %s published", family).isNotEmpty();
        byte[] last = own.get(own.size() - 1).value();
        org.assertj.core.api.Assertions.assertThat(last).as("the newest %s record holds weights", family).isNotNull();
        return last;
    }

    /** RMSE of predicting every rating by their mean: the bar a learned model must clear by a margin. */
    static double globalMeanRmse(List<io.streamrec.common.event.Rating> ratings) {
        double mean = ratings.stream().mapToDouble(io.streamrec.common.event.Rating::rating).average().orElseThrow();
        return Math.sqrt(ratings.stream().mapToDouble(r -> (r.rating() - mean) * (r.rating() - mean)).average().orElseThrow());
    }

    static Map<FactorKey, FactorRow> latestFactors(List<ConsumerRecord<byte[], byte[]>> records) {
        FactorKeySerde keys = new FactorKeySerde();
        FactorRowSerde rows = new FactorRowSerde();
        Map<FactorKey, FactorRow> latest = new HashMap<>();
        for (var r : records) {
            latest.put(keys.decode(r.key()), rows.decode(r.value()));
        }
        return latest;
    }

    static List<DeadLetter> deadLetters(List<ConsumerRecord<byte[], byte[]>> records) {
        JsonSerde<DeadLetter> serde = new JsonSerde<>(DeadLetter.class);
        return records.stream().map(r -> serde.decode(r.value())).toList();
    }

    /**
     * RMSE of the model in {@code factors} on {@code ratings} (training error): r̂ = μ + b_u + b_i + p_u·q_i, clamped to
     * [0, 5]. Used to compare two final models, not to judge accuracy.
     */
    static double trainingRmse(Map<FactorKey, FactorRow> factors, List<Rating> ratings) {
        double sq = 0;
        for (Rating r : ratings) {
            double p = predict(factors, r.user(), r.item());
            sq += (p - r.rating()) * (p - r.rating());
        }
        return Math.sqrt(sq / ratings.size());
    }

    static double predict(Map<FactorKey, FactorRow> factors, long user, long item) {
        FactorRow g = factors.get(FactorKey.GLOBAL);
        FactorRow u = factors.get(FactorKey.user(user));
        FactorRow i = factors.get(FactorKey.item(item));
        double p = g == null ? 0 : g.bias();
        if (u != null) {
            p += u.bias();
        }
        if (i != null) {
            p += i.bias();
        }
        if (u != null && i != null) {
            for (int k = 0; k < u.dim(); k++) {
                p += u.vector()[k] * i.vector()[k];
            }
        }
        return Math.max(0, Math.min(5, p));
    }

    /** Root-mean-square difference between the predictions of two models on {@code ratings}' (user, item) pairs. */
    static double predictionRmsDifference(Map<FactorKey, FactorRow> a, Map<FactorKey, FactorRow> b, List<Rating> ratings) {
        double sq = 0;
        for (Rating r : ratings) {
            double d = predict(a, r.user(), r.item()) - predict(b, r.user(), r.item());
            sq += d * d;
        }
        return Math.sqrt(sq / ratings.size());
    }
}
