package io.streamrec.scorer.http;

import io.streamrec.common.config.Settings;
import io.streamrec.common.config.StreamrecConfig;
import io.streamrec.common.event.DriftState;
import io.streamrec.common.event.PrequentialMetrics;
import io.streamrec.common.event.RankingMetrics;
import io.streamrec.common.topic.Topics;
import io.streamrec.scorer.RecommendationService;
import io.streamrec.scorer.ScorerMetrics;
import io.streamrec.scorer.ScorerOptions;
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
 * The dashboard's recall curve in real headless Chromium: reports carrying ranking figures draw a window-recall@10
 * series per source on the RMSE chart's right axis, a report without them (ranking off, format 1) adds no point, and
 * the tile shows the windows' recall weighted by their samples.
 */
class RecallChartBrowserIT {

    static final Topics TOPICS = new Topics("recall.");

    @TempDir
    Path dataDir;

    static void report(TestInputTopic<String, PrequentialMetrics> topic, String source, long eventTimeMs, RankingMetrics r) {
        topic.pipeInput(source, new PrequentialMetrics(source, eventTimeMs, System.currentTimeMillis(), eventTimeMs / 10, 100,
                1.0, 0.8, 1.1, 0.8, 0, 1000, DriftState.STABLE, 0, r));
    }

    static RankingMetrics recall(double windowAt10, long windowSamples) {
        return new RankingMetrics(windowSamples, 50, 20, windowSamples, windowAt10, 0.3, 0.05, 0.05, windowAt10, 0.3, 0.05, 0.05);
    }

    @Test
    void reportsWithRankingDrawARecallCurveBesideRmse() throws Exception {
        Assumptions.assumeTrue(HeadlessChromium.available(), HeadlessChromium.MISSING);
        ScorerMetrics metrics = new ScorerMetrics();
        ItemIndex index = new ItemIndex();
        MetricsHistory history = new MetricsHistory(1000);
        ScorerOptions options = ScorerOptions.defaults("recall-test", dataDir).withUserPartitions(1);
        StreamrecConfig config = StreamrecConfig.from(Settings.builder().put("bootstrap.servers", "127.0.0.1:1", "test").build());
        try (TopologyTestDriver driver = new TopologyTestDriver(ScorerTopology.buildTopology(TOPICS, options, index,
                new ChangedUsers(1), history, metrics), ScorerTopology.config(config, options, metrics))) {
            TestInputTopic<String, PrequentialMetrics> reports = driver.createInputTopic(TOPICS.metrics().name(),
                    new StringSerializer(), TOPICS.metrics().valueSerde().serializer());
            long day = 86_400_000L;
            report(reports, "trainer-0", 10 * day, recall(0.10, 100));
            report(reports, "trainer-0", 11 * day, null); // ranking off: an RMSE point, no recall point
            report(reports, "trainer-0", 12 * day, recall(0.20, 100));
            report(reports, "trainer-1", 12 * day, recall(0.40, 300));

            StoreProvider stores = new StoreProvider() {
                @Override
                public <K, V> ReadOnlyKeyValueStore<K, V> store(String name) {
                    return driver.getKeyValueStore(name);
                }
            };
            DashboardEvents events = new DashboardEvents(Map::of, history, Set.of());
            try (ScorerHttpServer server = new ScorerHttpServer(new RecommendationService(index, stores, history, options), metrics,
                    () -> new ScorerHttpServer.Health(true, "UP", "RUNNING", 0, -1, 0, 0, 0.0), events).start("127.0.0.1", 0)) {
                try (HeadlessChromium browser = HeadlessChromium.open("http://127.0.0.1:" + server.port() + "/", 1400, 1000)) {
                    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                        assertThat(series(browser, "trainer-0 window recall@10")).containsExactly(List.of(10 * day, 0.10),
                                List.of(12 * day, 0.20));
                        assertThat(series(browser, "trainer-1 window recall@10")).containsExactly(List.of(12 * day, 0.40));
                        assertThat(series(browser, "trainer-0 window RMSE")).hasSize(3);
                        assertThat(browser.eval("Chart.getChart('rmseChart').data.datasets"
                                + ".find(d => d.label === 'trainer-0 window recall@10').yAxisID")).isEqualTo("recall");
                        // (0.20 · 100 + 0.40 · 300) / 400
                        assertThat(browser.eval("document.getElementById('t-recall').textContent")).isEqualTo("0.350");
                    });
                }
            }
        }
    }

    /** One series' points as [event time, value], in drawing order. */
    static List<List<Object>> series(HeadlessChromium browser, String label) {
        Object raw = browser.eval("(() => { const c = Chart.getChart('rmseChart'); if (!c) { return []; }"
                + " const d = c.data.datasets.find(d => d.label === arguments[0]);"
                + " return d ? d.data.map(p => [p.x, p.y]) : []; })()", label);
        return ((List<?>) raw).stream().map(p -> {
            List<?> xy = (List<?>) p;
            return List.<Object>of(((Number) xy.get(0)).longValue(), ((Number) xy.get(1)).doubleValue());
        }).toList();
    }
}
