package io.streamrec.scorer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamrec.common.config.Settings;
import io.streamrec.common.config.StreamrecConfig;
import io.streamrec.common.event.FactorKey;
import io.streamrec.common.event.FactorKind;
import io.streamrec.common.event.FactorRow;
import io.streamrec.common.event.Rating;
import io.streamrec.common.event.RatingScale;
import io.streamrec.common.topic.Topics;
import io.streamrec.model.BiasedMf;
import io.streamrec.model.MfHyperParameters;
import io.streamrec.model.MiniBatch;
import io.streamrec.model.RowLayout;
import io.streamrec.model.RowTable;
import io.streamrec.scorer.http.DashboardEvents;
import io.streamrec.scorer.http.ScorerHttpServer;
import io.streamrec.scorer.index.ItemIndex;
import io.streamrec.scorer.stream.ChangedUsers;
import io.streamrec.scorer.stream.FactorsProcessor;
import io.streamrec.scorer.stream.MetricsHistory;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Served scores are the trainer's predictions: a real {@link BiasedMf} learns, its rows and GLOBAL record are
 * published as the trainer publishes them (through the real topology), and every score the REST API serves equals
 * {@link BiasedMf#score} for the same rows, with the sigmoid range on and off, never outside the rating scale.
 */
class ServedScoreParityTest {

    static final Topics TOPICS = new Topics("parity.");
    static final ObjectMapper JSON = new ObjectMapper();
    static final RatingScale SCALE = RatingScale.MOVIELENS_HALF_STARS;
    static final int USERS = 80;
    static final int ITEMS = 60;
    static final int DIM = 8;
    static final long ENTHUSIAST = 100_001;
    static final long HATER = 100_002;
    static final long COLD = 100_003;

    @TempDir
    Path dataDir;

    static MfHyperParameters params(boolean sigmoid) {
        MfHyperParameters d = MfHyperParameters.defaults();
        return new MfHyperParameters(DIM, d.optimizer(), d.learningRate(), d.biasLearningRate(), d.l2Factors(), d.l2Bias(),
                d.biasPrior(), 0.3f, 5L, sigmoid, SCALE, 128, d.batchTimeoutMs(), d.beta1(), d.beta2(), d.epsilon(),
                d.kernel(), d.update());
    }

    @ParameterizedTest(name = "sigmoid range {0}")
    @ValueSource(booleans = {false, true})
    void restScoresEqualTheModelsPredictions(boolean sigmoid) throws Exception {
        BiasedMf model = new BiasedMf(params(sigmoid));
        RowLayout layout = model.layout();
        RowTable users = new RowTable();
        RowTable items = new RowTable();
        // Integer ratings 1..5 on a half-star scale: the seen range (from 1) narrows the clamp below the scale's 0.5.
        Random rnd = new Random(3);
        MiniBatch batch = new MiniBatch(128);
        for (int n = 0; n < 20_000; n++) {
            long u = 1 + rnd.nextInt(USERS);
            long i = 1 + rnd.nextInt(ITEMS);
            batch.add(u, i, Math.max(1, Math.min(5, Math.round(3 + (u % 5 - 2) * 0.8 + (i % 3 - 1) + rnd.nextGaussian()))), n);
            if (batch.isFull()) {
                model.process(batch, users, items);
                batch.clear();
            }
        }
        // Rows whose raw score leaves the scale on both sides, so the clamp and the squash both matter.
        float[] enthusiast = layout.newRow(FactorKind.USER, ENTHUSIAST);
        enthusiast[0] = 4f;
        float[] hater = layout.newRow(FactorKind.USER, HATER);
        hater[0] = -5f;
        users.put(ENTHUSIAST, enthusiast);
        users.put(HATER, hater);

        ScorerMetrics metrics = new ScorerMetrics();
        ItemIndex index = new ItemIndex();
        ScorerOptions options = ScorerOptions.defaults("parity-test", dataDir).withUserPartitions(1);
        StreamrecConfig config = StreamrecConfig.from(Settings.builder().put("bootstrap.servers", "127.0.0.1:1", "test").build());
        MetricsHistory history = new MetricsHistory(10);
        try (TopologyTestDriver driver = new TopologyTestDriver(ScorerTopology.buildTopology(TOPICS, options, index,
                new ChangedUsers(1), history, metrics), ScorerTopology.config(config, options, metrics))) {
            var f = TOPICS.factors();
            TestInputTopic<FactorKey, FactorRow> factors = driver.createInputTopic(f.name(), f.keySerde().serializer(),
                    f.valueSerde().serializer());
            // exactly what AbstractTrainerOperator writes: μ as float, the output layout, then the changed rows
            factors.pipeInput(FactorKey.GLOBAL, new FactorRow(9, (float) model.global().mean(), model.globalOutputVector(), 0));
            items.forEach((id, row) -> factors.pipeInput(FactorKey.item(id), layout.toFactorRow(row, 9, 0)));
            users.forEach((id, row) -> factors.pipeInput(FactorKey.user(id), layout.toFactorRow(row, 9, 0)));
            var r = TOPICS.ratings();
            driver.createInputTopic(r.name(), r.keySerde().serializer(), r.valueSerde().serializer())
                    .pipeInput(COLD, new Rating(COLD, 1, 4f, 0)); // a user with ratings but no factors: scored cold

            StoreProvider stores = new StoreProvider() {
                @Override
                public <K, V> ReadOnlyKeyValueStore<K, V> store(String name) {
                    return driver.getKeyValueStore(name);
                }
            };
            DashboardEvents events = new DashboardEvents(Map::of, history, Set.of());
            try (ScorerHttpServer server = new ScorerHttpServer(new RecommendationService(index, stores, history, options), metrics,
                    () -> new ScorerHttpServer.Health(true, "UP", "RUNNING", index.stats().items(), index.stats().dim(), index.stats().modelVersion(), 0, 0.0),
                    events).start("127.0.0.1", 0)) {
                HttpClient http = HttpClient.newHttpClient();
                List<Long> sampled = new ArrayList<>(List.of(ENTHUSIAST, HATER, COLD));
                for (int s = 0; s < 15; s++) {
                    sampled.add(1L + rnd.nextInt(USERS));
                }
                int compared = 0;
                float lo = Float.MAX_VALUE;
                float hi = -Float.MAX_VALUE;
                for (long user : sampled) {
                    HttpResponse<String> resp = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                            + "/users/" + user + "/recommendations?k=" + ITEMS)).build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(resp.statusCode()).as(resp.body()).isEqualTo(200);
                    JsonNode list = JSON.readTree(resp.body()).get("items");
                    float[] userRow = user == COLD ? null : users.get(user);
                    float previous = Float.POSITIVE_INFINITY;
                    for (JsonNode n : list) {
                        long item = n.get("item").asLong();
                        float served = (float) n.get("score").asDouble();
                        float predicted = model.score(userRow, items.get(item));
                        assertThat(served).as("user %d item %d (sigmoid %s)", user, item, sigmoid).isCloseTo(predicted, within(1e-4f));
                        assertThat(served).as("best first").isLessThanOrEqualTo(previous);
                        previous = served;
                        lo = Math.min(lo, served);
                        hi = Math.max(hi, served);
                        compared++;
                    }
                }
                assertThat(compared).isGreaterThan(15 * (ITEMS - 1));
                assertThat(lo).as("lowest served score").isGreaterThanOrEqualTo(1f); // the scale (0.5) narrowed to the ratings seen
                assertThat(hi).as("highest served score").isLessThanOrEqualTo(SCALE.max());
                if (!sigmoid) {
                    // the crafted rows sit on the clamp bounds: without clamping they would be served far outside
                    assertThat(hi).isEqualTo(5f);
                    assertThat(lo).isEqualTo(1f);
                }
            }

            // An unknown GLOBAL layout is counted and its vector ignored: the transform in force stays.
            float before = index.serving().serve(100f);
            factors.pipeInput(FactorKey.GLOBAL, new FactorRow(10, (float) model.global().mean(), new float[]{1, 2, 3}, 0));
            assertThat(metrics.total(FactorsProcessor.UNKNOWN_GLOBAL_LAYOUT)).isEqualTo(1);
            assertThat(index.serving().serve(100f)).isEqualTo(before).isLessThanOrEqualTo(SCALE.max());
            // An older trainer's empty vector: no transform known, raw scores served as before this change.
            factors.pipeInput(FactorKey.GLOBAL, new FactorRow(11, 3.5f, new float[0], 0));
            assertThat(index.serving().output()).isNull();
            assertThat(index.serving().serve(6.53f)).isEqualTo(6.53f);
        }
    }
}
