package io.streamrec.scorer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamrec.common.config.Settings;
import io.streamrec.common.config.StreamrecConfig;
import io.streamrec.common.event.FactorKey;
import io.streamrec.common.event.FactorRow;
import io.streamrec.common.event.ItemMetadata;
import io.streamrec.common.event.Rating;
import io.streamrec.common.event.Recommendations;
import io.streamrec.common.event.ScoredItem;
import io.streamrec.common.topic.Topic;
import io.streamrec.common.topic.Topics;
import io.streamrec.testing.KafkaBrokerExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole scorer (Kafka Streams + HTTP) against a real embedded KRaft broker. Factors come from a test producer in
 * Kafka transactions, as the trainer writes them; an aborted transaction must never be served (read_committed).
 */
class ScorerIntegrationIT {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    static final ObjectMapper JSON = new ObjectMapper();
    static final int ITEMS = 300;
    static final int DIM = 8;
    static final int POISON = 2_000;

    @TempDir
    Path dataDir;

    @Test
    void servesAndPushesRecommendationsFromCommittedFactorsOnly() throws Exception {
        Topics topics = new Topics("it.");
        StreamrecConfig config = StreamrecConfig.from(Settings.builder()
                .put(StreamrecConfig.BOOTSTRAP_SERVERS, KAFKA.bootstrapServers(), "test")
                .put(StreamrecConfig.TOPIC_PREFIX, "it.", "test")
                .put(StreamrecConfig.DATA_DIR, dataDir.toString(), "test").build());
        ScorerOptions options = ScorerOptions.defaults("it-scorer", dataDir).withHttp("127.0.0.1", 0)
                .withPush(5, Duration.ofMillis(200), Duration.ofMillis(100));
        for (Topic<?, ?> t : topics.all()) {
            KAFKA.createTopic(t.name(), 2, t.compacted());
        }

        Random rnd = new Random(5);
        float[][] q = new float[ITEMS][DIM];
        Map<String, Object> txConfig = KAFKA.producerConfig();
        txConfig.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "it-trainer");
        Topic<FactorKey, FactorRow> factors = topics.factors();
        try (KafkaProducer<FactorKey, FactorRow> p = new KafkaProducer<>(txConfig, factors.keySerde().serializer(),
                factors.valueSerde().serializer())) {
            p.initTransactions();
            p.beginTransaction();
            p.send(new ProducerRecord<>(factors.name(), FactorKey.GLOBAL, new FactorRow(1, 3.5f, new float[0], 0)));
            for (int i = 0; i < ITEMS; i++) {
                for (int d = 0; d < DIM; d++) {
                    q[i][d] = (float) rnd.nextGaussian();
                }
                p.send(new ProducerRecord<>(factors.name(), FactorKey.item(i), new FactorRow(1, 0f, q[i], 1000)));
            }
            p.send(new ProducerRecord<>(factors.name(), FactorKey.user(42), new FactorRow(1, 0.1f, q[7], 2000)));
            p.commitTransaction();
            // An aborted transaction: a new item and a changed user row that must never be seen.
            p.beginTransaction();
            p.send(new ProducerRecord<>(factors.name(), FactorKey.item(9999), new FactorRow(2, 100f, q[7], 3000)));
            p.send(new ProducerRecord<>(factors.name(), FactorKey.user(42), new FactorRow(2, 0f, new float[DIM], 3000)));
            p.flush();
            p.abortTransaction();
        }
        Topic<Long, Rating> ratings = topics.ratings();
        try (KafkaProducer<Long, Rating> p = new KafkaProducer<>(KAFKA.producerConfig(), ratings.keySerde().serializer(),
                ratings.valueSerde().serializer());
             KafkaProducer<Long, ItemMetadata> meta = new KafkaProducer<>(KAFKA.producerConfig(), topics.items().keySerde().serializer(),
                     topics.items().valueSerde().serializer());
             KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(KAFKA.producerConfig(), new ByteArraySerializer(), new ByteArraySerializer())) {
            // user 42 has taste q[7]: item 7 is its best match, so rating it must remove it from the list
            p.send(new ProducerRecord<>(ratings.name(), 42L, new Rating(42, 7, 5f, 1500)));
            for (int n = 0; n < POISON; n++) { // a flood of poison: each one counted, skipped
                raw.send(new ProducerRecord<>(ratings.name(), null, ("garbage " + n).getBytes()));
            }
            for (int i = 0; i < ITEMS; i++) {
                meta.send(new ProducerRecord<>(topics.items().name(), (long) i, new ItemMetadata(i, "Item " + i, List.of("G"), null)));
            }
        }

