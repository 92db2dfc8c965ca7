package io.streamrec.ingest;

import io.streamrec.broker.EmbeddedKafkaBroker;
import io.streamrec.common.event.ItemMetadata;
import io.streamrec.common.event.Rating;
import io.streamrec.common.serde.JsonSerde;
import io.streamrec.common.serde.RatingSerde;
import io.streamrec.common.topic.Topics;
import io.streamrec.ingest.replay.ProgressMode;
import io.streamrec.ingest.replay.ReplayConfig;
import io.streamrec.ingest.replay.ReplaySource;
import io.streamrec.ingest.replay.ReplaySummary;
import io.streamrec.ingest.replay.Replayer;
import io.streamrec.ingest.synthetic.SyntheticConfig;
import io.streamrec.testing.KafkaBrokerExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Replays into a real embedded KRaft broker and reads everything back. */
class ReplayKafkaIT {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @TempDir
    Path tmp;

    static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrap, String topic, long expected, Duration timeout) {
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c)) {
            List<TopicPartition> parts = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            // The consumer is not thread-safe: poll it on the test thread. Each poll already blocks up to 200 ms.
            await("reading " + expected + " records of " + topic).atMost(timeout).pollInSameThread()
                    .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10))
                    .until(() -> {
                        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
                        Map<TopicPartition, Long> end = consumer.endOffsets(parts);
                        boolean atEnd = parts.stream().allMatch(p -> consumer.position(p) >= end.get(p));
                        return atEnd && out.size() >= expected;
                    });
        } catch (ConditionTimeoutException e) {
            // Return what arrived: the caller's size assertion says how much was missing.
        }
        return out;
    }

    @Test
    void replaysMl100kAndReadsBackExactlyEveryEventInEventTimeOrderPerPartition() throws Exception {
        Path dataset = StandIns.ml100k(tmp);
        Topics topics = new Topics("ml100k-");
        ReplayConfig config = ReplayConfig.of(new ReplaySource.Dataset(dataset, null), topics)
                .withPartitions(3).withProgress(ProgressMode.LOG);
        ReplaySummary summary = new Replayer(config, Replayer.producerConfig(KAFKA.bootstrapServers(), Map.of())).run();
        assertThat(summary.sent()).isEqualTo(100_000);
        assertThat(summary.nextFrom()).isEqualTo(100_000);

        List<ConsumerRecord<byte[], byte[]>> records = readAll(KAFKA.bootstrapServers(), "ml100k-ratings", 100_000, Duration.ofSeconds(60));
        assertThat(records).hasSize(100_000);
        RatingSerde serde = new RatingSerde();
        Map<Integer, Long> lastTs = new HashMap<>();
        Map<Long, Integer> perPartitionOfUser = new HashMap<>();
        long[] userSum = new long[1];
        for (ConsumerRecord<byte[], byte[]> r : records) {
            Rating rating = serde.decode(r.value());
            assertThat(ByteBuffer.wrap(r.key()).getLong()).as("key is the user id").isEqualTo(rating.user());
            long prev = lastTs.getOrDefault(r.partition(), Long.MIN_VALUE);
            assertThat(rating.timestampMs()).as("event time order in partition %d", r.partition()).isGreaterThanOrEqualTo(prev);
            lastTs.put(r.partition(), rating.timestampMs());
            Integer p = perPartitionOfUser.putIfAbsent(rating.user(), r.partition());
            assertThat(p == null || p == r.partition()).as("all of a user's events in one partition").isTrue();
            userSum[0] += rating.user() * 31 + rating.item();
        }
        assertThat(lastTs.keySet()).hasSize(3);
        // The same events as the file (not just the same count): compare a checksum over the loaded columns.
        RatingColumns expected = DatasetLoader.load(dataset).ratings();
        long expectedSum = 0;
        for (int i = 0; i < expected.sizeInt(); i++) {
            expectedSum += expected.user(i) * 31 + expected.item(i);
        }
        assertThat(userSum[0]).isEqualTo(expectedSum);

        try (Admin admin = KAFKA.broker().admin()) {
            TopicDescription d = admin.describeTopics(List.of("ml100k-ratings")).allTopicNames().get().get("ml100k-ratings");
            assertThat(d.partitions()).hasSize(3);
            var cfg = admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, "ml100k-items")))
                    .all().get().values().iterator().next();
            assertThat(cfg.get("cleanup.policy").value()).isEqualTo("compact");
        }
        long items = DatasetLoader.load(dataset).items().size();
        List<ConsumerRecord<byte[], byte[]>> meta = readAll(KAFKA.bootstrapServers(), "ml100k-items", items, Duration.ofSeconds(20));
        assertThat(meta).hasSize((int) items);
        if (items > 0) {
            ItemMetadata first = new JsonSerde<>(ItemMetadata.class).decode(meta.get(0).value());
            assertThat(first.title()).isNotBlank();
        }
    }

    @Test
    void limitAndFromResumeWithoutGapsOrOverlap() {
        SyntheticConfig c = SyntheticConfig.defaults().withSize(50, 80, 5_000);
        Topics topics = new Topics("resume-");
        Map<String, Object> pc = Replayer.producerConfig(KAFKA.bootstrapServers(), Map.of());
        ReplayConfig base = ReplayConfig.of(new ReplaySource.Synthetic(c, null), topics).withProgress(ProgressMode.NONE);
        ReplaySummary first = new Replayer(base.withRange(0, 1_200, false), pc).run();
        assertThat(first.sent()).isEqualTo(1_200);
        assertThat(first.nextFrom()).isEqualTo(1_200);
        ReplaySummary rest = new Replayer(base.withRange(first.nextFrom(), -1, false), pc).run();
        assertThat(rest.sent()).isEqualTo(3_800);
        List<ConsumerRecord<byte[], byte[]>> records = readAll(KAFKA.bootstrapServers(), "resume-ratings", 5_000, Duration.ofSeconds(30));
        Set<Long> ts = new HashSet<>();
        RatingSerde serde = new RatingSerde();
        records.forEach(r -> ts.add(serde.decode(r.value()).timestampMs()));
        assertThat(records).hasSize(5_000);
        assertThat(ts).hasSize(5_000); // every event once: synthetic event times are unique
    }

    @Test
    void rateAndSpeedupPaceTheReplay() {
        SyntheticConfig c = SyntheticConfig.defaults().withSize(20, 30, 200);
        Map<String, Object> pc = Replayer.producerConfig(KAFKA.bootstrapServers(), Map.of());
        ReplayConfig base = ReplayConfig.of(new ReplaySource.Synthetic(c, null), new Topics("paced-")).withProgress(ProgressMode.NONE);
        // 200 events at 1,000/s cannot take less than 199 ms; 199 s of event time at x1000 neither.
        ReplaySummary byRate = new Replayer(base.withPacing(1_000, 0), pc).run();
        assertThat(byRate.sent()).isEqualTo(200);
        assertThat(byRate.elapsedMs()).isGreaterThanOrEqualTo(195);
        ReplaySummary bySpeedup = new Replayer(base.withPacing(0, 1_000), pc).run();
        assertThat(bySpeedup.sent()).isEqualTo(200);
        assertThat(bySpeedup.elapsedMs()).isGreaterThanOrEqualTo(195);
    }

    @Test
    void loopShiftsEventTimesForwardAndStopFlushes() throws Exception {
        SyntheticConfig c = SyntheticConfig.defaults().withSize(20, 30, 100);
        Topics topics = new Topics("loop-");
        ReplayConfig cfg = ReplayConfig.of(new ReplaySource.Synthetic(c, null), topics)
                .withRange(0, 250, true).withProgress(ProgressMode.NONE);
        ReplaySummary s = new Replayer(cfg, Replayer.producerConfig(KAFKA.bootstrapServers(), Map.of())).run();
        assertThat(s.sent()).isEqualTo(250);
        List<ConsumerRecord<byte[], byte[]>> records = readAll(KAFKA.bootstrapServers(), "loop-ratings", 250, Duration.ofSeconds(30));
        RatingSerde serde = new RatingSerde();
        List<Long> times = records.stream().map(r -> serde.decode(r.value()).timestampMs()).sorted().toList();
        assertThat(new HashSet<>(times)).hasSize(250);
        long span = 99 * 1000L;
        assertThat(times.get(249)).isEqualTo(c.startMs() + 2 * (span + 1000) + 49 * 1000L);

        // An endless loop ends cleanly on stop(), with everything taken also acknowledged.
        ReplayConfig endless = ReplayConfig.of(new ReplaySource.Synthetic(c, null), new Topics("endless-"))
                .withRange(0, -1, true).withPacing(2_000, 0).withProgress(ProgressMode.NONE);
        Replayer r = new Replayer(endless, Replayer.producerConfig(KAFKA.bootstrapServers(), Map.of()));
        CompletableFuture<ReplaySummary> f = CompletableFuture.supplyAsync(r::run);
        await("300 acknowledged ratings of the endless loop").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5))
                .until(() -> r.acknowledged() >= 300 || f.isDone());
        r.stop();
        ReplaySummary stopped = f.get(30, TimeUnit.SECONDS);
        assertThat(stopped.stopped()).isTrue();
        assertThat(stopped.sent()).isEqualTo(stopped.taken()).isGreaterThanOrEqualTo(300);
    }

    @Test
    void brokerRestartMidReplayLosesNothingAndDuplicatesNothing() throws Exception {
        Path dir = tmp.resolve("restart-broker");
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir, 0, 2);
        int port = broker.port();
        String bootstrap = broker.bootstrapServers();
        int events = 60_000;
        SyntheticConfig c = SyntheticConfig.defaults().withSize(500, 700, events);
        ReplayConfig cfg = ReplayConfig.of(new ReplaySource.Synthetic(c, null), new Topics("restart-"))
                .withPacing(15_000, 0).withProgress(ProgressMode.LOG);
        Map<String, Object> pc = Replayer.producerConfig(bootstrap, Map.of("reconnect.backoff.max.ms", 500));
        Replayer replayer = new Replayer(cfg, pc);
        CompletableFuture<ReplaySummary> run = CompletableFuture.supplyAsync(replayer::run);
        try {
            // Polled often: at 15,000 events/s the whole replay takes 4 s and the restart must land inside it.
            await("10,000 acknowledged ratings").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5))
                    .until(() -> replayer.acknowledged() >= 10_000 || run.isDone());
            assertThat(replayer.acknowledged()).as("replay got going before the restart").isGreaterThanOrEqualTo(10_000);
            broker.close();
            assertThat(replayer.acknowledged()).as("the broker went away mid-replay").isLessThan(events);
            long takenWhileDown = replayer.taken();
            broker = EmbeddedKafkaBroker.start(dir, port, 2);
            assertThat(replayer.taken()).as("the replay kept going while the broker was away").isGreaterThan(takenWhileDown - 1);
            ReplaySummary s = run.get(120, TimeUnit.SECONDS);
            assertThat(s.sent()).isEqualTo(events);

            List<ConsumerRecord<byte[], byte[]>> records = readAll(bootstrap, "restart-ratings", events, Duration.ofSeconds(60));
            RatingSerde serde = new RatingSerde();
            Set<Long> ts = new HashSet<>();
            Map<Integer, Long> last = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> r : records) {
                long t = serde.decode(r.value()).timestampMs();
                ts.add(t);
                assertThat(t).isGreaterThan(last.getOrDefault(r.partition(), Long.MIN_VALUE));
                last.put(r.partition(), t);
            }
            assertThat(records).as("nothing duplicated").hasSize(events);
            assertThat(ts).as("nothing lost").hasSize(events);
        } finally {
            replayer.stop();
            broker.close();
        }
    }
}
