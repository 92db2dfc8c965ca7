package io.streamrec.trainer;

import io.streamrec.common.config.StreamrecConfig;
import io.streamrec.common.event.FactorKey;
import io.streamrec.common.event.FactorKind;
import io.streamrec.common.event.FactorRow;
import io.streamrec.common.event.PrequentialMetrics;
import io.streamrec.common.event.Rating;
import io.streamrec.common.topic.ModelFamilies;
import io.streamrec.ingest.synthetic.SyntheticStream;
import io.streamrec.model.MfHyperParameters;
import io.streamrec.model.ModelKind;
import io.streamrec.testing.FlinkMiniCluster;
import io.streamrec.testing.KafkaBrokerExtension;
import io.streamrec.trainer.io.KafkaIo;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two families (mf, popular) trained side by side in one trainer job against the embedded broker, parallelism 2
 * with the item exchange: each family learns every event once, publishes its own rows on its own factors topic,
 * reports under its own metrics sources, and keeps its weights on the models topic while the families not running
 * are retired; a restore from the retained checkpoint, and a TaskManager killed mid-stream, continue both branches
 * without losing or counting an event twice.
 */
class MultiFamilyEndToEndIT {

    @RegisterExtension
    @Order(1)
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @RegisterExtension
    @Order(2)
    static final MiniClusterExtension FLINK = FlinkMiniCluster.extension(2);

    private static final Duration WAIT = Duration.ofSeconds(120);
    /** MiniCluster keeps terminated TaskManagers in its list: the one to kill is the last one started. */
    private static int liveTaskManager = 0;
    private static final ModelFamilies FAMILIES = ModelFamilies.parse("mf,popular");

    @TempDir
    Path tmp;

    private final KafkaTestSupport kafka = new KafkaTestSupport(KAFKA);

    private JobClient start(StreamrecConfig config, Path checkpoints, Path restore) throws Exception {
        TrainerMain.ensureTopics(config, FAMILIES);
        String prefix = config.topics().prefix();
        KafkaIo io = new KafkaIo(config, "tx-" + prefix);
        String run = java.util.UUID.randomUUID().toString();
        TrainerSettings mf = TrainerSettings.of(ModelKind.MF, MfHyperParameters.defaults(), 500, true, false)
                .withRunId(run).inFamilySet(FAMILIES);
        TrainerSettings popular = TrainerSettings.of(ModelKind.POPULAR, MfHyperParameters.defaults(), 500, true, false)
                .withRunId(run).inFamilySet(FAMILIES);
        TrainerJob job = new TrainerJob(mf, io.ratingsSource("g-" + prefix, false), io.factorsSink(FAMILIES, "mf"),
                io.metricsSink(), io.deadLetterSink(),
                new TrainerJob.ItemExchange(io.itemExchangeSource(System.currentTimeMillis() - 1000, "gx-" + prefix),
                        io.itemExchangeSink()))
                .withModels(io.modelsSink())
                .withFamily(popular, io.factorsSink(FAMILIES, "popular"));
        Configuration conf = FlinkSetup.trainerConfiguration(new Configuration(), checkpoints, Duration.ofMillis(500),
                3, Duration.ofMillis(500), restore);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        job.build(env);
        return env.executeAsync("multi-" + prefix);
    }

    /** The newest report of every metrics source once each family's sources together count {@code expected} events. */
    private Map<String, PrequentialMetrics> awaitTrained(StreamrecConfig config, long expected) {
        List<ConsumerRecord<byte[], byte[]>> metrics = kafka.readUntil(config.topics().metrics().name(), WAIT,
                recs -> FAMILIES.ids().stream().allMatch(f -> trained(KafkaTestSupport.latestMetrics(recs), f) >= expected));
        return KafkaTestSupport.latestMetrics(metrics);
    }

    private static long trained(Map<String, PrequentialMetrics> latest, String family) {
        return latest.values().stream().filter(m -> m.source().startsWith(family + "/"))
                .mapToLong(PrequentialMetrics::count).sum();
    }

