package io.streamrec.trainer;

import io.streamrec.common.config.StreamrecConfig;
import io.streamrec.common.event.FactorKey;
import io.streamrec.common.event.FactorKind;
import io.streamrec.common.event.FactorRow;
import io.streamrec.common.event.Rating;
import io.streamrec.ingest.synthetic.SyntheticStream;
import io.streamrec.model.MfHyperParameters;
import io.streamrec.model.ModelKind;
import io.streamrec.model.dense.DenseCodec;
import io.streamrec.model.dense.DenseParameters;
import io.streamrec.model.dense.UAutoRecScorer;
import io.streamrec.model.dense.UserHistory;
import io.streamrec.testing.FlinkMiniCluster;
import io.streamrec.testing.KafkaBrokerExtension;
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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --model u-autorec} through the real job (Kafka source, RocksDB keyed state holding each user's rating
 * history, exactly-once sinks) on a loopback MiniCluster: every rating trained once, user rows published as
 * histories of the configured bound, the encoder bias on the {@code models} topic under the model's fingerprint, and
 * a reader scoring from the committed topics alone ({@link UAutoRecScorer}) beating the global mean on the stream.
 * Prints the p=1 training throughput; {@code -Duautorec.it.events=1000000} measures it on 1 M events. Then the same
 * with the TaskManager killed mid-stream: exactly once, and the recovered model still learned.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UAutoRecEndToEndIT {

    @RegisterExtension
    @Order(1)
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @RegisterExtension
    @Order(2)
    static final MiniClusterExtension FLINK = FlinkMiniCluster.extension(1);

    private static final Duration WAIT = Duration.ofSeconds(300);
    private static int liveTaskManager = 0;
    private static final int HISTORY = 25;

    @TempDir
    Path tmp;

    private final KafkaTestSupport kafka = new KafkaTestSupport(KAFKA);

    private static TrainerSettings uAutoRec() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(MfHyperParameters.Keys.TYPE, "u-autorec");
        m.put("model.u-autorec.history", Integer.toString(HISTORY));
        return new TrainerSettings(m, 5_000, false, TrainerSettings.DEFAULT_EXCHANGE_INTERVAL_MS, false,
                TrainerSettings.DEFAULT_MAX_DIRTY_ROWS, "it-" + System.nanoTime());
    }

    @Test
    @Order(1)
    void uAutoRecTrainsEveryRatingOnceAndPublishesWhatAReaderScoresWith(@InjectMiniCluster MiniCluster cluster) throws Exception {
        int events = Integer.getInteger("uautorec.it.events", 100_000);
        List<Rating> ratings = SyntheticStream.planted(events, Math.max(300, events / 100), 1_000, 61);
        StreamrecConfig config = kafka.config("uautorec-");
        TrainerMain.ensureTopics(config);
        kafka.produceBinary(config.topics().ratings().name(), ratings);
        TrainerSettings settings = uAutoRec();
        String fingerprint = settings.createModel().fingerprint();

        JobClient job = start(config, settings, tmp.resolve("chk"));
        try {
            long trained = KafkaTestSupport.trainedCount(kafka.readUntil(config.topics().metrics().name(), WAIT,
                    recs -> KafkaTestSupport.trainedCount(recs) >= ratings.size()));
            assertThat(trained).isEqualTo(ratings.size());
            CompletedCheckpoints.awaitMore(cluster, job.getJobID(), CompletedCheckpoints.TO_COMMIT_WHAT_WAS_PROCESSED, WAIT);
            List<ConsumerRecord<byte[], byte[]>> metrics = kafka.readToEnd(config.topics().metrics().name());
            assertThat(KafkaTestSupport.trainedCount(metrics)).isEqualTo(ratings.size());
            System.out.printf("u-autorec p=1 (hidden 16, history %d), %,d events: %.0f events/s between the reports at 10 %% "
                    + "and the last%n", HISTORY, ratings.size(), DenseModelEndToEndIT.throughput(metrics));
            double[] rmse = publishedRmse(config, ratings, fingerprint);
            System.out.printf("u-autorec from the published state: RMSE %.4f on the last 5,000 ratings (global mean %.4f)%n",
                    rmse[0], rmse[1]);
            assertThat(rmse[0]).isLessThan(rmse[1] * 0.9);
        } finally {
            stop(job);
        }
    }

    /** Exactly-once across a TaskManager killed mid-stream: every rating trained once, the recovered model learned. */
    @Test
    @Order(2)
    void aTaskManagerKilledMidStreamLosesNothingAndDuplicatesNothing(@InjectMiniCluster MiniCluster cluster) throws Exception {
        List<Rating> ratings = SyntheticStream.planted(60_000, 300, 200, 62);
        StreamrecConfig config = kafka.config("uautorec-faulty-");
        TrainerMain.ensureTopics(config);
        int most = ratings.size() * 5 / 6;
        kafka.produceBinary(config.topics().ratings().name(), ratings.subList(0, most));
        TrainerSettings settings = uAutoRec();
        String fingerprint = settings.createModel().fingerprint();
        JobClient job = start(config, settings, tmp.resolve("faulty"));
        try {
            long committedAtKill = KafkaTestSupport.trainedCount(kafka.readUntil(config.topics().metrics().name(), WAIT,
                    recs -> KafkaTestSupport.trainedCount(recs) >= 1));
            System.out.printf("u-autorec: killing the TaskManager with %d of %d ratings committed%n", committedAtKill, ratings.size());
            Thread producer = new Thread(() -> kafka.produceBinary(config.topics().ratings().name(), ratings.subList(most, ratings.size())));
            producer.start();
            cluster.terminateTaskManager(liveTaskManager).get();
            cluster.startTaskManager();
            liveTaskManager++;
            producer.join();
            long trained = KafkaTestSupport.trainedCount(kafka.readUntil(config.topics().metrics().name(), WAIT,
                    recs -> KafkaTestSupport.trainedCount(recs) >= ratings.size()));
            assertThat(trained).isEqualTo(ratings.size());
            CompletedCheckpoints.awaitMore(cluster, job.getJobID(), CompletedCheckpoints.TO_COMMIT_WHAT_WAS_PROCESSED, WAIT);
            assertThat(KafkaTestSupport.trainedCount(kafka.readToEnd(config.topics().metrics().name()))).isEqualTo(ratings.size());
            double[] rmse = publishedRmse(config, ratings, fingerprint);
            System.out.printf("u-autorec after the kill, from the published state: RMSE %.4f (global mean %.4f)%n", rmse[0], rmse[1]);
            assertThat(rmse[0]).isLessThan(rmse[1] * 0.9);
        } finally {
            stop(job);
        }
    }

    private JobClient start(StreamrecConfig config, TrainerSettings settings, Path checkpoints) throws Exception {
        TrainerMain.ensureTopics(config);
        String prefix = config.topics().prefix();
        KafkaIo io = new KafkaIo(config, "tx-" + prefix);
        TrainerJob trainer = new TrainerJob(settings, io.ratingsSource("g-" + prefix, false), io.factorsSink(),
                io.metricsSink(), io.deadLetterSink(), null).withModels(io.modelsSink());
        Configuration conf = FlinkSetup.trainerConfiguration(new Configuration(), checkpoints, Duration.ofMillis(1000),
                3, Duration.ofMillis(500), null);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        trainer.build(env);
        return env.executeAsync("trainer-" + prefix);
    }

    /**
     * [RMSE, global-mean RMSE] on the stream's last 5,000 ratings, scored as a reader would from the committed topics
     * alone: the latest encoder bias (decoded under the model's fingerprint), user histories, item rows and μ.
     */
    private double[] publishedRmse(StreamrecConfig config, List<Rating> ratings, String fingerprint) {
        List<ConsumerRecord<byte[], byte[]>> models = kafka.readToEnd(config.topics().models().name());
        DenseParameters dense = DenseCodec.decode(KafkaTestSupport.latestWeights(models, ModelKind.U_AUTOREC.id()), fingerprint);
        UAutoRecScorer scorer = new UAutoRecScorer(dense);
        Map<FactorKey, FactorRow> factors = KafkaTestSupport.latestFactors(kafka.readToEnd(config.topics().factors().name()));
        assertThat(factors.entrySet().stream().filter(e -> e.getKey().kind() == FactorKind.USER))
                .isNotEmpty().allSatisfy(e -> assertThat(e.getValue().vector()).hasSize(UserHistory.width(HISTORY)));
        float mean = factors.get(FactorKey.GLOBAL).bias();
        List<Rating> recent = ratings.subList(ratings.size() - 5_000, ratings.size());
        double se = 0;
        double seMean = 0;
        float[] code = new float[scorer.hidden()];
        java.util.function.LongFunction<float[]> items = id -> {
            FactorRow row = factors.get(FactorKey.item(id));
            return row == null ? null : row(row);
        };
        for (Rating r : recent) {
            float[] history = factors.get(FactorKey.user(r.user())).vector();
            scorer.code(history, items, mean, code);
            float p = scorer.score(code, row(factors.get(FactorKey.item(r.item()))),
                    mean + UAutoRecScorer.userOffset(history, items, mean));
            se += (p - r.rating()) * (p - r.rating());
            seMean += (mean - r.rating()) * (mean - r.rating());
        }
        return new double[]{Math.sqrt(se / recent.size()), Math.sqrt(seMean / recent.size())};
    }

    private static void stop(JobClient job) throws Exception {
        if (job.getJobStatus().get().isGloballyTerminalState()) {
            job.getJobExecutionResult().get();
        } else {
            job.cancel().get();
        }
    }

    private static float[] row(FactorRow r) {
        float[] v = r.vector();
        float[] row = new float[1 + v.length];
        row[0] = r.bias();
        System.arraycopy(v, 0, row, 1, v.length);
        return row;
    }
}
