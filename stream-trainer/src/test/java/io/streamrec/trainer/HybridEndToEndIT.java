package io.streamrec.trainer;

import io.streamrec.common.config.StreamrecConfig;
import io.streamrec.common.event.DeadLetter;
import io.streamrec.common.event.ItemMetadata;
import io.streamrec.common.event.Rating;
import io.streamrec.common.event.RejectReason;
import io.streamrec.common.event.UserMetadata;
import io.streamrec.common.serde.JsonSerde;
import io.streamrec.model.DlPlusHyperParameters;
import io.streamrec.model.MfHyperParameters;
import io.streamrec.model.ModelKind;
import io.streamrec.model.dense.DenseCodec;
import io.streamrec.model.dense.DenseParameters;
import io.streamrec.model.features.HybridScorer;
import io.streamrec.model.features.ItemFeatures;
import io.streamrec.model.features.FeatureEncoder;
import io.streamrec.model.features.FeatureSpec;
import io.streamrec.testing.FlinkMiniCluster;
import io.streamrec.testing.KafkaBrokerExtension;
import io.streamrec.trainer.io.KafkaIo;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --model hybrid} against the embedded broker on a loopback MiniCluster: item and user metadata produced to
 * the compacted topics (with poison among them) are joined with the ratings, every rating is trained once, the
 * poison lands in the DLQ with its reason and origin, and the published {@code hybrid} weights carry feature tables
 * that learned the planted genre effect: a features-only vector of a Film-Noir item (never rated) scores above a
 * Horror one.
 */
class HybridEndToEndIT {

    @RegisterExtension
    @Order(1)
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @RegisterExtension
    @Order(2)
    static final MiniClusterExtension FLINK = FlinkMiniCluster.extension(2);

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String[] GENRES = {"Horror", "Drama", "Comedy", "Film-Noir"};
    private static final float[] EFFECT = {-1.5f, 0.3f, -0.5f, 1.4f};

    @TempDir
    Path tmp;

    private final KafkaTestSupport kafka = new KafkaTestSupport(KAFKA);

