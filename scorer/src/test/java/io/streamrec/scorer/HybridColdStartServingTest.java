package io.streamrec.scorer;

import io.streamrec.common.config.Settings;
import io.streamrec.common.config.StreamrecConfig;
import io.streamrec.common.event.FactorKey;
import io.streamrec.common.event.FactorRow;
import io.streamrec.common.event.ItemMetadata;
import io.streamrec.common.event.UserMetadata;
import io.streamrec.common.serde.JsonSerde;
import io.streamrec.common.topic.Topics;
import io.streamrec.model.DlPlusHyperParameters;
import io.streamrec.model.GlobalStats;
import io.streamrec.model.HybridHyperParameters;
import io.streamrec.model.HybridModel;
import io.streamrec.model.MiniBatch;
import io.streamrec.model.RowLayout;
import io.streamrec.model.RowTable;
import io.streamrec.model.dense.DenseCodec;
import io.streamrec.scorer.index.ItemIndex;
import io.streamrec.scorer.stream.ChangedUsers;
import io.streamrec.scorer.stream.MetricsHistory;
import io.streamrec.scorer.stream.ModelsProcessor;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.LongSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Issue 15's cold-start check through the scorer's real topology: a hybrid model learns on a stream where genre
 * decides the rating, and is published as the trainer publishes it. Then a NEW item's metadata is produced: before
 * anyone rates it, it is in a user's recommendations and in a same-genre item's similar list with a features-only
 * vector, scored exactly as the model scores it; a new user with only demographics gets a personal list. Then the
 * item's first (bad) ratings are learned and published: its vector is "learned" and its score moves down. Poison
 * metadata (bad JSON, unknown version, absurd year, 10 k genres, a 1 MB title) is counted and never served.
 */
class HybridColdStartServingTest {

    static final Topics TOPICS = new Topics("hybridcold.");
    static final String[] GENRES = {"Horror", "Drama", "Comedy", "Film-Noir"};
    static final float[] EFFECT = {-1.5f, 0.3f, -0.5f, 1.4f};
    static final int USERS = 80;
    static final int ITEMS = 120;
    static final long NEW_ITEM = 10_003; // genre 3: Film-Noir, the best-liked
    static final long NEW_USER = 5_000;

    @TempDir
    Path dataDir;

    static ItemMetadata meta(long item) {
        return new ItemMetadata(item, "Film " + item, List.of(GENRES[(int) (item % 4)]), 1990 + (int) (item % 10));
    }

    static UserMetadata profile(long user) {
        return new UserMetadata(user, user % 2 == 0 ? "M" : "F", 20 + (int) (user % 30), "writer", null);
    }

    private static void learn(HybridModel model, RowTable users, RowTable items, long[] u, long[] it, float[] r) {
        MiniBatch batch = new MiniBatch(model.hyperParameters().batchSize());
        for (int e = 0; e < u.length; e++) {
            batch.add(u[e], it[e], r[e], 1_000L + e);
            if (batch.isFull() || e == u.length - 1) {
                model.process(batch, users, items);
                batch.clear();
            }
        }
    }

