package io.streamrec.scorer.http;

import io.streamrec.common.config.Settings;
import io.streamrec.common.config.StreamrecConfig;
import io.streamrec.common.event.DriftState;
import io.streamrec.common.event.PrequentialMetrics;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard's RMSE chart in real headless Chromium (Selenium + Debian's chromedriver), fed prequential reports
 * out of event-time order through the real topology: from two trainer subtasks, interleaved, with event times going
 * back and repeated (a restarted trainer re-reporting), both in the history the page loads and live over SSE. Every
 * series must be one source's reports, strictly increasing in event time, one point per event time with the newest
 * report's value, none lost.
 */
class RmseChartBrowserIT {

    static final Topics TOPICS = new Topics("chart.");

    @TempDir
    Path dataDir;

    /** What each series must show: source → event time → newest window RMSE reported for it. */
    final Map<String, TreeMap<Long, Double>> expected = new TreeMap<>();

    void report(TestInputTopic<String, PrequentialMetrics> topic, String source, long eventTimeMs, double windowRmse) {
        topic.pipeInput(source, new PrequentialMetrics(source, eventTimeMs, System.currentTimeMillis(), eventTimeMs / 10, 100,
                windowRmse, windowRmse * 0.8, windowRmse + 0.1, windowRmse * 0.8, 0, 1000, DriftState.STABLE, 0));
        expected.computeIfAbsent(source, s -> new TreeMap<>()).put(eventTimeMs, windowRmse);
    }

    @Test
    void eachSourceIsPlottedInEventTimeOrderWithoutDuplicates() throws Exception {
        Assumptions.assumeTrue(HeadlessChromium.available(), HeadlessChromium.MISSING);
        ScorerMetrics metrics = new ScorerMetrics();
        ItemIndex index = new ItemIndex();
        MetricsHistory history = new MetricsHistory(1000);
        ScorerOptions options = ScorerOptions.defaults("chart-test", dataDir).withUserPartitions(1);
        StreamrecConfig config = StreamrecConfig.from(Settings.builder().put("bootstrap.servers", "127.0.0.1:1", "test").build());
        try (TopologyTestDriver driver = new TopologyTestDriver(ScorerTopology.buildTopology(TOPICS, options, index,
                new ChangedUsers(1), history, metrics), ScorerTopology.config(config, options, metrics))) {
            TestInputTopic<String, PrequentialMetrics> reports = driver.createInputTopic(TOPICS.metrics().name(),
                    new StringSerializer(), TOPICS.metrics().valueSerde().serializer());
            long day = 86_400_000L;
            // Before the page loads (it reads /metrics/rmse): two subtasks interleaved, each going back in event time.
            report(reports, "trainer-0", 10 * day, 1.20);
            report(reports, "trainer-1", 11 * day, 1.25);
            report(reports, "trainer-0", 12 * day, 1.10);
            report(reports, "trainer-0", 11 * day, 1.15);
            report(reports, "trainer-1", 9 * day, 1.30);
            report(reports, "trainer-0", 12 * day, 1.05); // the same event time again: the newest report wins

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
                    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertPlottedAsExpected(browser));
                    await().atMost(Duration.ofSeconds(10)).until(() -> events.clients() > 0);

                    // Live, over SSE: older event times, a repeat, and a subtask replaying after a restart.
                    report(reports, "trainer-1", 10 * day, 1.28);
                    report(reports, "trainer-0", 14 * day, 1.00);
                    report(reports, "trainer-0", 13 * day, 1.02);
                    report(reports, "trainer-0", 10 * day, 1.18); // re-reported after a restart from a checkpoint
                    report(reports, "trainer-1", 8 * day, 1.40);
                    report(reports, "trainer-1", 11 * day, 1.22);

                    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertPlottedAsExpected(browser));
                    // the cumulative lines obey the same order
                    for (String source : expected.keySet()) {
                        List<Long> cum = ((List<?>) browser.eval("Chart.getChart('rmseChart').data.datasets"
                                + ".find(d => d.label === arguments[0] + ' cumulative').data.map(p => p.x)", source))
                                .stream().map(v -> ((Number) v).longValue()).toList();
                        assertThat(cum).as(source + " cumulative").containsExactlyElementsOf(expected.get(source).keySet());
                    }
                }
            }
        }
    }

    /** Per source: strictly increasing event times, every one reported, each with its newest value. */
    void assertPlottedAsExpected(HeadlessChromium browser) {
        for (Map.Entry<String, TreeMap<Long, Double>> e : expected.entrySet()) {
            List<double[]> points = plotted(browser, e.getKey());
            List<Long> xs = points.stream().map(p -> (long) p[0]).toList();
            for (int i = 1; i < xs.size(); i++) {
                assertThat(xs.get(i)).as("%s: event time of point %d after %d", e.getKey(), i, xs.get(i - 1))
                        .isGreaterThan(xs.get(i - 1));
            }
            assertThat(xs).as(e.getKey() + " event times").containsExactlyElementsOf(e.getValue().keySet());
            assertThat(points.stream().map(p -> p[1]).toList()).as(e.getKey() + " newest RMSE per event time")
                    .containsExactlyElementsOf(e.getValue().values());
        }
    }

    /** The window-RMSE points the chart holds for one source, in the order it draws them. */
    static List<double[]> plotted(HeadlessChromium browser, String source) {
        Object raw = browser.eval("(() => { const c = Chart.getChart('rmseChart'); if (!c) { return []; }"
                + " const d = c.data.datasets.find(d => d.label === arguments[0] + ' window RMSE');"
                + " return d ? d.data.map(p => [p.x, p.y]) : []; })()", source);
        List<double[]> out = new ArrayList<>();
        for (Object p : (List<?>) raw) {
            List<?> xy = (List<?>) p;
            out.add(new double[]{((Number) xy.get(0)).doubleValue(), ((Number) xy.get(1)).doubleValue()});
        }
        return out;
    }
}
