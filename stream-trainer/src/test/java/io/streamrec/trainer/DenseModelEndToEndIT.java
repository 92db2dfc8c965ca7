package io.streamrec.trainer;

import io.streamrec.common.config.StreamrecConfig;
import io.streamrec.common.event.FactorKey;
import io.streamrec.common.event.FactorKind;
import io.streamrec.common.event.FactorRow;
import io.streamrec.common.event.PrequentialMetrics;
import io.streamrec.common.event.Rating;
import io.streamrec.common.serde.JsonSerde;
import io.streamrec.ingest.synthetic.SyntheticStream;
import io.streamrec.model.MfHyperParameters;
import io.streamrec.model.ModelKind;
import io.streamrec.model.dense.DenseCodec;
import io.streamrec.model.dense.DenseParameters;
import io.streamrec.model.dense.DlPlusScorer;
import io.streamrec.common.model.RatingOutput;
import io.streamrec.testing.FlinkMiniCluster;
import io.streamrec.testing.KafkaBrokerExtension;
import io.streamrec.trainer.exchange.DenseWeights;
import io.streamrec.trainer.exchange.ItemDeltaSerde;
import io.streamrec.trainer.io.KafkaIo;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --model dlplus} against the embedded broker on a loopback MiniCluster (RocksDB, exactly-once sinks): every
 * rating trained once, the network's weights on the {@code models} topic (decodable with the model's fingerprint)
 * beside the factor rows, and the same after a TaskManager is killed mid-stream.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DenseModelEndToEndIT {

    private static int liveTaskManager = 0;

    @RegisterExtension
    @Order(1)
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @RegisterExtension
    @Order(2)
    static final MiniClusterExtension FLINK = FlinkMiniCluster.extension(2);

    private static final Duration WAIT = Duration.ofSeconds(120);

    @TempDir
    Path tmp;

    private final KafkaTestSupport kafka = new KafkaTestSupport(KAFKA);

    static TrainerSettings dlplus() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(MfHyperParameters.Keys.TYPE, "dlplus");
        m.put("model.dim", "8");
        m.put("model.dlplus.hidden", "8");
        return new TrainerSettings(m, 2_000, false, TrainerSettings.DEFAULT_EXCHANGE_INTERVAL_MS, false,
                TrainerSettings.DEFAULT_MAX_DIRTY_ROWS, "it-" + System.nanoTime());
    }

    private JobClient start(StreamrecConfig config, TrainerSettings settings, Path checkpoints) throws Exception {
        return start(config, settings, checkpoints, 1);
    }

    private JobClient start(StreamrecConfig config, TrainerSettings settings, Path checkpoints, int parallelism) throws Exception {
        return start(config, settings, checkpoints, parallelism, null);
    }

    private JobClient start(StreamrecConfig config, TrainerSettings settings, Path checkpoints, int parallelism,
                            String savepoint) throws Exception {
        TrainerMain.ensureTopics(config);
        String prefix = config.topics().prefix();
        KafkaIo io = new KafkaIo(config, "tx-" + prefix);
        TrainerJob job = new TrainerJob(settings, io.ratingsSource("g-" + prefix, false), io.factorsSink(),
                io.metricsSink(), io.deadLetterSink(), parallelism == 1 ? null
                : new TrainerJob.ItemExchange(io.itemExchangeSource(System.currentTimeMillis() - 1000, "gx-" + prefix),
                io.itemExchangeSink())).withModels(io.modelsSink());
        Configuration conf = FlinkSetup.trainerConfiguration(new Configuration(), checkpoints, Duration.ofMillis(500),
                3, Duration.ofMillis(500), null);
        if (savepoint != null) {
            conf.set(org.apache.flink.configuration.StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
            // The item-exchange source exists only with parallelism > 1: its offsets may be left behind.
            conf.set(org.apache.flink.configuration.StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE, true);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        job.build(env);
        return env.executeAsync("trainer-" + prefix);
    }

    @Test
    @Order(1)
    void dlplusTrainsEveryRatingOnceAndPublishesItsWeightsBesideTheRows(@InjectMiniCluster MiniCluster cluster) throws Exception {
        List<Rating> ratings = SyntheticStream.planted(40_000, 300, 200, 51);
        StreamrecConfig config = kafka.config("dense-");
        TrainerMain.ensureTopics(config);
        kafka.produceBinary(config.topics().ratings().name(), ratings);
        TrainerSettings settings = dlplus();
        String fingerprint = settings.createModel().fingerprint();

        JobClient job = start(config, settings, tmp.resolve("chk"));
        try {
            assertThat(awaitTrained(config, ratings.size())).isEqualTo(ratings.size());
            CompletedCheckpoints.awaitMore(cluster, job.getJobID(), CompletedCheckpoints.TO_COMMIT_WHAT_WAS_PROCESSED, WAIT);
            List<ConsumerRecord<byte[], byte[]>> metrics = kafka.readToEnd(config.topics().metrics().name());
            assertThat(KafkaTestSupport.trainedCount(metrics)).isEqualTo(ratings.size());
            System.out.printf("dlplus p=1 (dim 8, hidden 8): %.0f events/s between the first and the last report%n",
                    throughput(metrics));
            assertModelPublished(config, ratings, fingerprint);
        } finally {
            stop(job);
        }
    }

    @Test
    @Order(2)
    void aTaskManagerKilledMidStreamLosesNothingAndDuplicatesNothing(@InjectMiniCluster MiniCluster cluster) throws Exception {
        List<Rating> ratings = SyntheticStream.planted(60_000, 300, 200, 61);
        // Two uninterrupted reference runs on the same stream: how far apart two runs land without any failure.
        Published referenceModel = uninterrupted(cluster, "dense-clean-", ratings);
        Published secondReference = uninterrupted(cluster, "dense-clean2-", ratings);

        StreamrecConfig config = kafka.config("dense-faulty-");
        TrainerMain.ensureTopics(config);
        int half = ratings.size() * 5 / 6;
        kafka.produceBinary(config.topics().ratings().name(), ratings.subList(0, half));
        TrainerSettings settings = dlplus();
        String fingerprint = settings.createModel().fingerprint();
        JobClient job = start(config, settings, tmp.resolve("faulty"));
        try {
            long committedAtKill = awaitTrained(config, 1);
            assertThat(committedAtKill).isPositive();
            System.out.printf("dlplus: killing the TaskManager with %d of %d ratings committed%n", committedAtKill, ratings.size());
            Thread producer = new Thread(() -> kafka.produceBinary(config.topics().ratings().name(), ratings.subList(half, ratings.size())));
            producer.start();
            cluster.terminateTaskManager(liveTaskManager).get();
            cluster.startTaskManager();
            liveTaskManager++;
            producer.join();

            assertThat(awaitTrained(config, ratings.size())).isEqualTo(ratings.size());
            CompletedCheckpoints.awaitMore(cluster, job.getJobID(), CompletedCheckpoints.TO_COMMIT_WHAT_WAS_PROCESSED, WAIT);
            assertThat(KafkaTestSupport.trainedCount(kafka.readToEnd(config.topics().metrics().name()))).isEqualTo(ratings.size());
            assertModelPublished(config, ratings, fingerprint);
            Published recovered = published(config);
            double refRmse = referenceModel.rmse(ratings);
            double recRmse = recovered.rmse(ratings);
            double diff = referenceModel.rmsDifference(recovered, ratings);
            double refRmse2 = secondReference.rmse(ratings);
            double refDiff = referenceModel.rmsDifference(secondReference, ratings);
            System.out.printf("dlplus two uninterrupted runs: RMSE %.4f and %.4f, prediction RMS difference %.4f%n",
                    refRmse, refRmse2, refDiff);
            double meanRmse = KafkaTestSupport.globalMeanRmse(ratings);
            System.out.printf("dlplus fault test: reference RMSE %.4f, recovered RMSE %.4f, prediction RMS difference %.4f "
                    + "(global mean RMSE %.4f)%n", refRmse, recRmse, diff, meanRmse);
            // Scored from what was published (weights + rows + GLOBAL), as a reader would. Two uninterrupted DL+ runs
            // land far apart already (batches close at other events when the stream arrives in another rhythm;
            // measured: training RMSE 0.52 and 0.66, predictions 0.39 RMS apart, while a Flink-free snapshot and
            // restore continues within 2e-5 prequential RMSE, TrainerCoreTest): so the recovered model must have
            // learned like the references did, not land near one of them.
            assertThat(refRmse).isLessThan(meanRmse * 0.9);
            assertThat(recRmse).isLessThan(meanRmse * 0.9);
            assertThat(recRmse).isLessThan(Math.max(refRmse, refRmse2) + 0.1);
        } finally {
            stop(job);
        }
    }

    private Published uninterrupted(MiniCluster cluster, String prefix, List<Rating> ratings) throws Exception {
        StreamrecConfig clean = kafka.config(prefix);
        TrainerMain.ensureTopics(clean);
        kafka.produceBinary(clean.topics().ratings().name(), ratings);
        JobClient reference = start(clean, dlplus(), tmp.resolve(prefix));
        try {
            assertThat(awaitTrained(clean, ratings.size())).isEqualTo(ratings.size());
            CompletedCheckpoints.awaitMore(cluster, reference.getJobID(), CompletedCheckpoints.TO_COMMIT_WHAT_WAS_PROCESSED, WAIT);
            return published(clean);
        } finally {
            stop(reference);
        }
    }

    /** DL+ as a reader scores it from the committed topics: the latest weights, factor rows and the GLOBAL record. */
    record Published(DlPlusScorer scorer, Map<FactorKey, FactorRow> factors, RatingOutput.Published output, double mean,
                     long steps) {

        double predict(long user, long item) {
            FactorRow u = factors.get(FactorKey.user(user));
            FactorRow i = factors.get(FactorKey.item(item));
            float x = u == null || i == null ? (u == null ? 0f : u.bias()) + (i == null ? 0f : i.bias())
                    : scorer.rowTerms(row(u), row(i));
            // DL+ publishes no output transform in its GLOBAL record yet (OnlineModel#globalOutputVector is empty):
            // a reader then serves μ + x unclamped.
            return output == null ? mean + x : output.serve(mean, x);
        }

        double rmse(List<Rating> ratings) {
            return Math.sqrt(ratings.stream().mapToDouble(r -> {
                double e = predict(r.user(), r.item()) - r.rating();
                return e * e;
            }).average().orElseThrow());
        }

        double rmsDifference(Published other, List<Rating> ratings) {
            return Math.sqrt(ratings.stream().mapToDouble(r -> {
                double d = predict(r.user(), r.item()) - other.predict(r.user(), r.item());
                return d * d;
            }).average().orElseThrow());
        }

        private static float[] row(FactorRow r) {
            float[] v = r.vector();
            float[] row = new float[1 + v.length];
            row[0] = r.bias();
            System.arraycopy(v, 0, row, 1, v.length);
            return row;
        }
    }

    private Published published(StreamrecConfig config) {
        List<ConsumerRecord<byte[], byte[]>> models = kafka.readToEnd(config.topics().models().name());
        DenseParameters weights = DenseCodec.decode(KafkaTestSupport.latestWeights(models, ModelKind.DLPLUS.id()),
                dlplus().createModel().fingerprint());
        Map<FactorKey, FactorRow> factors = KafkaTestSupport.latestFactors(kafka.readToEnd(config.topics().factors().name()));
        FactorRow global = factors.get(FactorKey.GLOBAL);
        return new Published(new DlPlusScorer(weights), factors, RatingOutput.fromGlobalVector(global.vector()), global.bias(),
                weights.steps());
    }

    @Test
    @Order(3)
    void atParallelismTwoTheSubtasksExchangeTheirWeightsAndSubtaskZeroPublishes(@InjectMiniCluster MiniCluster cluster) throws Exception {
        List<Rating> ratings = SyntheticStream.planted(40_000, 300, 200, 71);
        StreamrecConfig config = kafka.config("dense-p2-");
        TrainerMain.ensureTopics(config);
        kafka.produceBinary(config.topics().ratings().name(), ratings);
        TrainerSettings settings = dlplus().withExchange(true);
        String fingerprint = settings.createModel().fingerprint();
        JobClient job = start(config, settings, tmp.resolve("p2"), 2);
        try {
            assertThat(awaitTrained(config, ratings.size())).isEqualTo(ratings.size());
            CompletedCheckpoints.awaitMore(cluster, job.getJobID(), CompletedCheckpoints.TO_COMMIT_WHAT_WAS_PROCESSED, WAIT);
            assertThat(KafkaTestSupport.trainedCount(kafka.readToEnd(config.topics().metrics().name()))).isEqualTo(ratings.size());
            assertModelPublished(config, ratings, fingerprint);
            // Both subtasks published their weights through the exchange, decodable with the model's fingerprint.
            Map<String, DenseParameters> latest = new LinkedHashMap<>();
            for (var r : kafka.readToEnd(config.topics().itemExchange().name())) {
                if (ItemDeltaSerde.decode(r.value()) instanceof DenseWeights w) {
                    latest.put(w.origin().substring(w.origin().lastIndexOf('/') + 1), w.parameters(fingerprint));
                }
            }
            assertThat(latest).containsOnlyKeys("0", "1");
        } finally {
            stop(job);
        }
    }

    /**
     * Rescale: a savepoint of the job at parallelism 2 (two networks, each subtask's own weights and Adam state)
     * restores at parallelism 1, where the restore averages the two networks into one; training continues, every
     * rating is counted once across the two jobs, and the published model is still a learned one.
     */
    @Test
    @Order(3)
    void aSavepointTakenAtParallelismTwoRestoresAtParallelismOne(@InjectMiniCluster MiniCluster cluster) throws Exception {
        List<Rating> ratings = SyntheticStream.planted(30_000, 300, 200, 73);
        int half = ratings.size() / 2;
        StreamrecConfig config = kafka.config("dense-rescale-");
        TrainerMain.ensureTopics(config);
        kafka.produceBinary(config.topics().ratings().name(), ratings.subList(0, half));
        TrainerSettings wideSettings = dlplus().withExchange(true);
        String fingerprint = wideSettings.createModel().fingerprint();
        JobClient wide = start(config, wideSettings, tmp.resolve("wide"), 2);
        String savepoint;
        try {
            assertThat(awaitTrained(config, half)).isEqualTo(half);
            savepoint = wide.stopWithSavepoint(false, tmp.resolve("savepoints").toUri().toString(),
                    org.apache.flink.core.execution.SavepointFormatType.CANONICAL).get();
        } catch (Exception e) {
            stop(wide);
            throw e;
        }
        long stepsAtSavepoint = published(config).steps();

        kafka.produceBinary(config.topics().ratings().name(), ratings.subList(half, ratings.size()));
        JobClient narrow = start(config, dlplus(), tmp.resolve("narrow"), 1, savepoint);
        try {
            assertThat(awaitTrained(config, ratings.size())).isEqualTo(ratings.size());
            CompletedCheckpoints.awaitMore(cluster, narrow.getJobID(), CompletedCheckpoints.TO_COMMIT_WHAT_WAS_PROCESSED, WAIT);
            assertThat(KafkaTestSupport.trainedCount(kafka.readToEnd(config.topics().metrics().name()))).isEqualTo(ratings.size());
            assertModelPublished(config, ratings, fingerprint);
            Published after = published(config);
            // The restored network continued from the savepoint's steps instead of starting over.
            assertThat(after.steps()).isGreaterThan(stepsAtSavepoint);
            double meanRmse = KafkaTestSupport.globalMeanRmse(ratings);
            double rmse = after.rmse(ratings);
            System.out.printf("dlplus rescale p=2 -> p=1: RMSE %.4f (global mean %.4f), steps %d at the savepoint, %d at the end%n",
                    rmse, meanRmse, stepsAtSavepoint, after.steps());
            assertThat(rmse).isLessThan(meanRmse * 0.9);
        } finally {
            stop(narrow);
        }
    }

    /**
     * A TaskManager killed mid-stream at parallelism 2 with the exchange (weights averaged across subtasks): every
     * rating counted once after the restart, and the published model still learned.
     */
    @Test
    @Order(3)
    void atParallelismTwoAKilledTaskManagerStillCountsEveryRatingOnce(@InjectMiniCluster MiniCluster cluster) throws Exception {
        List<Rating> ratings = SyntheticStream.planted(60_000, 300, 200, 79);
        StreamrecConfig config = kafka.config("dense-faulty2-");
        TrainerMain.ensureTopics(config);
        int half = ratings.size() * 5 / 6;
        kafka.produceBinary(config.topics().ratings().name(), ratings.subList(0, half));
        TrainerSettings settings = dlplus().withExchange(true);
        JobClient job = start(config, settings, tmp.resolve("faulty2"), 2);
        try {
            assertThat(awaitTrained(config, 1)).isPositive();
            Thread producer = new Thread(() -> kafka.produceBinary(config.topics().ratings().name(), ratings.subList(half, ratings.size())));
            producer.start();
            cluster.terminateTaskManager(liveTaskManager).get();
            cluster.startTaskManager();
            liveTaskManager++;
            producer.join();
            assertThat(awaitTrained(config, ratings.size())).isEqualTo(ratings.size());
            CompletedCheckpoints.awaitMore(cluster, job.getJobID(), CompletedCheckpoints.TO_COMMIT_WHAT_WAS_PROCESSED, WAIT);
            assertThat(KafkaTestSupport.trainedCount(kafka.readToEnd(config.topics().metrics().name()))).isEqualTo(ratings.size());
            assertModelPublished(config, ratings, settings.createModel().fingerprint());
            double meanRmse = KafkaTestSupport.globalMeanRmse(ratings);
            double rmse = published(config).rmse(ratings);
            System.out.printf("dlplus fault test p=2: recovered RMSE %.4f (global mean %.4f)%n", rmse, meanRmse);
            assertThat(rmse).isLessThan(meanRmse * 0.9);
        } finally {
            stop(job);
        }
    }

    /**
     * A measurement, not a check (run with {@code -Dstreamrec.measure=true}): the trainer's rate for MF and DL+ on the
     * same pre-produced stream; steady = trainer-0's rate between its report at 10 % of its count and its last one
     * (at p=2 scaled by the share of the stream trainer-0 had).
     */
    @Test
    @Order(4)
    void throughputOfDlplusBesideMf() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Boolean.getBoolean("streamrec.measure"), "a measurement: -Dstreamrec.measure=true");
        int n = Integer.getInteger("streamrec.measure.events", 200_000);
        List<Rating> ratings = SyntheticStream.planted(n, 2_000, 1_000, 81);
        Map<String, TrainerSettings> configs = new LinkedHashMap<>();
        Map<String, String> full = new LinkedHashMap<>();
        full.put(MfHyperParameters.Keys.TYPE, "dlplus");
        TrainerSettings dlDefault = new TrainerSettings(full, n / 20, false, TrainerSettings.DEFAULT_EXCHANGE_INTERVAL_MS,
                false, TrainerSettings.DEFAULT_MAX_DIRTY_ROWS, "m");
        TrainerSettings mf = TrainerSettings.of(ModelKind.MF, MfHyperParameters.defaults(), n / 20, false, false);
        // MF first and last: the first job of the JVM pays for JIT and class loading.
        configs.put("p1 mf (default)", mf);
        configs.put("p1 dlplus (dim 8, hidden 8)", withMetricsEvery(dlplus(), n / 20));
        configs.put("p1 dlplus (default: dim 32, hidden 32)", dlDefault);
        configs.put("p2x dlplus (default: dim 32, hidden 32)", dlDefault.withExchange(true));
        configs.put("p1 mf (default), again", mf);
        int k = 0;
        for (var e : configs.entrySet()) {
            StreamrecConfig config = kafka.config("measure" + k++ + "-");
            TrainerMain.ensureTopics(config);
            kafka.produceBinary(config.topics().ratings().name(), ratings);
            long t0 = System.nanoTime();
            JobClient job = start(config, e.getValue(), tmp.resolve("m" + k), e.getKey().startsWith("p2") ? 2 : 1);
            try {
                assertThat(awaitTrained(config, n)).isEqualTo(n);
                double wall = (System.nanoTime() - t0) / 1e9;
                List<ConsumerRecord<byte[], byte[]>> metrics = kafka.readToEnd(config.topics().metrics().name());
                JsonSerde<PrequentialMetrics> serde = new JsonSerde<>(PrequentialMetrics.class);
                Map<String, PrequentialMetrics> last = KafkaTestSupport.latestMetrics(metrics);
                double sq = 0;
                for (PrequentialMetrics m : last.values()) {
                    sq += m.count() * m.cumulativeRmse() * m.cumulativeRmse();
                }
                double steady = e.getKey().startsWith("p2") ? throughput(metrics) * n / last.get("trainer-0").count() : throughput(metrics);
                System.out.printf("MEASURE %s %d events: end-to-end %.0f events/s (%.1f s), steady %.0f events/s, "
                        + "prequential RMSE %.4f%n", e.getKey(), n, n / wall, wall, steady, Math.sqrt(sq / n));
            } finally {
                stop(job);
            }
        }
    }

    private static TrainerSettings withMetricsEvery(TrainerSettings s, long every) {
        return new TrainerSettings(s.hyperSettings(), every, s.exchangeItems(), s.exchangeIntervalMs(), s.emitEveryBatch(),
                s.maxDirtyRows(), s.runId());
    }

    private void assertModelPublished(StreamrecConfig config, List<Rating> ratings, String fingerprint) {
        List<ConsumerRecord<byte[], byte[]>> models = kafka.readToEnd(config.topics().models().name());
        // DL+'s weights, beside tombstones retiring every other family's.
        DenseParameters weights = DenseCodec.decode(KafkaTestSupport.latestWeights(models, ModelKind.DLPLUS.id()), fingerprint);
        assertThat(weights.fingerprint()).isEqualTo(fingerprint);
        assertThat(weights.tensors()).noneMatch(t -> t.name().startsWith(DenseParameters.OPTIMIZER_STATE_PREFIX));
        assertThat(weights.steps()).isPositive();

        Map<FactorKey, FactorRow> factors = KafkaTestSupport.latestFactors(kafka.readToEnd(config.topics().factors().name()));
        Set<Long> users = ratings.stream().map(Rating::user).collect(Collectors.toSet());
        Set<Long> items = ratings.stream().map(Rating::item).collect(Collectors.toSet());
        assertThat(factors.keySet().stream().filter(k -> k.kind() == FactorKind.USER).map(FactorKey::id))
                .containsExactlyInAnyOrderElementsOf(users);
        assertThat(factors.keySet().stream().filter(k -> k.kind() == FactorKind.ITEM).map(FactorKey::id))
                .containsExactlyInAnyOrderElementsOf(items);
        assertThat(factors).containsKey(FactorKey.GLOBAL);
    }

    /** Events per second of trainer-0 between its report at 10 % of its count and its last report (startup excluded). */
    static double throughput(List<ConsumerRecord<byte[], byte[]>> metricRecords) {
        JsonSerde<PrequentialMetrics> serde = new JsonSerde<>(PrequentialMetrics.class);
        List<PrequentialMetrics> reports = metricRecords.stream().map(r -> serde.decode(r.value()))
                .filter(m -> m.source().equals("trainer-0")).toList();
        long total = reports.get(reports.size() - 1).count();
        PrequentialMetrics first = reports.stream().filter(m -> m.count() >= total / 10).findFirst().orElseThrow();
        PrequentialMetrics last = reports.get(reports.size() - 1);
        return (last.count() - first.count()) * 1000.0 / Math.max(1, last.wallTimeMs() - first.wallTimeMs());
    }

    private long awaitTrained(StreamrecConfig config, long expected) {
        return KafkaTestSupport.trainedCount(kafka.readUntil(config.topics().metrics().name(), WAIT,
                recs -> KafkaTestSupport.trainedCount(recs) >= expected));
    }

    private static void stop(JobClient job) throws Exception {
        if (job.getJobStatus().get().isGloballyTerminalState()) {
            job.getJobExecutionResult().get();
        } else {
            job.cancel().get();
        }
    }
}
