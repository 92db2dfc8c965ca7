package io.streamrec.scorer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamrec.common.config.Settings;
import io.streamrec.common.config.StreamrecConfig;
import io.streamrec.common.event.FactorKey;
import io.streamrec.common.event.FactorRow;
import io.streamrec.common.event.Rating;
import io.streamrec.common.topic.ModelFamilies;
import io.streamrec.common.topic.Topics;
import io.streamrec.model.BiasedMf;
import io.streamrec.model.MfHyperParameters;
import io.streamrec.model.MiniBatch;
import io.streamrec.model.OnlineModel;
import io.streamrec.model.PopularityHyperParameters;
import io.streamrec.model.PopularityModel;
import io.streamrec.model.RowTable;
import io.streamrec.scorer.http.ClusterRequests;
import io.streamrec.scorer.http.DashboardEvents;
import io.streamrec.scorer.http.ScorerHttpServer;
import io.streamrec.scorer.index.ItemIndex;
import io.streamrec.scorer.stream.ChangedUsers;
import io.streamrec.scorer.stream.MetricsHistory;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * One scorer topology serving two families side by side (mf on {@code factors}, popular on {@code factors-popular},
 * as a trainer with {@code --model mf,popular} publishes them): {@code ?model=} picks the family on the list
 * endpoints, none picks the first, and an unknown one is a 400 naming the served ones.
 */
class MultiFamilyServingTest {

    static final Topics TOPICS = new Topics("multi.");
    static final ModelFamilies FAMILIES = ModelFamilies.parse("mf,popular");
    static final long USER = 500;

