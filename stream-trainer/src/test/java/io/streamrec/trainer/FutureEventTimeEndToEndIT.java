package io.streamrec.trainer;

import io.streamrec.ingest.synthetic.SyntheticStream;
import io.streamrec.common.config.StreamrecConfig;
import io.streamrec.common.event.DeadLetter;
import io.streamrec.common.event.EventTimeBound;
import io.streamrec.common.event.FactorKey;
import io.streamrec.common.event.FactorRow;
import io.streamrec.common.event.Rating;
import io.streamrec.common.event.RejectReason;
import io.streamrec.model.MfHyperParameters;
import io.streamrec.model.ModelKind;
import io.streamrec.testing.FlinkMiniCluster;
import io.streamrec.testing.KafkaBrokerExtension;
import io.streamrec.trainer.io.KafkaIo;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A producer that sends event times in microseconds, or from a clock running ahead, used to stop the trainer for good:
 * the event time became the Kafka timestamp of the factor records, the broker refuses records more than
 * {@code log.message.timestamp.after.max.ms} (1 h) ahead, the transaction failed and every restart replayed the same
 * record. Here such records go to the DLQ or are learned with a timestamp the broker accepts, against a real broker,
 * with no restarts allowed: one failed transaction fails the test.
 */
class FutureEventTimeEndToEndIT {

    @RegisterExtension
    @Order(1)
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @RegisterExtension
    @Order(2)
    static final MiniClusterExtension FLINK = FlinkMiniCluster.extension(1);

    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path tmp;

    private final KafkaTestSupport kafka = new KafkaTestSupport(KAFKA);

    @Test
    void microsecondAndSkewedEventTimesNeverStopLearning() throws Exception {
        StreamrecConfig config = kafka.config("future-");
        TrainerMain.ensureTopics(config);
        String ratings = config.topics().ratings().name();
        long now = System.currentTimeMillis();
        long twelveHoursAhead = now + Duration.ofHours(12).toMillis();
        long fourDaysAhead = now + Duration.ofDays(4).toMillis();
        try (KafkaProducer<String, String> p = new KafkaProducer<>(KAFKA.producerConfig(), new StringSerializer(), new StringSerializer())) {
            // First, so every good record behind it depends on the job surviving it.
            p.send(new ProducerRecord<>(ratings, json(900, 1, 4.0f, now * 1000))).get();
            p.send(new ProducerRecord<>(ratings, json(901, 1, 4.0f, fourDaysAhead))).get();
            // Within the accepted bound (1 d) but beyond what the broker accepts as a record timestamp (1 h): learned,
            // and the factor records it produces must still carry a timestamp the broker takes.
            p.send(new ProducerRecord<>(ratings, json(902, 2, 3.5f, twelveHoursAhead))).get();
        }
        List<Rating> good = SyntheticStream.planted(2000, 40, 50, 5);
        kafka.produceBinary(ratings, good);
        long expectedTrained = good.size() + 1;

        KafkaIo io = new KafkaIo(config, "tx-future");
        TrainerSettings settings = TrainerSettings.of(ModelKind.MF, MfHyperParameters.defaults(), 200, false, false)
                .withEventTimeBound(EventTimeBound.ahead(Duration.ofDays(1)));
        TrainerJob job = new TrainerJob(settings, io.ratingsSource("g-future", false), io.factorsSink(), io.metricsSink(),
                io.deadLetterSink(), null);
        // No restarts: a refused transaction must fail this test, not be retried into a pass.
        Configuration conf = FlinkSetup.trainerConfiguration(new Configuration(), tmp.resolve("chk"), Duration.ofMillis(500),
                0, Duration.ofMillis(100), null);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        job.build(env);
        JobClient client = env.executeAsync("trainer-future");
        try {
            List<ConsumerRecord<byte[], byte[]>> metrics = kafka.readUntil(config.topics().metrics().name(), WAIT,
                    recs -> KafkaTestSupport.trainedCount(recs) >= expectedTrained
                            || jobEnded(client));
            assertThat(client.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
            assertThat(KafkaTestSupport.trainedCount(metrics)).isEqualTo(expectedTrained);

            List<DeadLetter> dlq = KafkaTestSupport.deadLetters(kafka.readUntil(config.topics().ratingsDlq().name(), WAIT,
                    recs -> recs.size() >= 2));
            assertThat(dlq).hasSize(2).allSatisfy(d -> {
                assertThat(d.reason()).isEqualTo(RejectReason.FUTURE_TIMESTAMP);
                assertThat(d.topic()).isEqualTo(ratings);
            });
            assertThat(dlq).anySatisfy(d -> assertThat(d.detail()).contains("microseconds"));
            assertThat(dlq).anySatisfy(d -> assertThat(d.detail()).contains("4 days"));

            List<ConsumerRecord<byte[], byte[]>> factorRecords = kafka.readToEnd(config.topics().factors().name());
            Map<FactorKey, FactorRow> model = KafkaTestSupport.latestFactors(factorRecords);
            assertThat(model).containsKey(FactorKey.user(902)).doesNotContainKeys(FactorKey.user(900), FactorKey.user(901));
            assertThat(model.get(FactorKey.user(902)).eventTimeMs()).as("the row keeps its event time").isEqualTo(twelveHoursAhead);
            long readAt = System.currentTimeMillis();
            assertThat(factorRecords).allSatisfy(r -> assertThat(r.timestamp()).isLessThanOrEqualTo(readAt));
            for (Rating r : good) {
                assertThat(model).containsKey(FactorKey.user(r.user()));
            }
        } finally {
            if (!client.getJobStatus().get().isGloballyTerminalState()) {
                client.cancel().get();
            }
        }
    }

    @Test
    void recordTimestampsNeverRunAheadOfTheClock() {
        assertThat(KafkaIo.recordTimestamp(1_000, 5_000)).isEqualTo(1_000L);
        assertThat(KafkaIo.recordTimestamp(9_000, 5_000)).isEqualTo(5_000L);
        assertThat(KafkaIo.recordTimestamp(0, 5_000)).isNull();
    }

    private static boolean jobEnded(JobClient client) {
        try {
            return client.getJobStatus().get().isGloballyTerminalState();
        } catch (Exception e) {
            return true;
        }
    }

    private static String json(long user, long item, float rating, long ts) {
        return String.format(Locale.ROOT, "{\"user\":%d,\"item\":%d,\"rating\":%.1f,\"ts\":%d}", user, item, rating, ts);
    }
}
