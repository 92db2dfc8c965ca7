package io.streamrec.trainer;

import io.streamrec.ingest.synthetic.SyntheticStream;
import io.streamrec.common.config.StreamrecConfig;
import io.streamrec.common.event.DeadLetter;
import io.streamrec.common.event.FactorKey;
import io.streamrec.common.event.FactorKind;
import io.streamrec.common.event.FactorRow;
import io.streamrec.common.model.RatingOutput;
import io.streamrec.common.event.Rating;
import io.streamrec.common.event.RejectReason;
import io.streamrec.common.serde.RatingSerde;
import io.streamrec.model.MfHyperParameters;
import io.streamrec.model.ModelKind;
import io.streamrec.testing.FlinkMiniCluster;
import io.streamrec.testing.KafkaBrokerExtension;
import io.streamrec.trainer.io.KafkaIo;
import io.streamrec.trainer.io.RatingParser;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole trainer against the embedded Kafka broker on a loopback MiniCluster with RocksDB and exactly-once sinks:
 * binary and plain-JSON ratings in, factors and metrics out, every kind of poison into the DLQ; and a TaskManager
 * killed mid-stream.
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class TrainerKafkaEndToEndIT {

    /**
     * Index of the live TaskManager: MiniCluster keeps terminated ones in its list, so each failure test kills this one
     * and the replacement it starts is appended after it.
     */
    private static int liveTaskManager = 0;

    @RegisterExtension
    @Order(1)
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    @Order(2)
    static final MiniClusterExtension FLINK = new MiniClusterExtension(() -> new MiniClusterResourceConfiguration.Builder()
            .setConfiguration(REPORTER.addToConfiguration(FlinkMiniCluster.loopbackConfiguration()))
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path tmp;

    private final KafkaTestSupport kafka = new KafkaTestSupport(KAFKA);

    private JobClient start(StreamrecConfig config, int parallelism, boolean exchange, Path checkpoints) throws Exception {
        return start(config, parallelism, exchange, checkpoints, null);
    }

    private JobClient start(StreamrecConfig config, int parallelism, boolean exchange, Path checkpoints, String savepoint)
            throws Exception {
        TrainerMain.ensureTopics(config);
        String prefix = config.topics().prefix();
        KafkaIo io = new KafkaIo(config, "tx-" + prefix);
        TrainerSettings settings = TrainerSettings.of(ModelKind.MF, MfHyperParameters.defaults(), 500, exchange, false);
        TrainerJob job = new TrainerJob(settings, io.ratingsSource("g-" + prefix, false), io.factorsSink(),
                io.metricsSink(), io.deadLetterSink(),
                exchange ? new TrainerJob.ItemExchange(io.itemExchangeSource(System.currentTimeMillis() - 1000, "gx-" + prefix),
                        io.itemExchangeSink()) : null);
        Configuration conf = FlinkSetup.trainerConfiguration(new Configuration(), checkpoints, Duration.ofMillis(500),
                3, Duration.ofMillis(500), null);
        if (savepoint != null) {
            conf.set(org.apache.flink.configuration.StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
            // The item-exchange source exists only with parallelism > 1: its offsets may be left behind.
            conf.set(org.apache.flink.configuration.StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE, true);
        }
        // Write every state file out (no inlining of small ones into _metadata), so the RocksDB check below can see them.
        conf.set(org.apache.flink.configuration.CheckpointingOptions.FS_SMALL_FILE_THRESHOLD, org.apache.flink.configuration.MemorySize.ZERO);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        job.build(env);
        return env.executeAsync("trainer-" + prefix);
    }

    private long awaitTrained(StreamrecConfig config, long expected) {
        List<ConsumerRecord<byte[], byte[]>> metrics = kafka.readUntil(config.topics().metrics().name(), WAIT,
                recs -> KafkaTestSupport.trainedCount(recs) >= expected);
        return KafkaTestSupport.trainedCount(metrics);
    }

    @Test
    @Order(1) // before the failure tests, so it runs on the cluster's original TaskManager and its counters
    void ratingsInFactorsAndMetricsOutPoisonToTheDeadLetterQueue() throws Exception {
        StreamrecConfig config = kafka.config("e2e-");
        TrainerMain.ensureTopics(config);
        String ratingsTopic = config.topics().ratings().name();
        List<Rating> binary = SyntheticStream.planted(3000, 60, 80, 21);
        List<Rating> json = SyntheticStream.planted(200, 60, 80, 22);
        kafka.produceBinary(ratingsTopic, binary);
        try (KafkaProducer<String, String> p = new KafkaProducer<>(KAFKA.producerConfig(), new StringSerializer(), new StringSerializer())) {
            for (Rating r : json) {
                p.send(new ProducerRecord<>(ratingsTopic, String.format(java.util.Locale.ROOT,
                        "{\"user\":%d,\"item\":%d,\"rating\":%.1f,\"ts\":%d}", r.user(), r.item(), r.rating(), r.timestampMs())));
            }
            // Plain-text poison a console producer could send.
            p.send(new ProducerRecord<>(ratingsTopic, "{\"user\":1,\"item\":2,\"rating\":\"NaN\",\"ts\":3}"));
            p.send(new ProducerRecord<>(ratingsTopic, "{\"user\":1,\"item\":"));
            p.send(new ProducerRecord<>(ratingsTopic, "hello, trainer"));
        }
        RatingSerde serde = new RatingSerde();
        byte[] unknownVersion = serde.encode(new Rating(1, 2, 3f, 4L));
        unknownVersion[0] = 9;
        byte[] huge = new byte[1_000_000];
        Arrays.fill(huge, (byte) 0x01);
        List<byte[]> binaryPoison = List.of(
                new byte[]{(byte) 0xfe, 0x00, 0x13, 0x37},
                unknownVersion,
                serde.encode(new Rating(1, 2, Float.NaN, 4L)),
                serde.encode(new Rating(1, 2, Float.NEGATIVE_INFINITY, 4L)),
                serde.encode(new Rating(1, 2, 11f, 4L)),
                serde.encode(new Rating(-5, 2, 3f, 4L)),
                serde.encode(new Rating(5, -2, 3f, 4L)),
                huge);
        try (KafkaProducer<Long, byte[]> p = kafka.binaryProducer()) {
            for (byte[] b : binaryPoison) {
                p.send(new ProducerRecord<>(ratingsTopic, 1L, b)).get();
            }
        }
        Map<RejectReason, Long> expectedReasons = new EnumMap<>(Map.of(
                RejectReason.BAD_RATING, 3L, RejectReason.MALFORMED_JSON, 1L, RejectReason.GARBAGE, 2L,
                RejectReason.UNKNOWN_VERSION, 1L, RejectReason.RATING_OUT_OF_SCALE, 1L, RejectReason.BAD_ID, 2L,
                RejectReason.TOO_LARGE, 1L));
        long poisonCount = expectedReasons.values().stream().mapToLong(Long::longValue).sum();
        long valid = binary.size() + json.size();

        Path checkpoints = tmp.resolve("chk");
        JobClient job = start(config, 2, true, checkpoints);
        try {
            assertThat(awaitTrained(config, valid)).isEqualTo(valid);
            List<DeadLetter> dlq = KafkaTestSupport.deadLetters(kafka.readUntil(config.topics().ratingsDlq().name(), WAIT,
                    recs -> recs.size() >= poisonCount));
            assertThat(dlq.stream().collect(Collectors.groupingBy(DeadLetter::reason, () -> new EnumMap<>(RejectReason.class),
                    Collectors.counting()))).isEqualTo(expectedReasons);
            assertThat(dlq).allSatisfy(d -> {
                assertThat(d.topic()).isEqualTo(ratingsTopic);
                assertThat(d.partition()).isBetween(0, 1);
                assertThat(d.offset()).isNotNegative();
                assertThat(d.detail()).isNotBlank();
                assertThat(d.original()).isNotEmpty();
            });
            assertThat(dlq.stream().filter(d -> d.reason() == RejectReason.TOO_LARGE).findFirst().orElseThrow().original())
                    .hasSize(RatingParser.MAX_ORIGINAL_BYTES);
            assertThat(dlq.stream().filter(d -> d.reason() == RejectReason.GARBAGE).map(d -> new String(d.original(), StandardCharsets.UTF_8)))
                    .contains("hello, trainer");

            Map<FactorKey, FactorRow> factors = finalModel(config);
            List<Rating> all = new ArrayList<>(binary);
            all.addAll(json);
            Set<Long> users = all.stream().map(Rating::user).collect(Collectors.toSet());
            Set<Long> items = all.stream().map(Rating::item).collect(Collectors.toSet());
            assertThat(factors.keySet().stream().filter(k -> k.kind() == FactorKind.USER).map(FactorKey::id))
                    .containsExactlyInAnyOrderElementsOf(users);
            assertThat(factors.keySet().stream().filter(k -> k.kind() == FactorKind.ITEM).map(FactorKey::id))
                    .containsExactlyInAnyOrderElementsOf(items);
            assertThat(factors.get(FactorKey.GLOBAL).bias()).isBetween(2.5f, 4.5f);
            factors.forEach((k, r) -> assertThat(r.dim()).as(k.toString())
                    .isEqualTo(k.kind() == FactorKind.GLOBAL ? RatingOutput.GLOBAL_LAYOUT_LENGTH : MfHyperParameters.DEFAULT_DIM));
            // The GLOBAL row tells the scorer how predictions are output: no sigmoid by default, clamped into the
            // default 0..5 scale narrowed to the ratings seen.
            RatingOutput.Published output = RatingOutput.fromGlobalVector(factors.get(FactorKey.GLOBAL).vector());
            assertThat(output.output().sigmoid()).isFalse();
            double minSeen = all.stream().mapToDouble(Rating::rating).min().orElseThrow();
            double maxSeen = all.stream().mapToDouble(Rating::rating).max().orElseThrow();
            assertThat((double) output.clampMin()).isBetween(Math.max(0, minSeen), 5.0);
            assertThat((double) output.clampMax()).isBetween((double) output.clampMin(), Math.min(5, maxSeen));
            // The model learned something: better than predicting the global mean on what it saw.
            double mean = all.stream().mapToDouble(Rating::rating).average().orElseThrow();
            double meanRmse = Math.sqrt(all.stream().mapToDouble(r -> (r.rating() - mean) * (r.rating() - mean)).average().orElseThrow());
            assertThat(KafkaTestSupport.trainingRmse(factors, all)).isLessThan(meanRmse * 0.9);

            // Flink metrics count the same.
            Map<String, Long> counters = counters("trainer-" + config.topics().prefix());
            assertThat(sumEndingWith(counters, "ratings.accepted")).isEqualTo(valid);
            for (var e : expectedReasons.entrySet()) {
                assertThat(sumEndingWith(counters, "ratings.rejected." + e.getKey())).as(e.getKey().name()).isEqualTo(e.getValue());
            }
            // The metrics records are format 2 and carry the ranking figures (default user panel and interval).
            List<ConsumerRecord<byte[], byte[]>> reports = kafka.readToEnd(config.topics().metrics().name());
            assertThat(reports).isNotEmpty().allSatisfy(r -> assertThat(new String(r.value(),
                    java.nio.charset.StandardCharsets.UTF_8)).startsWith("{\"v\":2,"));
            assertThat(KafkaTestSupport.latestMetrics(reports).values()).allSatisfy(m -> {
                assertThat(m.ranking()).isNotNull();
                assertThat(m.ranking().userPanel()).isEqualTo(TrainerSettings.DEFAULT_RANKING_USER_PANEL);
                assertThat(m.ranking().sampleEvery()).isEqualTo(TrainerSettings.DEFAULT_RANKING_EVERY);
            });
            // RocksDB with incremental checkpoints: shared .sst files under the checkpoint directory.
            try (Stream<Path> files = Files.walk(checkpoints)) {
                assertThat(files.filter(f -> f.toString().contains("/shared/")).count()).isPositive();
            }
        } finally {
            stop(job);
        }
    }

    @Test
    void aTaskManagerKilledMidStreamLosesNothingAndDuplicatesNothing(@InjectMiniCluster MiniCluster cluster) throws Exception {
        List<Rating> ratings = SyntheticStream.planted(120_000, 300, 200, 31);
        StreamrecConfig clean = kafka.config("clean-");
        TrainerMain.ensureTopics(clean);
        kafka.produceBinary(clean.topics().ratings().name(), ratings);

        // The uninterrupted reference run. Parallelism 1: without the item exchange the only difference between two
        // runs is where batches close (timeouts, barriers), so the models can be compared tightly.
        JobClient reference = start(clean, 1, false, tmp.resolve("clean"));
        Map<FactorKey, FactorRow> referenceModel;
        try {
            assertThat(awaitTrained(clean, ratings.size())).isEqualTo(ratings.size());
            referenceModel = finalModel(clean);
        } finally {
            stop(reference);
        }

        Map<FactorKey, FactorRow> recovered = runWithTaskManagerFailure(cluster, "faulty-", ratings, 1, false);
        double refRmse = KafkaTestSupport.trainingRmse(referenceModel, ratings);
        double recRmse = KafkaTestSupport.trainingRmse(recovered, ratings);
        double diff = KafkaTestSupport.predictionRmsDifference(referenceModel, recovered, ratings);
        System.out.printf("fault test: reference RMSE %.4f, recovered RMSE %.4f, prediction RMS difference %.4f%n",
                refRmse, recRmse, diff);
        // Stated bound: training RMSEs within 0.02 and predictions within 0.08 RMS (ratings span 0.5-5). Measured
        // here: 0.004 and 0.047 (batches close at different events when the stream arrives in a different rhythm).
        assertThat(Math.abs(refRmse - recRmse)).isLessThan(0.02);
        assertThat(diff).isLessThan(0.08);
    }

    @Test
    void withItemExchangeAtParallelismTwoAFailureStillCountsEveryRatingOnce(@InjectMiniCluster MiniCluster cluster) throws Exception {
        List<Rating> ratings = SyntheticStream.planted(60_000, 300, 200, 41);
        Map<FactorKey, FactorRow> recovered = runWithTaskManagerFailure(cluster, "faulty2-", ratings, 2, true);
        double meanRmse = KafkaTestSupport.globalMeanRmse(ratings);
        double rmse = KafkaTestSupport.trainingRmse(recovered, ratings);
        System.out.printf("fault test p=2: recovered RMSE %.4f (global mean %.4f)%n", rmse, meanRmse);
        // Exchange timing makes two p=2 runs differ more than SGD noise (see docs/notes/trainer-experiments.md), so this asserts
        // that the recovered model learned, not a distance to a reference.
        assertThat(rmse).isLessThan(meanRmse * 0.8);
    }

    @Test
    void aSavepointTakenAtParallelismTwoRestoresAtParallelismOne(@InjectMiniCluster MiniCluster cluster) throws Exception {
        List<Rating> ratings = SyntheticStream.planted(12_000, 150, 100, 71);
        int half = ratings.size() / 2;
        StreamrecConfig config = kafka.config("rescale-");
        TrainerMain.ensureTopics(config);
        kafka.produceBinary(config.topics().ratings().name(), ratings.subList(0, half));

        JobClient wide = start(config, 2, true, tmp.resolve("wide"));
        String savepoint;
        try {
            assertThat(awaitTrained(config, half)).isEqualTo(half);
            savepoint = wide.stopWithSavepoint(false, tmp.resolve("savepoints").toUri().toString(),
                    org.apache.flink.core.execution.SavepointFormatType.CANONICAL).get();
        } catch (Exception e) {
            stop(wide);
            throw e;
        }

        kafka.produceBinary(config.topics().ratings().name(), ratings.subList(half, ratings.size()));
        JobClient narrow = start(config, 1, false, tmp.resolve("narrow"), savepoint);
        try {
            // Counts continue across the rescale (subtask 0 takes over the count of the subtask that is gone).
            assertThat(awaitTrained(config, ratings.size())).isEqualTo(ratings.size());
            // Nothing counted twice: once later checkpoints have committed, the count has not moved past the input.
            CompletedCheckpoints.awaitMore(cluster, narrow.getJobID(), CompletedCheckpoints.TO_COMMIT_WHAT_WAS_PROCESSED, WAIT);
            assertThat(KafkaTestSupport.trainedCount(kafka.readToEnd(config.topics().metrics().name()))).isEqualTo(ratings.size());
            Map<FactorKey, FactorRow> model = finalModel(config);
            assertThat(model.keySet().stream().filter(k -> k.kind() == FactorKind.USER).count())
                    .isEqualTo(ratings.stream().mapToLong(Rating::user).distinct().count());
            double meanRmse = KafkaTestSupport.globalMeanRmse(ratings);
            assertThat(KafkaTestSupport.trainingRmse(model, ratings)).isLessThan(meanRmse * 0.8);
        } finally {
            stop(narrow);
        }
    }

    /**
     * Produces half the stream, waits for committed output (a completed checkpoint), kills the TaskManager while the
     * second half is being produced, lets the job restart from its checkpoint, and checks the exactly-once count.
     */
    private Map<FactorKey, FactorRow> runWithTaskManagerFailure(MiniCluster cluster, String prefix, List<Rating> ratings,
                                                                int parallelism, boolean exchange) throws Exception {
        StreamrecConfig faulty = kafka.config(prefix);
        TrainerMain.ensureTopics(faulty);
        // A backlog large enough that the first checkpoint completes while it is still being trained, so the kill
        // lands mid-stream (events after the checkpoint are replayed), and more ratings arriving during recovery.
        int half = ratings.size() * 5 / 6;
        kafka.produceBinary(faulty.topics().ratings().name(), ratings.subList(0, half));
        JobClient job = start(faulty, parallelism, exchange, tmp.resolve(prefix));
        try {
            long committedAtKill = awaitTrained(faulty, 1);
            assertThat(committedAtKill).isPositive();
            System.out.printf("%s: killing the TaskManager with %d of %d ratings committed%n", prefix, committedAtKill, ratings.size());
            Thread producer = new Thread(() -> kafka.produceBinary(faulty.topics().ratings().name(), ratings.subList(half, ratings.size())));
            producer.start();
            cluster.terminateTaskManager(liveTaskManager).get();
            cluster.startTaskManager();
            liveTaskManager++;
            producer.join();

            assertThat(awaitTrained(faulty, ratings.size())).isEqualTo(ratings.size());
            // Nothing trained twice: checkpoints later, the committed count has not moved past the input.
            CompletedCheckpoints.awaitMore(cluster, job.getJobID(), CompletedCheckpoints.TO_COMMIT_WHAT_WAS_PROCESSED, WAIT);
            assertThat(KafkaTestSupport.trainedCount(kafka.readToEnd(faulty.topics().metrics().name()))).isEqualTo(ratings.size());
            return finalModel(faulty);
        } finally {
            stop(job);
        }
    }

    /** Cancels a running job; a job that failed instead surfaces its failure here. */
    private static void stop(JobClient job) throws Exception {
        if (job.getJobStatus().get().isGloballyTerminalState()) {
            job.getJobExecutionResult().get();
        } else {
            job.cancel().get();
        }
    }

    /** The model as committed: rows are emitted and committed in the same checkpoint as the metrics that counted them. */
    private Map<FactorKey, FactorRow> finalModel(StreamrecConfig config) {
        return KafkaTestSupport.latestFactors(kafka.readToEnd(config.topics().factors().name()));
    }

    /** Counters of the job's operators, by full metric identifier. */
    private Map<String, Long> counters(String jobName) {
        // The reporter can list one counter under several groups: count each counter object once.
        Map<Counter, String> seen = new java.util.IdentityHashMap<>();
        REPORTER.getMetricsByGroup().forEach((group, metrics) -> metrics.forEach((name, m) -> {
            String id = group.getMetricIdentifier(name);
            if (m instanceof Counter c && id.contains("." + jobName + ".")) {
                seen.put(c, id);
            }
        }));
        Map<String, Long> out = new HashMap<>();
        seen.forEach((c, id) -> out.merge(id, c.getCount(), Long::sum));
        return out;
    }

    private static long sumEndingWith(Map<String, Long> counters, String suffix) {
        return counters.entrySet().stream().filter(e -> e.getKey().endsWith("." + suffix)).mapToLong(Map.Entry::getValue).sum();
    }
}