        try (ScorerRuntime scorer = ScorerRuntime.start(config, options)) {
            String base = "http://127.0.0.1:" + scorer.httpPort();
            HttpClient http = HttpClient.newHttpClient();
            JsonNode health = awaitUp(http, base + "/health", 60);
            assertThat(health.get("status").asText()).isEqualTo("UP");

            // the pushed list arrives on the recommendations topic
            Topic<Long, Recommendations> recTopic = topics.recommendations();
            AtomicReference<Recommendations> newest = new AtomicReference<>();
            try (KafkaConsumer<Long, Recommendations> c = new KafkaConsumer<>(KAFKA.consumerConfig(), recTopic.keySerde().deserializer(),
                    recTopic.valueSerde().deserializer())) {
                c.subscribe(List.of(recTopic.name()));
                // Factors and ratings are consumed concurrently: a first list may be pushed before the rating of item
                // 7 is seen, and a corrected one must follow. Wait for the newest list to exclude the rated item.
                await().atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10)).until(() -> {
                    for (ConsumerRecord<Long, Recommendations> r : c.poll(Duration.ofMillis(200))) {
                        if (r.key() == 42L) {
                            newest.set(r.value());
                        }
                    }
                    return newest.get() != null && newest.get().items().stream().noneMatch(i -> i.item() == 7L);
                });
            }
            Recommendations pushed = newest.get();
            assertThat(pushed).as("recommendations pushed for user 42").isNotNull();
            List<Long> expected = bruteForce(q, q[7], 5, 7);
            assertThat(pushed.items()).extracting(ScoredItem::item).containsExactlyElementsOf(expected);

            JsonNode recs = awaitJson(http, base + "/users/42/recommendations?k=5", 30,
                    n -> n.get("items").size() == 5 && !n.get("items").get(0).get("title").isNull());
            List<Long> served = new ArrayList<>();
            recs.get("items").forEach(n -> served.add(n.get("item").asLong()));
            assertThat(served).containsExactlyElementsOf(expected).doesNotContain(7L, 9999L);
            assertThat(recs.get("modelVersion").asLong()).as("aborted version 2 is never read").isEqualTo(1);
            assertThat(recs.get("items").get(0).get("title").asText()).isEqualTo("Item " + expected.get(0));
            assertThat(scorer.index().contains(9999)).isFalse();
            assertThat(scorer.index().stats().items()).isEqualTo(ITEMS);

            long poison = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> scorer.metrics().total("streamrec_scorer_poison_records_total"), n -> n >= POISON);
            assertThat(poison).isEqualTo(POISON);
            // exact over HTTP too: Prometheus, and the dashboard's stats sample (taken once a second)
            assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/prometheus")).build(), HttpResponse.BodyHandlers.ofString())
                    .body()).contains("streamrec_scorer_poison_records_total{topic=\"" + ratings.name() + "\",reason=\"GARBAGE\"} " + POISON);
            awaitJson(http, base + "/stats", 10, n -> n.path("poison").asLong() == POISON);
            // Factor progress is visible as a consumer group, read to the end (past the aborted transaction's marker).
            try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                    Map.of("bootstrap.servers", KAFKA.bootstrapServers()))) {
                Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> req = new java.util.HashMap<>();
                for (int p = 0; p < 2; p++) {
                    req.put(new org.apache.kafka.common.TopicPartition(factors.name(), p), org.apache.kafka.clients.admin.OffsetSpec.latest());
                }
                long end = admin.listOffsets(req, new org.apache.kafka.clients.admin.ListOffsetsOptions(
                                org.apache.kafka.common.IsolationLevel.READ_COMMITTED)).all().get()
                        .values().stream().mapToLong(r -> r.offset()).sum();
                long committed = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                        .until(() -> admin.listConsumerGroupOffsets(scorer.factorProgressGroup()).partitionsToOffsetAndMetadata().get()
                                .entrySet().stream().filter(e -> e.getKey().topic().equals(factors.name()))
                                .mapToLong(e -> e.getValue().offset()).sum(), n -> n >= end);
                assertThat(scorer.factorProgressGroup()).isEqualTo("it-scorer-factors");
                assertThat(committed).isEqualTo(end);
                JsonNode caughtUp = awaitJson(http, base + "/health", 10, n -> n.path("factorsLag").asDouble(-1) == 0.0);
                assertThat(caughtUp.get("factorsLag").asDouble()).isZero();
            }
            HttpResponse<String> prom = http.send(HttpRequest.newBuilder(URI.create(base + "/prometheus")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(prom.body()).contains("streamrec_scorer_items 300").contains("streamrec_scorer_store_entries{store=\"factors\"}");
        }
    }

    /** Reference: score every item, drop the excluded one, sort. */
    static List<Long> bruteForce(float[][] q, float[] u, int k, long excluded) {
        List<long[]> scored = new ArrayList<>();
        List<Double> scores = new ArrayList<>();
        Integer[] order = new Integer[q.length];
        double[] s = new double[q.length];
        for (int i = 0; i < q.length; i++) {
            order[i] = i;
            for (int d = 0; d < u.length; d++) {
                s[i] += (double) u[d] * q[i][d];
            }
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(s[b], s[a]));
        List<Long> out = new ArrayList<>();
        for (int i = 0; out.size() < k; i++) {
            if (order[i] != excluded) {
                out.add((long) order[i]);
            }
        }
        return out;
    }

    static JsonNode awaitUp(HttpClient http, String url, int seconds) {
        return awaitJson(http, url, seconds, n -> true);
    }

    static JsonNode awaitJson(HttpClient http, String url, int seconds, java.util.function.Predicate<JsonNode> ok) {
        // Awaitility reports the last answer (null: not a 200) when it gives up.
        return await().atMost(Duration.ofSeconds(seconds)).pollInterval(Duration.ofMillis(100)).alias("a good answer from " + url)
                .until(() -> {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
                    return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
                }, n -> n != null && ok.test(n));
    }
}
