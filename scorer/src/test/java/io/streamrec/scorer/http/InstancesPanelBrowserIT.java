package io.streamrec.scorer.http;

import io.streamrec.common.config.Settings;
import io.streamrec.common.config.StreamrecConfig;
import io.streamrec.common.topic.Topics;
import io.streamrec.scorer.RecommendationService;
import io.streamrec.scorer.ScorerMetrics;
import io.streamrec.scorer.ScorerOptions;
import io.streamrec.scorer.ScorerTopology;
import io.streamrec.scorer.StoreProvider;
import io.streamrec.scorer.UserRouting;
import io.streamrec.scorer.index.ItemIndex;
import io.streamrec.scorer.stream.ChangedUsers;
import io.streamrec.scorer.stream.MetricsHistory;
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
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard's scorer-instances card in real headless Chromium: it lists every instance /health names with the
 * user partitions it owns and keeps standby, marks the one serving the page, and follows a rebalance.
 */
class InstancesPanelBrowserIT {

    static final Topics TOPICS = new Topics("instances.");

    @TempDir
    Path dataDir;

    @Test
    void theCardListsEachInstanceWithItsPartitionsAndFollowsARebalance() throws Exception {
        Assumptions.assumeTrue(HeadlessChromium.available(), HeadlessChromium.MISSING);
        ScorerMetrics metrics = new ScorerMetrics();
        ItemIndex index = new ItemIndex();
        MetricsHistory history = new MetricsHistory(100);
        ScorerOptions options = ScorerOptions.defaults("instances-test", dataDir).withUserPartitions(4);
        StreamrecConfig config = StreamrecConfig.from(Settings.builder().put("bootstrap.servers", "127.0.0.1:1", "test").build());
        AtomicReference<List<UserRouting.Instance>> instances = new AtomicReference<>(List.of(
                new UserRouting.Instance("127.0.0.1:9101", List.of(2, 0), List.of(1), true),
                new UserRouting.Instance("127.0.0.1:9102", List.of(1, 3), List.of(0), false)));
        try (TopologyTestDriver driver = new TopologyTestDriver(ScorerTopology.buildTopology(TOPICS, options, index,
                new ChangedUsers(1), history, metrics), ScorerTopology.config(config, options, metrics))) {
            StoreProvider stores = new StoreProvider() {
                @Override
                public <K, V> ReadOnlyKeyValueStore<K, V> store(String name) {
                    return driver.getKeyValueStore(name);
                }
            };
            DashboardEvents events = new DashboardEvents(Map::of, history, Set.of());
            try (ScorerHttpServer server = new ScorerHttpServer(new RecommendationService(index, stores, history, options), metrics,
                    () -> new ScorerHttpServer.Health(true, "UP", "RUNNING", 0, -1, 0, 0, 0.0).withInstances(instances.get()),
                    events).start("127.0.0.1", 0);
                 HeadlessChromium browser = HeadlessChromium.open("http://127.0.0.1:" + server.port() + "/", 1400, 1400)) {
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    assertThat(rows(browser)).containsExactly(
                            List.of("127.0.0.1:9101", "0, 2", "1", "this page"),
                            List.of("127.0.0.1:9102", "1, 3", "0", ""));
                    assertThat(browser.text("document.getElementById('instancesNote').textContent"))
                            .isEqualTo("2 instances, 4 user partitions owned");
                });
                // The other instance is gone: after the rebalance this one owns everything (the card polls /health).
                instances.set(List.of(new UserRouting.Instance("127.0.0.1:9101", List.of(0, 1, 2, 3), List.of(), true)));
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(rows(browser))
                        .containsExactly(List.of("127.0.0.1:9101", "0, 1, 2, 3", "–", "this page")));
            }
        }
    }

    @SuppressWarnings("unchecked")
    static List<List<String>> rows(HeadlessChromium browser) {
        return (List<List<String>>) browser.eval("Array.from(document.querySelectorAll('#instances tbody tr'))"
                + ".map(tr => Array.from(tr.cells).map(td => td.textContent))");
    }
}