    static TrainerSettings hybrid() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(MfHyperParameters.Keys.TYPE, "hybrid");
        m.put(DlPlusHyperParameters.Keys.DIM, "8");
        m.put(DlPlusHyperParameters.Keys.HIDDEN, "8");
        return new TrainerSettings(m, 2_000, false, TrainerSettings.DEFAULT_EXCHANGE_INTERVAL_MS, false,
                TrainerSettings.DEFAULT_MAX_DIRTY_ROWS, "it-" + System.nanoTime());
    }

    static ItemMetadata meta(long item) {
        return new ItemMetadata(item, "Film " + item, List.of(GENRES[(int) (item % 4)]), 1990 + (int) (item % 10));
    }

    @Test
    void metadataIsJoinedPoisonIsDeadLetteredAndTheFeatureTablesArePublished(@InjectMiniCluster MiniCluster cluster) throws Exception {
        StreamrecConfig config = kafka.config("hybrid-");
        TrainerMain.ensureTopics(config);
        JsonSerde<ItemMetadata> items = new JsonSerde<>(ItemMetadata.class);
        JsonSerde<UserMetadata> users = new JsonSerde<>(UserMetadata.class);
        List<String> many = new ArrayList<>();
        for (int g = 0; g < 10_000; g++) {
            many.add("g" + g);
        }
        try (KafkaProducer<Long, byte[]> p = kafka.binaryProducer()) {
            for (long i = 0; i < 200; i++) {
                p.send(new ProducerRecord<>(config.topics().items().name(), i, items.encode(meta(i)))).get();
            }
            p.send(new ProducerRecord<>(config.topics().items().name(), 9_001L, "{not json".getBytes(StandardCharsets.UTF_8))).get();
            p.send(new ProducerRecord<>(config.topics().items().name(), 9_002L,
                    items.encode(new ItemMetadata(9_002, "Absurd", List.of("Drama"), 30_000)))).get();
            p.send(new ProducerRecord<>(config.topics().items().name(), 9_003L,
                    items.encode(new ItemMetadata(9_003, "Many", many, 1990)))).get();
            for (long u = 0; u < 300; u++) {
                p.send(new ProducerRecord<>(config.topics().users().name(), u,
                        users.encode(new UserMetadata(u, u % 2 == 0 ? "M" : "F", 20 + (int) (u % 40), "writer", null)))).get();
            }
            p.send(new ProducerRecord<>(config.topics().users().name(), 9_004L,
                    users.encode(new UserMetadata(9_004, "M", 4_000, null, null)))).get();
        }
        SplittableRandom rnd = new SplittableRandom(5);
        List<Rating> ratings = new ArrayList<>();
        for (int e = 0; e < 30_000; e++) {
            long item = rnd.nextInt(200);
            float r = Math.max(1f, Math.min(5f, Math.round(3.2f + EFFECT[(int) (item % 4)] + (float) rnd.nextGaussian() * 0.3f)));
            ratings.add(new Rating(rnd.nextInt(300), item, r, 1_000_000L + e));
        }
        kafka.produceBinary(config.topics().ratings().name(), ratings);

        TrainerSettings settings = hybrid();
        String fingerprint = settings.createModel().fingerprint();
        String prefix = config.topics().prefix();
        KafkaIo io = new KafkaIo(config, "tx-" + prefix);
        TrainerJob job = new TrainerJob(settings, io.ratingsSource("g-" + prefix, false), io.factorsSink(),
                io.metricsSink(), io.deadLetterSink(), null).withModels(io.modelsSink())
                .withMetadata(new TrainerJob.Metadata(io.metadataSource(config.topics().items().name(), "gi-" + prefix, false),
                        io.metadataSource(config.topics().users().name(), "gu-" + prefix, false),
                        FeatureSpec.parse(fingerprint)));
        Configuration conf = FlinkSetup.trainerConfiguration(new Configuration(), tmp.resolve("chk"), Duration.ofMillis(500),
                3, Duration.ofMillis(500), null);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        job.build(env);
        JobClient client = env.executeAsync("trainer-" + prefix);
        try {
            long trained = KafkaTestSupport.trainedCount(kafka.readUntil(config.topics().metrics().name(), WAIT,
                    recs -> KafkaTestSupport.trainedCount(recs) >= ratings.size()));
            assertThat(trained).isEqualTo(ratings.size());
            CompletedCheckpoints.awaitMore(cluster, client.getJobID(), CompletedCheckpoints.TO_COMMIT_WHAT_WAS_PROCESSED, WAIT);

            List<DeadLetter> dlq = KafkaTestSupport.deadLetters(kafka.readUntil(config.topics().ratingsDlq().name(), WAIT,
                    recs -> recs.size() >= 4));
            // Bad JSON, an absurd year, 10 k genres (over 64 KiB of JSON: too large before parsing), an absurd age.
            assertThat(dlq).extracting(DeadLetter::reason).containsExactlyInAnyOrder(RejectReason.GARBAGE,
                    RejectReason.BAD_METADATA, RejectReason.TOO_LARGE, RejectReason.BAD_METADATA);
            assertThat(dlq).extracting(DeadLetter::topic).containsOnly(config.topics().items().name(), config.topics().users().name());

            DenseParameters weights = DenseCodec.decode(KafkaTestSupport.latestWeights(
                    kafka.readToEnd(config.topics().models().name()), ModelKind.HYBRID.id()), fingerprint);
            assertThat(weights.has("hybrid.genre")).isTrue();
            assertThat(weights.has("optimizer.hybrid.genre")).as("published without optimizer state").isFalse();
            HybridScorer scorer = HybridScorer.of(weights);
            FeatureEncoder encoder = new FeatureEncoder(scorer.tower().spec());
            ItemFeatures noir = encoder.encode(new ItemMetadata(50_003, "Unseen", List.of("Film-Noir"), 1995));
            ItemFeatures horror = encoder.encode(new ItemMetadata(50_000, "Unseen", List.of("Horror"), 1995));
            float noirBias = scorer.itemVector(null, noir)[0];
            float horrorBias = scorer.itemVector(null, horror)[0];
            System.out.printf("hybrid p=1: features-only item bias Film-Noir %.3f, Horror %.3f%n", noirBias, horrorBias);
            // The id rows absorb most of the planted 2.9 gap; the feature tables learn the rest, and how much depends on
            // how many early ratings the job reads before the metadata broadcast reaches it (seen: 0.24 to over 0.3).
            // The bound keeps the direction with a margin.
            assertThat(noirBias).isGreaterThan(horrorBias + 0.15f);
        } finally {
            client.cancel().get();
        }
    }
}