    @TempDir
    Path dataDir;

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void eachFamilyServesItsOwnRowsAndAnUnknownFamilyIsRefused() throws Exception {
        // Item i (1..12) is rated by 13 - i users (popularity order 1..12); MF learns from the same ratings. USER
        // rated items 2 and 5, with a taste for even items that MF picks up and popularity cannot.
        MiniBatch batch = new MiniBatch(4096);
        List<Rating> userRatings = List.of(new Rating(USER, 2, 5f, 0), new Rating(USER, 5, 1f, 0));
        long t = 0;
        for (int i = 1; i <= 12; i++) {
            for (int u = 0; u < 13 - i; u++) {
                batch.add(u, i, i % 2 == 0 ? 5f : 1f, t++);
            }
        }
        userRatings.forEach(r -> batch.add(r.user(), r.item(), r.rating(), 0));
        BiasedMf mf = new BiasedMf(MfHyperParameters.defaults());
        PopularityModel popular = new PopularityModel(new PopularityHyperParameters(MfHyperParameters.defaults(), 0));
        RowTable mfUsers = new RowTable();
        RowTable mfItems = new RowTable();
        for (int epoch = 0; epoch < 30; epoch++) {
            mf.process(batch, mfUsers, mfItems);
        }
        RowTable popularItems = new RowTable();
        popular.process(batch, new RowTable(), popularItems);

        ScorerMetrics metrics = new ScorerMetrics();
        ItemIndex mfIndex = new ItemIndex();
        ItemIndex popularIndex = new ItemIndex();
        ScorerOptions options = ScorerOptions.defaults("multi-test", dataDir).withUserPartitions(1).withModels(FAMILIES);
        StreamrecConfig config = StreamrecConfig.from(Settings.builder().put("bootstrap.servers", "127.0.0.1:1", "test").build());
        MetricsHistory history = new MetricsHistory(10);
        try (TopologyTestDriver driver = new TopologyTestDriver(ScorerTopology.buildTopology(TOPICS, options, mfIndex,
                Map.of("popular", popularIndex), new ChangedUsers(1), history, metrics),
                ScorerTopology.config(config, options, metrics))) {
            publish(driver, FAMILIES.factors(TOPICS, "mf").name(), mf, mfUsers, mfItems);
            publish(driver, FAMILIES.factors(TOPICS, "popular").name(), popular, new RowTable(), popularItems);
            var r = TOPICS.ratings();
            TestInputTopic<Long, Rating> ratings = driver.createInputTopic(r.name(), r.keySerde().serializer(),
                    r.valueSerde().serializer());
            userRatings.forEach(x -> ratings.pipeInput(USER, x));
            // Each family's rows reach its own index only.
            assertThat(mfIndex.stats().dim()).isEqualTo(MfHyperParameters.DEFAULT_DIM);
            assertThat(popularIndex.stats().items()).isEqualTo(12);
            assertThat(popularIndex.stats().dim()).isNotEqualTo(mfIndex.stats().dim());

            StoreProvider stores = new StoreProvider() {
                @Override
                public <K, V> ReadOnlyKeyValueStore<K, V> store(String name) {
                    return driver.getKeyValueStore(name);
                }
            };
            RecommendationService first = new RecommendationService(mfIndex, stores, history, options);
            ServedModels served = ScorerRuntime.served(options, first, Map.of("popular", popularIndex), stores, history);
            assertThat(served.families()).containsExactly("mf", "popular");
            DashboardEvents events = new DashboardEvents(Map::of, history, Set.of());
            try (ScorerHttpServer server = new ScorerHttpServer(served, metrics,
                    () -> new ScorerHttpServer.Health(true, "UP", "RUNNING", 12, 0, 0, 0, 0.0), events,
                    new ClusterRequests(null, 1, metrics)).start("127.0.0.1", 0)) {
                String base = "http://127.0.0.1:" + server.port();
                JsonNode byDefault = get(base + "/users/" + USER + "/recommendations?k=5", 200);
                JsonNode mfList = get(base + "/users/" + USER + "/recommendations?k=5&model=mf", 200);
                JsonNode popularList = get(base + "/users/" + USER + "/recommendations?k=5&model=popular", 200);
                assertThat(byDefault.get("model").asText()).isEqualTo("mf");
                assertThat(items(byDefault)).isEqualTo(items(mfList));
                assertThat(mfList.get("coldStart").asBoolean()).isFalse();
                // Popular: the most-rated items the user has not rated, each at μ.
                assertThat(popularList.get("model").asText()).isEqualTo("popular");
                assertThat(items(popularList)).containsExactly(1L, 3L, 4L, 6L, 7L);
                for (JsonNode n : popularList.get("items")) {
                    assertThat(n.get("score").asDouble()).isCloseTo(popular.global().mean(), within(1e-4));
                }
                // MF learned the user's taste for even items: its list is not popularity's.
                assertThat(items(mfList)).isNotEqualTo(items(popularList)).doesNotContain(2L, 5L);
                assertThat(items(mfList).subList(0, 3)).allMatch(i -> i % 2 == 0);

                assertThat(get(base + "/items/1/similar?k=3&model=popular", 200).get("model").asText()).isEqualTo("popular");
                assertThat(get(base + "/items/1/similar?k=3", 200).get("model").asText()).isEqualTo("mf");
                assertThat(get(base + "/items/2/also-liked?k=3&model=popular", 200).get("model").asText()).isEqualTo("popular");
                JsonNode list = get(base + "/models", 200);
                assertThat(list.get("models")).extracting(JsonNode::asText).containsExactly("mf", "popular");
                assertThat(list.get("default").asText()).isEqualTo("mf");

                for (String path : List.of("/users/" + USER + "/recommendations?model=dlplus", "/items/1/similar?model=dlplus",
                        "/items/2/also-liked?model=dlplus")) {
                    JsonNode error = get(base + path, 400);
                    assertThat(error.get("message").asText()).as(path).contains("unknown model 'dlplus'")
                            .contains("mf, popular");
                }
            }
        }
    }

    private static void publish(TopologyTestDriver driver, String topic, OnlineModel model, RowTable users, RowTable items) {
        var f = TOPICS.factors();
        TestInputTopic<FactorKey, FactorRow> in = driver.createInputTopic(topic, f.keySerde().serializer(),
                f.valueSerde().serializer());
        in.pipeInput(FactorKey.GLOBAL, new FactorRow(1, (float) model.global().mean(), model.globalOutputVector(), 0));
        items.forEach((id, row) -> in.pipeInput(FactorKey.item(id), model.layout().toFactorRow(row, 1, 0)));
        users.forEach((id, row) -> in.pipeInput(FactorKey.user(id), model.layout().toFactorRow(row, 1, 0)));
    }

    private JsonNode get(String uri, int status) throws Exception {
        HttpResponse<String> resp = http.send(HttpRequest.newBuilder(URI.create(uri)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(resp.statusCode()).as(uri + ": " + resp.body()).isEqualTo(status);
        return json.readTree(resp.body());
    }

    private static List<Long> items(JsonNode list) {
        List<Long> ids = new ArrayList<>();
        list.get("items").forEach(n -> ids.add(n.get("item").asLong()));
        return ids;
    }
}
