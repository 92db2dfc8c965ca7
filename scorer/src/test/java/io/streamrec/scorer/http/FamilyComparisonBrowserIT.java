package io.streamrec.scorer.http;

import io.streamrec.common.config.Settings;
import io.streamrec.common.config.StreamrecConfig;
import io.streamrec.common.event.DriftState;
import io.streamrec.common.event.FactorKey;
import io.streamrec.common.event.FactorRow;
import io.streamrec.common.event.PrequentialMetrics;
import io.streamrec.common.event.Rating;
import io.streamrec.common.event.RankingMetrics;
import io.streamrec.common.topic.ModelFamilies;
import io.streamrec.common.topic.Topics;
import io.streamrec.model.BiasedMf;
import io.streamrec.model.MfHyperParameters;
import io.streamrec.model.MiniBatch;
import io.streamrec.model.OnlineModel;
import io.streamrec.model.PopularityHyperParameters;
import io.streamrec.model.PopularityModel;
import io.streamrec.model.RowTable;
import io.streamrec.scorer.RecommendationService;
import io.streamrec.scorer.ScorerMetrics;
import io.streamrec.scorer.ScorerOptions;
import io.streamrec.scorer.ScorerRuntime;
import io.streamrec.scorer.ScorerTopology;
import io.streamrec.scorer.StoreProvider;
import io.streamrec.scorer.index.ItemIndex;
import io.streamrec.scorer.stream.ChangedUsers;
import io.streamrec.scorer.stream.MetricsHistory;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard of a scorer serving mf and popular side by side, in headless Chromium: the RMSE chart overlays both
 * families' RMSE and recall curves (one colour per family, named in the legend), and the user box shows the user's
 * list of each family side by side.
 */
class FamilyComparisonBrowserIT {

    static final Topics TOPICS = new Topics("compare.");
    static final ModelFamilies FAMILIES = ModelFamilies.parse("mf,popular");
    static final long USER = 500;

    @TempDir
    Path dataDir;

    static void report(TestInputTopic<String, PrequentialMetrics> topic, String source, long eventTimeMs, double rmse,
                       double recall) {
        RankingMetrics r = new RankingMetrics(100, 50, 20, 100, recall, 0.3, 0.05, 0.05, recall, 0.3, 0.05, 0.05);
        topic.pipeInput(source, new PrequentialMetrics(source, eventTimeMs, System.currentTimeMillis(), eventTimeMs / 10, 100,
                rmse, 0.8, rmse + 0.05, 0.8, 0, 1000, DriftState.STABLE, 0, r));
    }

