package io.streamrec.scorer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamrec.common.config.Settings;
import io.streamrec.common.config.StreamrecConfig;
import io.streamrec.common.event.FactorKey;
import io.streamrec.common.event.FactorRow;
import io.streamrec.common.event.Rating;
import io.streamrec.common.topic.Topics;
import io.streamrec.model.MfHyperParameters;
import io.streamrec.model.MiniBatch;
import io.streamrec.model.PopularityHyperParameters;
import io.streamrec.model.PopularityModel;
import io.streamrec.model.RowLayout;
import io.streamrec.model.RowTable;
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
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The popularity baseline served like any family: its item rows and GLOBAL record go through the real topology, and
 * the REST top-K is the items by rating count, the user's rated items excluded, each served at μ (its prediction).
 */
class PopularTopKTest {

    static final Topics TOPICS = new Topics("popular.");
    static final long USER = 500;

    @TempDir
    Path dataDir;

    @Test
    void topKIsTheMostRatedItemsNotYetRatedServedAtTheMean() throws Exception {
        PopularityModel model = new PopularityModel(new PopularityHyperParameters(MfHyperParameters.defaults(), 0));
        RowLayout layout = model.layout();
        RowTable users = new RowTable();
        RowTable items = new RowTable();
        // Item i (1..12) is rated by 13 - i users: popularity order 1, 2, ..., 12. USER rated items 2 and 5.
        MiniBatch batch = new MiniBatch(1024);
        List<Rating> userRatings = List.of(new Rating(USER, 2, 5f, 0), new Rating(USER, 5, 1f, 0));
        long t = 0;
        for (int i = 1; i <= 12; i++) {
            for (int u = 0; u < 13 - i; u++) {
                batch.add(u, i, 1 + (u + i) % 5, t++);
            }
        }
        userRatings.forEach(r -> batch.add(r.user(), r.item(), r.rating(), 0));
        model.process(batch, users, items);
        float mean = (float) model.global().mean();

        ScorerMetrics metrics = new ScorerMetrics();
        ItemIndex index = new ItemIndex();
        ScorerOptions options = ScorerOptions.defaults("popular-test", dataDir).withUserPartitions(1);
        StreamrecConfig config = StreamrecConfig.from(Settings.builder().put("bootstrap.servers", "127.0.0.1:1", "test").build());
        MetricsHistory history = new MetricsHistory(10);
        try (TopologyTestDriver driver = new TopologyTestDriver(ScorerTopology.buildTopology(TOPICS, options, index,
                new ChangedUsers(1), history, metrics), ScorerTopology.config(config, options, metrics))) {
            var f = TOPICS.factors();
            TestInputTopic<FactorKey, FactorRow> factors = driver.createInputTopic(f.name(), f.keySerde().serializer(),
                    f.valueSerde().serializer());
            // As the trainer publishes: the GLOBAL record, then the changed item rows (popularity writes no user rows).
            factors.pipeInput(FactorKey.GLOBAL, new FactorRow(1, mean, model.globalOutputVector(), 0));
            items.forEach((id, row) -> factors.pipeInput(FactorKey.item(id), layout.toFactorRow(row, 1, 0)));
            var r = TOPICS.ratings();
            TestInputTopic<Long, Rating> ratings = driver.createInputTopic(r.name(), r.keySerde().serializer(),
                    r.valueSerde().serializer());
            userRatings.forEach(x -> ratings.pipeInput(USER, x));

            StoreProvider stores = new StoreProvider() {
                @Override
                public <K, V> ReadOnlyKeyValueStore<K, V> store(String name) {
                    return driver.getKeyValueStore(name);
                }
            };
            DashboardEvents events = new DashboardEvents(Map::of, history, Set.of());
            try (ScorerHttpServer server = new ScorerHttpServer(new RecommendationService(index, stores, history, options), metrics,
                    () -> new ScorerHttpServer.Health(true, "UP", "RUNNING", index.stats().items(), index.stats().dim(),
                            index.stats().modelVersion(), 0, 0.0), events).start("127.0.0.1", 0)) {
                HttpResponse<String> resp = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + server.port() + "/users/" + USER + "/recommendations?k=5")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(resp.statusCode()).as(resp.body()).isEqualTo(200);
                JsonNode list = new ObjectMapper().readTree(resp.body()).get("items");
                List<Long> served = new ArrayList<>();
                for (JsonNode n : list) {
                    served.add(n.get("item").asLong());
                    assertThat((float) n.get("score").asDouble()).as("served rating = μ").isCloseTo(mean, within(1e-5f));
                }
                assertThat(served).containsExactly(1L, 3L, 4L, 6L, 7L);
            }
        }
    }
}
