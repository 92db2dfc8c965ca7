package io.streamrec.scorer;

import io.streamrec.common.config.Settings;
import io.streamrec.common.config.StreamrecConfig;
import io.streamrec.common.event.DriftState;
import io.streamrec.common.event.FactorKey;
import io.streamrec.common.event.FactorRow;
import io.streamrec.common.event.ItemMetadata;
import io.streamrec.common.event.PrequentialMetrics;
import io.streamrec.common.event.Rating;
import io.streamrec.common.event.Recommendations;
import io.streamrec.common.event.ScoredItem;
import io.streamrec.common.topic.Topics;
import io.streamrec.scorer.index.ItemIndex;
import io.streamrec.scorer.stream.ChangedUsers;
import io.streamrec.scorer.stream.MetricsHistory;
import io.streamrec.scorer.stream.StoreNames;
import io.streamrec.scorer.stream.UserStateProcessor;
import io.streamrec.scorer.stream.UserItemKeys;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.LongSerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ScorerTopologyTest {

    static final Topics TOPICS = new Topics("t.");

    @TempDir
    Path dataDir;

    ItemIndex index;
    MetricsHistory history;
    ScorerMetrics metrics;
    ChangedUsers changed;
    TopologyTestDriver driver;
    TestInputTopic<FactorKey, FactorRow> factors;
    TestInputTopic<byte[], byte[]> factorsRaw;
    TestInputTopic<Long, Rating> ratings;
    TestInputTopic<byte[], byte[]> ratingsRaw;
    TestInputTopic<Long, ItemMetadata> items;
    TestInputTopic<byte[], byte[]> itemsRaw;
    TestInputTopic<String, PrequentialMetrics> metricsTopic;
    TestInputTopic<byte[], byte[]> metricsRaw;
    TestOutputTopic<Long, Recommendations> recommendations;
    Instant wall = Instant.parse("2026-01-01T00:00:00Z");

    @BeforeEach
    void start() {
        index = new ItemIndex();
        history = new MetricsHistory(100);
        metrics = new ScorerMetrics();
        ScorerOptions options = ScorerOptions.defaults("scorer-test", dataDir)
                .withPush(3, Duration.ofSeconds(1), Duration.ofMillis(100)).withUserPartitions(1);
        changed = new ChangedUsers(1); // the test driver runs every task as partition 0
        StreamrecConfig config = StreamrecConfig.from(Settings.builder().put("bootstrap.servers", "127.0.0.1:1", "test").build());
        driver = new TopologyTestDriver(ScorerTopology.buildTopology(TOPICS, options, index, changed, history, metrics),
                ScorerTopology.config(config, options, metrics), wall);
        var f = TOPICS.factors();
        factors = driver.createInputTopic(f.name(), f.keySerde().serializer(), f.valueSerde().serializer(), wall, Duration.ZERO);
        factorsRaw = driver.createInputTopic(f.name(), new ByteArraySerializer(), new ByteArraySerializer());
        var r = TOPICS.ratings();
        ratings = driver.createInputTopic(r.name(), r.keySerde().serializer(), r.valueSerde().serializer());
        ratingsRaw = driver.createInputTopic(r.name(), new ByteArraySerializer(), new ByteArraySerializer());
        var i = TOPICS.items();
        items = driver.createInputTopic(i.name(), i.keySerde().serializer(), i.valueSerde().serializer());
        itemsRaw = driver.createInputTopic(i.name(), new ByteArraySerializer(), new ByteArraySerializer());
        var m = TOPICS.metrics();
        metricsTopic = driver.createInputTopic(m.name(), new StringSerializer(), m.valueSerde().serializer());
        metricsRaw = driver.createInputTopic(m.name(), new ByteArraySerializer(), new ByteArraySerializer());
        var out = TOPICS.recommendations();
        recommendations = driver.createOutputTopic(out.name(), out.keySerde().deserializer(), out.valueSerde().deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    /** Items 1..6 on a line: item i has vector (i, 0) and bias 0, so for user (1, 0) the score rises with i. */
    void sixItems() {
        factors.pipeInput(FactorKey.GLOBAL, new FactorRow(1, 3.0f, new float[0], 0));
        for (long i = 1; i <= 6; i++) {
            factors.pipeInput(FactorKey.item(i), new FactorRow(1, 0f, new float[]{i, 0}, 1000 + i));
        }
    }

    void advance(Duration d) {
        wall = wall.plus(d);
        driver.advanceWallClockTime(d);
    }

    @Test
    void pushesTopKOfChangedUsersExcludingRatedItems() {
        sixItems();
        assertThat(index.stats().items()).isEqualTo(6);
        assertThat(index.stats().globalMean()).isEqualTo(3.0f);
        ratings.pipeInput(7L, new Rating(7, 6, 5f, 10));
        factors.pipeInput(FactorKey.user(7), new FactorRow(2, 0.5f, new float[]{0.1f, 0}, 20));
        advance(Duration.ofMillis(150));

        List<org.apache.kafka.streams.test.TestRecord<Long, Recommendations>> out = recommendations.readRecordsToList();
        assertThat(out).hasSize(1);
        Recommendations recs = out.get(0).value();
        assertThat(out.get(0).key()).isEqualTo(7L);
        assertThat(recs.items()).extracting(ScoredItem::item).containsExactly(5L, 4L, 3L); // 6 was rated
        assertThat(recs.items().get(0).score()).isEqualTo(3.0f + 0.5f + 0.1f * 5, org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(recs.modelVersion()).isEqualTo(2);
        assertThat(recs.model()).isEqualTo("mf");
        assertThat(recs.modelSteps()).isEqualTo(0L);
        assertThat(metrics.total("streamrec_scorer_recommendations_pushed_total")).isEqualTo(1);

        KeyValueStore<Bytes, byte[]> fans = driver.getKeyValueStore(StoreNames.FANS);
        assertThat(fans.get(UserItemKeys.pair(6, 7))).isNotNull(); // rated 5 ≥ 4: a fan of item 6
    }

    @Test
    void ratingsOfAnItemInThePushedListCountAsServedListHits() {
        sixItems();
        ratings.pipeInput(7L, new Rating(7, 6, 5f, 10));
        assertThat(metrics.total(UserStateProcessor.LISTED_RATINGS)).as("no list pushed yet").isZero();
        factors.pipeInput(FactorKey.user(7), new FactorRow(2, 0.5f, new float[]{0.1f, 0}, 20));
        advance(Duration.ofMillis(150));
        assertThat(recommendations.readValuesToList()).hasSize(1); // pushed: 5, 4, 3
        ratings.pipeInput(7L, new Rating(7, 4, 4f, 30)); // in the list
        ratings.pipeInput(7L, new Rating(7, 1, 4f, 31)); // not in it
        assertThat(metrics.count(UserStateProcessor.LISTED_RATINGS, "model=\"mf\"")).isEqualTo(2);
        assertThat(metrics.count(UserStateProcessor.LIST_HITS, "model=\"mf\"")).isEqualTo(1);
        assertThat(metrics.prometheusText()).contains("streamrec_scorer_served_list_hits_total{model=\"mf\"} 1");
    }

    @Test
    void respectsMinPushIntervalAndSkipsUnchangedLists() {
        sixItems();
        factors.pipeInput(FactorKey.user(1), new FactorRow(1, 0f, new float[]{1, 0}, 0));
        advance(Duration.ofMillis(150));
        assertThat(recommendations.readValuesToList()).hasSize(1);

        // The user's taste flips: lowest items now score best. Within the interval nothing may be pushed.
        factors.pipeInput(FactorKey.user(1), new FactorRow(2, 0f, new float[]{-1, 0}, 0));
        advance(Duration.ofMillis(300));
        assertThat(recommendations.isEmpty()).isTrue();
        advance(Duration.ofMillis(800)); // > 1 s since the first push
        List<Recommendations> second = recommendations.readValuesToList();
        assertThat(second).hasSize(1);
        assertThat(second.get(0).items()).extracting(ScoredItem::item).containsExactly(1L, 2L, 3L);

        // A change that leaves the ranking as it is: recomputed, not pushed.
        factors.pipeInput(FactorKey.user(1), new FactorRow(3, 0.2f, new float[]{-2, 0}, 0));
        advance(Duration.ofSeconds(2));
        assertThat(recommendations.isEmpty()).isTrue();
        assertThat(metrics.total("streamrec_scorer_recommendations_unchanged_total")).isEqualTo(1);
        assertThat(changed.size()).isZero();
    }

    @Test
    void aUserWhoRatedEverythingGetsAnEmptyList() {
        sixItems();
        for (long i = 1; i <= 6; i++) {
            ratings.pipeInput(9L, new Rating(9, i, 3f, i));
        }
        factors.pipeInput(FactorKey.user(9), new FactorRow(1, 0f, new float[]{1, 1}, 0));
        advance(Duration.ofMillis(150));
        List<Recommendations> out = recommendations.readValuesToList();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).items()).isEmpty();
    }

    @Test
    void itemMetadataKeyedByADecimalStringAsTextProducersSendIt() {
        byte[] value = TOPICS.items().valueSerde().serializer().serialize("x", new ItemMetadata(31, "Thirty-one", List.of(), 1995));
        itemsRaw.pipeInput("31".getBytes(StandardCharsets.US_ASCII), value);
        itemsRaw.pipeInput("12345678".getBytes(StandardCharsets.US_ASCII), value); // 8 bytes, but digits: decimal text
        itemsRaw.pipeInput(new LongSerializer().serialize("x", 40L), value);
        itemsRaw.pipeInput("031".getBytes(StandardCharsets.US_ASCII), value);      // two spellings of one id: refused
        itemsRaw.pipeInput("3x".getBytes(StandardCharsets.US_ASCII), value);
        KeyValueStore<Long, ItemMetadata> meta = driver.getKeyValueStore(StoreNames.ITEM_METADATA);
        assertThat(meta.get(31L).title()).isEqualTo("Thirty-one");
        assertThat(meta.get(12_345_678L)).isNotNull();
        assertThat(meta.get(40L)).isNotNull();
        assertThat(metrics.count("streamrec_scorer_poison_records_total",
                "topic=\"" + TOPICS.items().name() + "\",reason=\"BAD_KEY\"")).isEqualTo(2);
        // A tombstone under the text key deletes what the text key wrote.
        itemsRaw.pipeInput("31".getBytes(StandardCharsets.US_ASCII), (byte[]) null);
        assertThat(meta.get(31L)).isNull();
    }

    @Test
    void poisonRecordsAreCountedAndSkippedWhileGoodRecordsStillFlow() {
        sixItems();
        byte[] junk = "not a record".getBytes(StandardCharsets.UTF_8);
        factorsRaw.pipeInput(junk, junk);                                   // bad key: global and stream side
        factorsRaw.pipeInput(TOPICS.factors().keySerde().serializer().serialize("x", FactorKey.item(3)), new byte[]{1, 9}); // truncated row
        factorsRaw.pipeInput(null, new byte[]{1});
        ratingsRaw.pipeInput(null, junk);                                   // garbage rating
        ratingsRaw.pipeInput(null, "{\"user\":1,\"item\":2}".getBytes(StandardCharsets.UTF_8)); // JSON without rating
        ratings.pipeInput(1L, new Rating(1, 2, 99f, 5));                    // decodes, out of scale
        itemsRaw.pipeInput(new LongSerializer().serialize("x", 4L), junk);
        itemsRaw.pipeInput(new byte[]{1, 2}, junk);
        metricsRaw.pipeInput("trainer-0".getBytes(StandardCharsets.UTF_8), "{\"v\":7}".getBytes(StandardCharsets.UTF_8));

        // good records after the poison are still processed
        ratings.pipeInput(null, new Rating(5, 1, 4.5f, 100));
        ratingsRaw.pipeInput(null, "{\"user\":5,\"item\":2,\"rating\":1.0,\"ts\":200}".getBytes(StandardCharsets.UTF_8));
        factors.pipeInput(FactorKey.user(5), new FactorRow(1, 0f, new float[]{1, 0}, 0));
        items.pipeInput(3L, new ItemMetadata(3, "Three", List.of("Drama"), 1999));
        advance(Duration.ofMillis(150));

        assertThat(recommendations.readValuesToList()).singleElement()
                .satisfies(r -> assertThat(r.items()).extracting(ScoredItem::item).containsExactly(6L, 5L, 4L));
        assertThat(index.vector(3).vector()).containsExactly(3f, 0f); // the bad row for item 3 did not replace it
        KeyValueStore<Long, ItemMetadata> meta = driver.getKeyValueStore(StoreNames.ITEM_METADATA);
        assertThat(meta.get(3L).title()).isEqualTo("Three");
        assertThat(meta.get(4L)).isNull();

        String f = TOPICS.factors().name();
        assertThat(metrics.count("streamrec_scorer_poison_records_total", "topic=\"" + f + "\",reason=\"UNKNOWN_VERSION\""))
                .isEqualTo(1);
        assertThat(metrics.count("streamrec_scorer_poison_records_total", "topic=\"" + f + "\",reason=\"TRUNCATED\"")).isEqualTo(1);
        assertThat(metrics.count("streamrec_scorer_poison_records_total", "topic=\"" + f + "\",reason=\"NULL_KEY\"")).isEqualTo(1);
        String r = TOPICS.ratings().name();
        assertThat(metrics.count("streamrec_scorer_poison_records_total", "topic=\"" + r + "\",reason=\"GARBAGE\"")).isEqualTo(1);
        assertThat(metrics.count("streamrec_scorer_poison_records_total", "topic=\"" + r + "\",reason=\"MALFORMED_JSON\"")).isEqualTo(1);
        assertThat(metrics.count("streamrec_scorer_rejected_ratings_total", "reason=\"RATING_OUT_OF_SCALE\"")).isEqualTo(1);
        String i = TOPICS.items().name();
        assertThat(metrics.count("streamrec_scorer_poison_records_total", "topic=\"" + i + "\",reason=\"GARBAGE\"")).isEqualTo(1);
        assertThat(metrics.count("streamrec_scorer_poison_records_total", "topic=\"" + i + "\",reason=\"BAD_KEY\"")).isEqualTo(1);
        assertThat(metrics.count("streamrec_scorer_poison_records_total",
                "topic=\"" + TOPICS.metrics().name() + "\",reason=\"UNKNOWN_VERSION\"")).isEqualTo(1);
        assertThat(metrics.total("streamrec_scorer_ratings_seen_total")).isEqualTo(2);
        assertThat(metrics.prometheusText()).contains("streamrec_scorer_poison_records_total{topic=\"" + r + "\",reason=\"GARBAGE\"} 1");
    }

    @Test
    void itemTombstonesLeaveTheIndexAndMetricsFillTheHistory() {
        sixItems();
        factors.pipeInput(FactorKey.item(6), null);
        assertThat(index.contains(6)).isFalse();
        assertThat(index.stats().items()).isEqualTo(5);
        KeyValueStore<FactorKey, FactorRow> store = driver.getKeyValueStore(StoreNames.FACTORS);
        assertThat(store.get(FactorKey.item(6))).isNull();
        assertThat(store.get(FactorKey.item(5))).isNotNull();
        assertThat(store.get(FactorKey.GLOBAL).bias()).isEqualTo(3.0f);

        for (int n = 1; n <= 3; n++) {
            metricsTopic.pipeInput("trainer-0", new PrequentialMetrics("trainer-0", 1000L * n, 0, 100L * n, 100,
                    1.0 / n, 0.8 / n, 1.1, 0.9, 0.1, 500, DriftState.STABLE, 0));
        }
        assertThat(history.size()).isEqualTo(3);
        assertThat(history.since(2000, 10)).extracting(PrequentialMetrics::eventTimeMs).containsExactly(2000L, 3000L);
        KeyValueStore<String, PrequentialMetrics> latest = driver.getKeyValueStore(StoreNames.METRICS);
        assertThat(latest.get("trainer-0").count()).isEqualTo(300);
    }

    @Test
    void usersWithoutFactorsAreNotPushedAndItemsAreWaitedFor() {
        ratings.pipeInput(null, new Rating(3, 1, 4f, 1));
        factors.pipeInput(FactorKey.user(3), new FactorRow(1, 0f, new float[]{1, 0}, 0));
        advance(Duration.ofMillis(150));
        assertThat(recommendations.isEmpty()).as("no items yet").isTrue();
        sixItems();
        ratings.pipeInput(null, new Rating(4, 1, 4f, 1)); // user 4 never gets factors: cold, nothing to push
        advance(Duration.ofMillis(150));
        assertThat(recommendations.readKeyValuesToMap()).containsOnlyKeys(3L);
        assertThat(changed.size()).as("user 4 was taken and dropped, not retried forever").isZero();
    }
}
