package io.streamrec.scorer;

import io.streamrec.common.config.Settings;
import io.streamrec.common.config.StreamrecConfig;
import io.streamrec.common.event.FactorKey;
import io.streamrec.common.event.FactorRow;
import io.streamrec.common.event.Rating;
import io.streamrec.common.event.Recommendations;
import io.streamrec.common.event.ScoredItem;
import io.streamrec.common.topic.Topics;
import io.streamrec.ingest.synthetic.SyntheticStream;
import io.streamrec.model.DlPlusHyperParameters;
import io.streamrec.model.DlPlusModel;
import io.streamrec.model.GlobalStats;
import io.streamrec.model.MiniBatch;
import io.streamrec.model.RowLayout;
import io.streamrec.model.RowTable;
import io.streamrec.model.dense.DenseCodec;
import io.streamrec.model.dense.DenseParameters;
import io.streamrec.scorer.index.ItemIndex;
import io.streamrec.scorer.stream.ChangedUsers;
import io.streamrec.scorer.stream.MetricsHistory;
import io.streamrec.scorer.stream.ModelsProcessor;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * DL+ served scores are the trainer's predictions: a real {@link DlPlusModel} learns a little on planted data, its
 * rows, GLOBAL record and weights are published as the trainer publishes them (factors and models topics, through the
 * real topology), and every score the service serves equals {@link DlPlusModel#score} for the same rows within 1e-4;
 * the served top-K is the brute-force ranking of the whole catalogue minus the rated items, for the REST answer and
 * the pushed list alike. Bad model records are counted and skipped; a tombstone falls back to MF's scan.
 */
class DlPlusServedScoreParityTest {

    static final Topics TOPICS = new Topics("dlparity.");
    static final int USERS = 60;
    static final int ITEMS = 150;
    static final int K = 10;

    @TempDir
    Path dataDir;

    @ParameterizedTest(name = "sigmoid range {0}")
    @ValueSource(booleans = {false, true})
    void servedScoresAndTopKEqualTheModel(boolean sigmoid) {
        DlPlusHyperParameters p = DlPlusHyperParameters.defaults().withShape(8, List.of(16, 8)).withSigmoidRange(sigmoid)
                .withBatchSize(128);
        DlPlusModel model = new DlPlusModel(p);
        RowLayout layout = model.layout();
        RowTable users = new RowTable();
        RowTable items = new RowTable();
        List<Rating> events = SyntheticStream.planted(20_000, USERS, ITEMS, 7);
        MiniBatch batch = new MiniBatch(p.batchSize());
        for (Rating r : events) {
            batch.add(r.user(), r.item(), r.rating(), r.timestampMs());
            if (batch.isFull()) {
                model.process(batch, users, items);
                batch.clear();
            }
        }
        DenseParameters weights = model.denseParameters().orElseThrow().weightsOnly();
        assertThat(weights.steps()).isPositive();

        ScorerMetrics metrics = new ScorerMetrics();
        ItemIndex index = new ItemIndex();
        ScorerOptions options = ScorerOptions.defaults("dlparity-test", dataDir)
                .withPush(K, Duration.ofSeconds(1), Duration.ofMillis(100)).withUserPartitions(1);
        StreamrecConfig config = StreamrecConfig.from(Settings.builder().put("bootstrap.servers", "127.0.0.1:1", "test").build());
        MetricsHistory history = new MetricsHistory(10);
        Instant wall = Instant.parse("2026-01-01T00:00:00Z");
        try (TopologyTestDriver driver = new TopologyTestDriver(ScorerTopology.buildTopology(TOPICS, options, index,
                new ChangedUsers(1), history, metrics), ScorerTopology.config(config, options, metrics), wall)) {
            var f = TOPICS.factors();
            TestInputTopic<FactorKey, FactorRow> factors = driver.createInputTopic(f.name(), f.keySerde().serializer(),
                    f.valueSerde().serializer());
            var mt = TOPICS.models();
            TestInputTopic<String, byte[]> models = driver.createInputTopic(mt.name(), mt.keySerde().serializer(),
                    mt.valueSerde().serializer());
            var r = TOPICS.ratings();
            TestInputTopic<Long, Rating> ratings = driver.createInputTopic(r.name(), r.keySerde().serializer(),
                    r.valueSerde().serializer());
            var out = TOPICS.recommendations();
            TestOutputTopic<Long, Recommendations> pushed = driver.createOutputTopic(out.name(), out.keySerde().deserializer(),
                    out.valueSerde().deserializer());

            // Exactly what the trainer writes at a checkpoint: μ as float with the output layout, the changed rows
            // (bias + embedding), and the weights without optimizer state on the models topic.
            GlobalStats g = model.global();
            float[] layoutVector = new io.streamrec.common.model.RatingOutput(p.ratingScale(), sigmoid)
                    .globalVector(g.count(), g.minRating(), g.maxRating());
            factors.pipeInput(FactorKey.GLOBAL, new FactorRow(9, (float) g.mean(), layoutVector, 0));
            // Weights first for half the items, then the rest: shares are computed both on weight change and on row arrival.
            List<Long> itemIds = new ArrayList<>();
            items.forEach((id, row) -> itemIds.add(id));
            for (int n = 0; n < itemIds.size() / 2; n++) {
                factors.pipeInput(FactorKey.item(itemIds.get(n)), layout.toFactorRow(items.get(itemIds.get(n)), 9, 0));
            }
            models.pipeInput(ModelsProcessor.DLPLUS, DenseCodec.encode(weights));
            for (int n = itemIds.size() / 2; n < itemIds.size(); n++) {
                factors.pipeInput(FactorKey.item(itemIds.get(n)), layout.toFactorRow(items.get(itemIds.get(n)), 9, 0));
            }
            users.forEach((id, row) -> factors.pipeInput(FactorKey.user(id), layout.toFactorRow(row, 9, 0)));
            assertThat(index.model().family()).isEqualTo("dlplus");
            assertThat(index.model().steps()).isEqualTo(weights.steps());

            // A few rated items per sampled user: they must leave the list.
            Random rnd = new Random(5);
            List<Long> sampled = new ArrayList<>();
            Map<Long, Set<Long>> rated = new HashMap<>();
            for (int s = 0; s < 12; s++) {
                long user = 1L + rnd.nextInt(USERS);
                if (users.get(user) == null || rated.containsKey(user)) {
                    continue;
                }
                sampled.add(user);
                Set<Long> seen = new HashSet<>();
                for (int j = 0; j < 5; j++) {
                    long item = itemIds.get(rnd.nextInt(itemIds.size()));
                    seen.add(item);
                    ratings.pipeInput(user, new Rating(user, item, 4f, 1000));
                }
                rated.put(user, seen);
            }
            assertThat(sampled).hasSizeGreaterThan(5);

            StoreProvider stores = new StoreProvider() {
                @Override
                public <K, V> ReadOnlyKeyValueStore<K, V> store(String name) {
                    return driver.getKeyValueStore(name);
                }
            };
            RecommendationService service = new RecommendationService(index, stores, history, options);
            int compared = 0;
            Map<Long, List<Long>> expectedTop = new HashMap<>();
            for (long user : sampled) {
                float[] userRow = users.get(user);
                // Every (user, item) pair served, ranked whole-catalogue: equals the model's score.
                RecommendationService.UserRecommendations all = service.recommendations(user, ITEMS);
                assertThat(all.model()).isEqualTo("dlplus");
                assertThat(all.modelSteps()).isEqualTo(weights.steps());
                assertThat(all.items()).hasSize(itemIds.size() - rated.get(user).size());
                for (RecommendationService.ItemView v : all.items()) {
                    assertThat(rated.get(user)).doesNotContain(v.item());
                    float predicted = model.score(userRow, items.get(v.item()));
                    assertThat(v.score()).as("user %d item %d (sigmoid %s)", user, v.item(), sigmoid)
                            .isCloseTo(predicted, within(1e-4f));
                    compared++;
                }
                // The top-K against a brute-force ranking of the model's own row terms (the transform is monotone).
                List<Long> brute = itemIds.stream().filter(i -> !rated.get(user).contains(i))
                        .sorted(Comparator.comparingDouble((Long i) -> -model.scorer().rowTerms(userRow, items.get(i)))
                                .thenComparingLong(i -> i))
                        .limit(K).toList();
                List<Long> served = service.recommendations(user, K).items().stream()
                        .map(RecommendationService.ItemView::item).toList();
                assertThat(served).as("top-%d of user %d", K, user).isEqualTo(brute);
                expectedTop.put(user, brute);
            }
            assertThat(compared).isGreaterThan(5 * (itemIds.size() - 5));

            // The pushed lists are the same DL+ ranking with the same served scores.
            driver.advanceWallClockTime(Duration.ofSeconds(2));
            Map<Long, Recommendations> lists = new HashMap<>();
            pushed.readRecordsToList().forEach(rec -> lists.put(rec.key(), rec.value()));
            for (long user : sampled) {
                Recommendations recs = lists.get(user);
                assertThat(recs).as("pushed list of user %d", user).isNotNull();
                assertThat(recs.items()).extracting(ScoredItem::item).isEqualTo(expectedTop.get(user));
                assertThat(recs.model()).as("the pushed list names the family that ranked it").isEqualTo("dlplus");
                assertThat(recs.modelSteps()).isPositive();
                for (ScoredItem s : recs.items()) {
                    assertThat(s.score()).isCloseTo(model.score(users.get(user), items.get(s.item())), within(1e-4f));
                }
            }

            // similar: cosine of the embeddings; also-liked: DL+ on the fans' mean row. Both name the family.
            long anItem = itemIds.get(0);
            assertThat(service.similar(anItem, 5).model()).isEqualTo("dlplus");
            assertThat(service.similar(anItem, 5).items()).hasSize(5);
            RecommendationService.ItemList also = service.alsoLiked(rated.get(sampled.get(0)).iterator().next(), 5);
            assertThat(also.model()).isEqualTo("dlplus");
            assertThat(also.basis()).isEqualTo("fans");

            // Bad model records: counted, never fatal, the weights in force stay.
            var raw = driver.createInputTopic(mt.name(), new ByteArraySerializer(), new ByteArraySerializer());
            raw.pipeInput("dlplus".getBytes(StandardCharsets.UTF_8), new byte[]{1, 2, 3});
            byte[] corrupt = DenseCodec.encode(weights);
            corrupt[corrupt.length / 2] ^= 0x55;
            raw.pipeInput("dlplus".getBytes(StandardCharsets.UTF_8), corrupt);
            models.pipeInput("twotower", DenseCodec.encode(weights)); // key and fingerprint disagree
            models.pipeInput("twotower", DenseCodec.encode(new DenseParameters("twotower;dim=8", 1,
                    List.of(new DenseParameters.Tensor("x", new int[]{1}, new float[]{1f})))));
            models.pipeInput("dlplus", DenseCodec.encode(new DenseParameters("dlplus;broken", 1,
                    List.of(new DenseParameters.Tensor("x", new int[]{1}, new float[]{1f})))));
            raw.pipeInput(null, DenseCodec.encode(weights));
            assertThat(metrics.total("streamrec_scorer_poison_records_total")).isEqualTo(6);
            assertThat(index.model().family()).isEqualTo("dlplus");
            long someUser = sampled.get(0);
            assertThat(service.recommendations(someUser, K).items()).extracting(RecommendationService.ItemView::item)
                    .isEqualTo(expectedTop.get(someUser));

            // A tombstone drops the weights: MF's dot-product scan ranks again, and says so.
            models.pipeInput("dlplus", (byte[]) null);
            assertThat(index.model().family()).isEqualTo("mf");
            assertThat(service.recommendations(someUser, K).model()).isEqualTo("mf");
        }
    }
}