    @Test
    void twoFamiliesDrawTwoCurvesEachAndTheUsersListsSideBySide() throws Exception {
        Assumptions.assumeTrue(HeadlessChromium.available(), HeadlessChromium.MISSING);
        // Item i (1..12) is rated by 13 - i users; even items are loved: popularity ranks 1, 3, 4, ..., MF the even ones.
        MiniBatch batch = new MiniBatch(4096);
        long t = 0;
        for (int i = 1; i <= 12; i++) {
            for (int u = 0; u < 13 - i; u++) {
                batch.add(u, i, i % 2 == 0 ? 5f : 1f, t++);
            }
        }
        batch.add(USER, 2, 5f, 0);
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
        MetricsHistory history = new MetricsHistory(1000);
        ScorerOptions options = ScorerOptions.defaults("compare-test", dataDir).withUserPartitions(1).withModels(FAMILIES);
        StreamrecConfig config = StreamrecConfig.from(Settings.builder().put("bootstrap.servers", "127.0.0.1:1", "test").build());
        try (TopologyTestDriver driver = new TopologyTestDriver(ScorerTopology.buildTopology(TOPICS, options, mfIndex,
                Map.of("popular", popularIndex), new ChangedUsers(1), history, metrics),
                ScorerTopology.config(config, options, metrics))) {
            publish(driver, FAMILIES.factors(TOPICS, "mf").name(), mf, mfUsers, mfItems);
            publish(driver, FAMILIES.factors(TOPICS, "popular").name(), popular, new RowTable(), popularItems);
            var r = TOPICS.ratings();
            driver.createInputTopic(r.name(), r.keySerde().serializer(), r.valueSerde().serializer())
                    .pipeInput(USER, new Rating(USER, 2, 5f, 0));
            TestInputTopic<String, PrequentialMetrics> reports = driver.createInputTopic(TOPICS.metrics().name(),
                    new StringSerializer(), TOPICS.metrics().valueSerde().serializer());
            long day = 86_400_000L;
            for (int d = 1; d <= 3; d++) {
                report(reports, "mf/trainer-0", d * day, 1.0 - 0.05 * d, 0.05 * d);
                report(reports, "popular/trainer-0", d * day, 1.1, 0.08);
            }

            StoreProvider stores = new StoreProvider() {
                @Override
                public <K, V> ReadOnlyKeyValueStore<K, V> store(String name) {
                    return driver.getKeyValueStore(name);
                }
            };
            RecommendationService first = new RecommendationService(mfIndex, stores, history, options);
            DashboardEvents events = new DashboardEvents(Map::of, history, Set.of());
            try (ScorerHttpServer server = new ScorerHttpServer(
                    ScorerRuntime.served(options, first, Map.of("popular", popularIndex), stores, history), metrics,
                    () -> new ScorerHttpServer.Health(true, "UP", "RUNNING", 12, 0, 0, 0, 0.0), events,
                    new ClusterRequests(null, 1, metrics)).start("127.0.0.1", 0)) {
                try (HeadlessChromium browser = HeadlessChromium.open("http://127.0.0.1:" + server.port() + "/?user=" + USER,
                        1400, 1000)) {
                    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                        for (String family : FAMILIES.ids()) {
                            assertThat(RecallChartBrowserIT.series(browser, family + "/trainer-0 window RMSE")).as(family).hasSize(3);
                            assertThat(RecallChartBrowserIT.series(browser, family + "/trainer-0 window recall@10")).as(family).hasSize(3);
                        }
                        List<Object> last = RecallChartBrowserIT.series(browser, "mf/trainer-0 window recall@10").get(2);
                        assertThat(last.get(0)).isEqualTo(3 * day);
                        assertThat((Double) last.get(1)).isCloseTo(0.15, org.assertj.core.api.Assertions.within(1e-9));
                        // One colour per family: the two families' curves are told apart at a glance.
                        assertThat(color(browser, "mf/trainer-0 window RMSE")).isNotEqualTo(color(browser, "popular/trainer-0 window RMSE"))
                                .isEqualTo(color(browser, "mf/trainer-0 window recall@10"));
                        // The tiles are the default family's alone (mixed with popular's 0.08 they would read 0.115).
                        assertThat(browser.eval("document.getElementById('t-recall').textContent")).isEqualTo("0.150");
                        // The user's list of each family, side by side.
                        assertThat(browser.eval("document.getElementById('userLists').classList.contains('several')")).isEqualTo(true);
                        assertThat(titles(browser, "userLists .modelCol h4")).containsExactly("mf", "popular");
                        assertThat(titles(browser, "userRecs-popular li .title")).hasSize(10)
                                .startsWith("item 1", "item 3", "item 4");
                        List<String> mfTitles = titles(browser, "userRecs li .title");
                        assertThat(mfTitles).hasSize(10).doesNotContain("item 2");
                        assertThat(mfTitles.subList(0, 3)).allMatch(x -> Long.parseLong(x.substring(5)) % 2 == 0);
                    });
                }
            }
        }
    }

    private static Object color(HeadlessChromium browser, String label) {
        return browser.eval("Chart.getChart('rmseChart').data.datasets.find(d => d.label === arguments[0]).borderColor", label);
    }

    @SuppressWarnings("unchecked")
    private static List<String> titles(HeadlessChromium browser, String selector) {
        String css = "#" + selector;
        return (List<String>) browser.eval("Array.from(document.querySelectorAll(arguments[0])).map(e => e.textContent)", css);
    }

    private static void publish(TopologyTestDriver driver, String topic, OnlineModel model, RowTable users, RowTable items) {
        var f = TOPICS.factors();
        TestInputTopic<FactorKey, FactorRow> in = driver.createInputTopic(topic, f.keySerde().serializer(),
                f.valueSerde().serializer());
        in.pipeInput(FactorKey.GLOBAL, new FactorRow(1, (float) model.global().mean(), model.globalOutputVector(), 0));
        items.forEach((id, row) -> in.pipeInput(FactorKey.item(id), model.layout().toFactorRow(row, 1, 0)));
        users.forEach((id, row) -> in.pipeInput(FactorKey.user(id), model.layout().toFactorRow(row, 1, 0)));
    }
}