    @Test
    void anItemWithOnlyMetadataIsServedFromItsFeaturesUntilItsRatingsMoveIt() {
        // Feature tables at 0.05 (default 0.01, tuned for 10-pass holdouts): one short pass here must teach the genre.
        HybridHyperParameters p = new HybridHyperParameters(
                DlPlusHyperParameters.defaults().withShape(8, List.of(16)).withBatchSize(128),
                io.streamrec.model.features.FeatureSpec.defaults(), 0.05f, HybridHyperParameters.DEFAULT_L2_FEATURES, 0.05f);
        HybridModel model = new HybridModel(p);
        for (long i = 0; i < ITEMS; i++) {
            model.features().put(meta(i));
        }
        model.features().put(meta(NEW_ITEM));
        for (long u = 0; u < USERS; u++) {
            model.features().put(profile(u));
        }
        model.features().put(profile(NEW_USER));
        SplittableRandom rnd = new SplittableRandom(9);
        int n = 30_000;
        long[] u = new long[n];
        long[] it = new long[n];
        float[] r = new float[n];
        for (int e = 0; e < n; e++) {
            u[e] = rnd.nextInt(USERS);
            it[e] = rnd.nextInt(ITEMS);
            r[e] = Math.max(1f, Math.min(5f, Math.round(3.2f + EFFECT[(int) (it[e] % 4)] + (float) rnd.nextGaussian() * 0.3f)));
        }
        RowTable users = new RowTable();
        RowTable items = new RowTable();
        learn(model, users, items, u, it, r);
        RowLayout layout = model.layout();

        ScorerMetrics metrics = new ScorerMetrics();
        ItemIndex index = new ItemIndex();
        ScorerOptions options = ScorerOptions.defaults("hybrid-cold-test", dataDir)
                .withPush(10, Duration.ofSeconds(1), Duration.ofMillis(100)).withUserPartitions(1);
        StreamrecConfig config = StreamrecConfig.from(Settings.builder().put("bootstrap.servers", "127.0.0.1:1", "test").build());
        MetricsHistory history = new MetricsHistory(10);
        try (TopologyTestDriver driver = new TopologyTestDriver(ScorerTopology.buildTopology(TOPICS, options, index,
                new ChangedUsers(1), history, metrics), ScorerTopology.config(config, options, metrics),
                Instant.parse("2026-01-01T00:00:00Z"))) {
            var f = TOPICS.factors();
            TestInputTopic<FactorKey, FactorRow> factors = driver.createInputTopic(f.name(), f.keySerde().serializer(),
                    f.valueSerde().serializer());
            TestInputTopic<String, byte[]> models = driver.createInputTopic(TOPICS.models().name(),
                    TOPICS.models().keySerde().serializer(), TOPICS.models().valueSerde().serializer());
            TestInputTopic<Long, byte[]> itemTopic = driver.createInputTopic(TOPICS.items().name(), new LongSerializer(),
                    new ByteArraySerializer());
            TestInputTopic<Long, byte[]> userTopic = driver.createInputTopic(TOPICS.users().name(), new LongSerializer(),
                    new ByteArraySerializer());
            JsonSerde<ItemMetadata> itemSerde = new JsonSerde<>(ItemMetadata.class);
            JsonSerde<UserMetadata> userSerde = new JsonSerde<>(UserMetadata.class);
            for (long i = 0; i < ITEMS; i++) {
                itemTopic.pipeInput(i, itemSerde.encode(meta(i)));
            }
            for (long k = 0; k < USERS; k++) {
                userTopic.pipeInput(k, userSerde.encode(profile(k)));
            }
            publish(model, layout, users, items, factors, models);
            assertThat(index.model().family()).isEqualTo("hybrid");

            // Poison first: counted, not stored, never served; the scorer goes on.
            List<String> many = new ArrayList<>();
            for (int g = 0; g < 10_000; g++) {
                many.add("g" + g);
            }
            itemTopic.pipeInput(20_001L, "{not json".getBytes(StandardCharsets.UTF_8));
            itemTopic.pipeInput(20_002L, "{\"v\":7,\"item\":20002,\"title\":\"x\",\"genres\":[],\"year\":1990}".getBytes(StandardCharsets.UTF_8));
            itemTopic.pipeInput(20_003L, itemSerde.encode(new ItemMetadata(20_003, "Absurd", List.of("Drama"), 30_000)));
            itemTopic.pipeInput(20_004L, itemSerde.encode(new ItemMetadata(20_004, "Many", many, 1990)));
            itemTopic.pipeInput(20_005L, itemSerde.encode(new ItemMetadata(20_005, "t".repeat(1 << 20), List.of(), 1990)));
            assertThat(metrics.total("streamrec_scorer_poison_records_total")).isEqualTo(5);
            assertThat(metrics.prometheusText()).contains("topic=\"" + TOPICS.items().name() + "\",reason=\"BAD_METADATA\"} 3");
            for (long bad = 20_001; bad <= 20_005; bad++) {
                assertThat(index.contains(bad)).isFalse();
            }

            // The new item's metadata arrives; nobody has rated it.
            itemTopic.pipeInput(NEW_ITEM, itemSerde.encode(meta(NEW_ITEM)));
            StoreProvider stores = new StoreProvider() {
                @Override
                public <K, V> ReadOnlyKeyValueStore<K, V> store(String name) {
                    return driver.getKeyValueStore(name);
                }
            };
            RecommendationService service = new RecommendationService(index, stores, history, options);
            long user = 7;
            RecommendationService.UserRecommendations recs = service.recommendations(user, 40);
            List<Long> order = recs.items().stream().map(RecommendationService.ItemView::item).toList();
            System.out.printf("new item at %d of the user's list; in item 3's similar list at %d%n", order.indexOf(NEW_ITEM),
                    service.similar(3, ITEMS).items().stream().map(RecommendationService.ItemView::item).toList().indexOf(NEW_ITEM));
            // 30 learned Film-Noir items (and the best Drama ones, whose id biases learned more than the genre's
            // feature bias) compete with it; it must come before every item of the two disliked genres.
            RecommendationService.ItemView fresh = recs.items().stream().filter(v -> v.item() == NEW_ITEM).findFirst()
                    .orElseThrow(() -> new AssertionError("new item not in the top 40: " + recs.items()));
            assertThat(recs.items().subList(0, order.indexOf(NEW_ITEM)))
                    .allSatisfy(v -> assertThat(v.genres()).containsAnyOf("Film-Noir", "Drama"));
            assertThat(fresh.vector()).isEqualTo("features-only");
            float featuresOnly = model.score(user, users.get(user), NEW_ITEM, null);
            assertThat(fresh.score()).isCloseTo(featuresOnly, within(1e-4f));
            assertThat(recs.items()).filteredOn(v -> v.item() != NEW_ITEM).allSatisfy(v -> assertThat(v.vector()).isEqualTo("learned"));
            RecommendationService.ItemList similar = service.similar(3, 10); // item 3 is Film-Noir too (measured: 4th)
            assertThat(similar.items()).extracting(RecommendationService.ItemView::item).contains(NEW_ITEM);
            assertThat(similar.vector()).isEqualTo("learned");
            assertThat(service.similar(NEW_ITEM, 5).vector()).isEqualTo("features-only");

            // A new user with demographics only: a personal list from the features, not the bias fallback.
            userTopic.pipeInput(NEW_USER, userSerde.encode(profile(NEW_USER)));
            RecommendationService.UserRecommendations newcomer = service.recommendations(NEW_USER, 5);
            assertThat(newcomer.coldStart()).isFalse();
            assertThat(newcomer.items().get(0).score()).isCloseTo(
                    model.score(NEW_USER, null, newcomer.items().get(0).item(), items.get(newcomer.items().get(0).item())),
                    within(1e-4f));

            // Its first ratings are bad: learned and published, the item is learned and moves down.
            int m = 60;
            long[] fu = new long[m];
            long[] fi = new long[m];
            float[] fr = new float[m];
            for (int e = 0; e < m; e++) {
                fu[e] = e % USERS;
                fi[e] = NEW_ITEM;
                fr[e] = 1f;
            }
            learn(model, users, items, fu, fi, fr);
            publish(model, layout, users, items, factors, models);
            RecommendationService.ItemView learned = service.recommendations(user, ITEMS + 1).items().stream()
                    .filter(v -> v.item() == NEW_ITEM).findFirst().orElseThrow();
            assertThat(learned.vector()).isEqualTo("learned");
            assertThat(learned.score()).isLessThan(fresh.score() - 0.5f)
                    .isCloseTo(model.score(user, users.get(user), NEW_ITEM, items.get(NEW_ITEM)), within(1e-4f));
        }
    }

    /** What the trainer writes at a checkpoint: GLOBAL with the output layout, every row, the weights. */
    private static void publish(HybridModel model, RowLayout layout, RowTable users, RowTable items,
                                TestInputTopic<FactorKey, FactorRow> factors, TestInputTopic<String, byte[]> models) {
        GlobalStats g = model.global();
        float[] out = model.globalOutputVector();
        factors.pipeInput(FactorKey.GLOBAL, new FactorRow(9, (float) g.mean(), out, 0));
        items.forEach((id, row) -> factors.pipeInput(FactorKey.item(id), layout.toFactorRow(row, 9, 0)));
        users.forEach((id, row) -> factors.pipeInput(FactorKey.user(id), layout.toFactorRow(row, 9, 0)));
        models.pipeInput(ModelsProcessor.HYBRID, DenseCodec.encode(model.denseParameters().orElseThrow().weightsOnly()));
    }
}