    @Test
    void twoFamiliesLearnTheSameStreamEachWithItsOwnRowsSourcesAndWeightsAndRestoreTogether() throws Exception {
        StreamrecConfig config = kafka.config("multi-");
        TrainerMain.ensureTopics(config, FAMILIES);
        List<Rating> first = SyntheticStream.planted(6000, 80, 120, 41);
        kafka.produceBinary(config.topics().ratings().name(), first);
        Path checkpoints = tmp.resolve("chk");

        JobClient job = start(config, checkpoints, null);
        try {
            Map<String, PrequentialMetrics> latest = awaitTrained(config, first.size());
            assertThat(latest.keySet()).containsExactlyInAnyOrder("mf/trainer-0", "mf/trainer-1",
                    "popular/trainer-0", "popular/trainer-1");
            // Every event once per family, no more (the other family's exchange messages are not applied).
            assertThat(trained(latest, "mf")).isEqualTo(first.size());
            assertThat(trained(latest, "popular")).isEqualTo(first.size());
            // MF learns to predict; popular predicts the global mean, so its RMSE is the mean's.
            double meanRmse = KafkaTestSupport.globalMeanRmse(first);
            assertThat(latest.get("mf/trainer-0").cumulativeRmse()).isLessThan(latest.get("popular/trainer-0").cumulativeRmse());

            Map<FactorKey, FactorRow> mfRows = KafkaTestSupport.latestFactors(kafka.readToEnd(config.topics().factors().name()));
            Map<FactorKey, FactorRow> popularRows = KafkaTestSupport.latestFactors(
                    kafka.readToEnd(config.topics().factorsOf("popular").name()));
            Set<Long> items = first.stream().map(Rating::item).collect(Collectors.toSet());
            assertThat(itemIds(mfRows)).containsExactlyInAnyOrderElementsOf(items);
            assertThat(itemIds(popularRows)).containsExactlyInAnyOrderElementsOf(items);
            assertThat(mfRows.entrySet()).filteredOn(e -> e.getKey().kind() == FactorKind.ITEM)
                    .allSatisfy(e -> assertThat(e.getValue().dim()).isEqualTo(MfHyperParameters.DEFAULT_DIM));
            assertThat(KafkaTestSupport.trainingRmse(mfRows, first)).isLessThan(meanRmse * 0.9);
            // Popular's item bias is its rating count: the most-rated item has the largest one, on its own topic only.
            Map<Long, Long> counts = first.stream().collect(Collectors.groupingBy(Rating::item, Collectors.counting()));
            long mostRated = counts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
            long topBias = popularRows.entrySet().stream().filter(e -> e.getKey().kind() == FactorKind.ITEM)
                    .max(java.util.Comparator.comparingDouble(e -> e.getValue().bias())).orElseThrow().getKey().id();
            assertThat(counts.get(topBias)).isEqualTo(counts.get(mostRated));
            // A row is published by the subtask whose users changed it, holding the other subtask's deltas it had applied
            // by then: at most the full count, and at least about that subtask's own share of it.
            assertThat(popularRows.get(FactorKey.item(mostRated)).bias())
                    .isBetween(0.25f * counts.get(mostRated), (float) counts.get(mostRated));

            // The families not running are retired; the running ones never are.
            List<ConsumerRecord<byte[], byte[]>> models = kafka.readToEnd(config.topics().models().name());
            Map<String, Long> tombstones = models.stream().filter(r -> r.value() == null).collect(Collectors.groupingBy(
                    r -> new String(r.key(), StandardCharsets.UTF_8), Collectors.counting()));
            assertThat(tombstones.keySet()).contains(ModelKind.DLPLUS.id(), ModelKind.U_AUTOREC.id())
                    .doesNotContain("mf", "popular");
        } finally {
            job.cancel().get();
        }

        // Restore both branches from the retained checkpoint and feed more: each family ends at exactly the total.
        List<Rating> second = SyntheticStream.planted(2000, 80, 120, 42);
        kafka.produceBinary(config.topics().ratings().name(), second);
        Path restore = FlinkSetup.latestCheckpoint(checkpoints).orElseThrow();
        JobClient resumed = start(config, checkpoints, restore);
        try {
            long total = first.size() + second.size();
            Map<String, PrequentialMetrics> latest = awaitTrained(config, total);
            assertThat(trained(latest, "mf")).isEqualTo(total);
            assertThat(trained(latest, "popular")).isEqualTo(total);
        } finally {
            resumed.cancel().get();
        }
    }

    @Test
    void aTaskManagerKilledMidStreamLosesNothingAndDuplicatesNothingInEitherFamily(@InjectMiniCluster MiniCluster cluster)
            throws Exception {
        StreamrecConfig config = kafka.config("multi-kill-");
        TrainerMain.ensureTopics(config, FAMILIES);
        List<Rating> ratings = SyntheticStream.planted(60_000, 300, 200, 43);
        int head = ratings.size() * 5 / 6;
        kafka.produceBinary(config.topics().ratings().name(), ratings.subList(0, head));
        JobClient job = start(config, tmp.resolve("kill"), null);
        try {
            // Both families have committed output (a completed checkpoint) before the kill.
            awaitTrained(config, 1);
            Thread producer = new Thread(() -> kafka.produceBinary(config.topics().ratings().name(),
                    ratings.subList(head, ratings.size())));
            producer.start();
            cluster.terminateTaskManager(liveTaskManager).get();
            cluster.startTaskManager();
            liveTaskManager++;
            producer.join();

            assertThat(trained(awaitTrained(config, ratings.size()), "mf")).isEqualTo(ratings.size());
            // Nothing trained twice in either branch: checkpoints later, neither count has moved past the input.
            CompletedCheckpoints.awaitMore(cluster, job.getJobID(), CompletedCheckpoints.TO_COMMIT_WHAT_WAS_PROCESSED, WAIT);
            Map<String, PrequentialMetrics> latest = KafkaTestSupport.latestMetrics(kafka.readToEnd(config.topics().metrics().name()));
            assertThat(trained(latest, "mf")).isEqualTo(ratings.size());
            assertThat(trained(latest, "popular")).isEqualTo(ratings.size());
            Map<FactorKey, FactorRow> mfRows = KafkaTestSupport.latestFactors(kafka.readToEnd(config.topics().factors().name()));
            assertThat(KafkaTestSupport.trainingRmse(mfRows, ratings)).isLessThan(KafkaTestSupport.globalMeanRmse(ratings) * 0.9);
            assertThat(itemIds(KafkaTestSupport.latestFactors(kafka.readToEnd(config.topics().factorsOf("popular").name()))))
                    .containsExactlyInAnyOrderElementsOf(ratings.stream().map(Rating::item).collect(Collectors.toSet()));
        } finally {
            job.cancel().get();
        }
    }

    private static List<Long> itemIds(Map<FactorKey, FactorRow> rows) {
        List<Long> ids = new ArrayList<>();
        rows.keySet().stream().filter(k -> k.kind() == FactorKind.ITEM).map(FactorKey::id).forEach(ids::add);
        return ids;
    }
}
