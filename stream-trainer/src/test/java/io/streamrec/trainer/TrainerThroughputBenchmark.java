package io.streamrec.trainer;

import io.streamrec.common.config.StreamrecConfig;
import io.streamrec.common.event.PrequentialMetrics;
import io.streamrec.common.event.Rating;
import io.streamrec.common.serde.JsonSerde;
import io.streamrec.model.MfHyperParameters;
import io.streamrec.model.ModelKind;
import io.streamrec.testing.Datasets;
import io.streamrec.testing.FlinkMiniCluster;
import io.streamrec.testing.KafkaBrokerExtension;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * End-to-end throughput and the accuracy cost of parallelism: ratings (pre-produced to the embedded broker) →
 * trainer on a loopback MiniCluster (RocksDB, 1 s exactly-once checkpoints) → factors/metrics. A benchmark, not a
 * test: it asserts nothing about speed and only runs when asked:
 *
 * <pre>
 * ./mvnw -B -o -pl stream-trainer test -Dtest=TrainerThroughputBenchmark -Dstreamrec.bench=true \
 *     [-Dstreamrec.bench.copies=10] [-Dstreamrec.bench.configs=p1,p2,p2x] [-Dstreamrec.bench.exchange-interval-ms=200]
 * </pre>
 *
 * The stream is ml-100k in time order, repeated {@code copies} times with user ids shifted per copy (so each copy is
 * a new population of users rating the same items); synthetic ratings when ml-100k is absent. Results go to stdout
 * and {@code target/bench/trainer-throughput.txt}.
 */
@EnabledIfSystemProperty(named = "streamrec.bench", matches = "true")
class TrainerThroughputBenchmark {

    @RegisterExtension
    @Order(1)
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @RegisterExtension
    @Order(2)
    static final MiniClusterExtension FLINK = FlinkMiniCluster.extension(2);

    @TempDir
    Path tmp;

    private final KafkaTestSupport kafka = new KafkaTestSupport(KAFKA);

    record Result(String config, int parallelism, boolean exchange, long events, double wallSeconds,
                  double steadyEventsPerSecond, double prequentialRmse, double prequentialMae) {
        String line() {
            return String.format(Locale.ROOT, "%-5s p=%d exchange=%-5s events=%d  end-to-end %.1f s = %,.0f ev/s  steady %,.0f ev/s  "
                            + "prequential RMSE %.4f MAE %.4f", config, parallelism, exchange, events, wallSeconds,
                    events / wallSeconds, steadyEventsPerSecond, prequentialRmse, prequentialMae);
        }
    }

    @Test
    void throughputAndAccuracyByParallelism() throws Exception {
        int copies = Integer.getInteger("streamrec.bench.copies", 10);
        List<Rating> stream = stream(copies);
        List<String> configs = List.of(System.getProperty("streamrec.bench.configs", "p1,p2,p2x").split(","));
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "stream: %s, %d events; %d cores, load average %.1f at start; checkpoints every 1 s; "
                        + "exchange interval %d ms; %s",
                Datasets.find("ml-100k").isPresent() ? "ml-100k x " + copies : "synthetic", stream.size(),
                Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                Long.getLong("streamrec.bench.exchange-interval-ms", TrainerSettings.DEFAULT_EXCHANGE_INTERVAL_MS),
                MfHyperParameters.defaults().toSettings()));
        // The first job on a fresh MiniCluster pays for class loading, JIT and RocksDB's native library: run a
        // short one first and keep it out of the results.
        Result warm = run("warmup", 0, stream.subList(0, Math.min(stream.size(), 200_000)), 2, true);
        lines.add("(warm-up, not a result) " + warm.line());
        int run = 1;
        for (String c : configs) {
            int p = c.startsWith("p2") ? 2 : 1;
            boolean exchange = c.endsWith("x");
            Result r = run(c.trim(), run++, stream, p, exchange);
            lines.add(r.line());
            System.out.println(r.line());
        }
        Path out = Path.of("target", "bench", "trainer-throughput.txt");
        Files.createDirectories(out.getParent());
        Files.write(out, lines);
        lines.forEach(System.out::println);
    }

    private Result run(String name, int index, List<Rating> stream, int parallelism, boolean exchange) throws Exception {
        StreamrecConfig config = kafka.config("bench" + index + "-" + name + "-");
        TrainerMain.ensureTopics(config);
        kafka.produceBinary(config.topics().ratings().name(), stream);

        KafkaIo io = new KafkaIo(config, "tx-" + config.topics().prefix());
        TrainerSettings settings = TrainerSettings.of(ModelKind.MF, MfHyperParameters.defaults(), 25_000, exchange, false)
                .withExchangeIntervalMs(Long.getLong("streamrec.bench.exchange-interval-ms", TrainerSettings.DEFAULT_EXCHANGE_INTERVAL_MS));
        TrainerJob job = new TrainerJob(settings, io.ratingsSource("g-" + config.topics().prefix(), false), io.factorsSink(),
                io.metricsSink(), io.deadLetterSink(),
                exchange ? new TrainerJob.ItemExchange(io.itemExchangeSource(System.currentTimeMillis() - 1000, "gx-" + config.topics().prefix()),
                        io.itemExchangeSink()) : null);
        Configuration conf = FlinkSetup.trainerConfiguration(new Configuration(), tmp.resolve(config.topics().prefix()), Duration.ofSeconds(1),
                0, Duration.ofSeconds(1), null);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        job.build(env);

        long t0 = System.nanoTime();
        JobClient client = env.executeAsync("bench-" + config.topics().prefix());
        List<ConsumerRecord<byte[], byte[]>> metrics;
        try {
            metrics = kafka.readUntil(config.topics().metrics().name(), Duration.ofMinutes(5),
                    recs -> KafkaTestSupport.trainedCount(recs) >= stream.size());
        } finally {
            client.cancel().get();
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        long trained = KafkaTestSupport.trainedCount(metrics);
        if (trained != stream.size()) {
            throw new IllegalStateException(name + ": trained " + trained + " of " + stream.size() + " events");
        }
        return summarize(name, parallelism, exchange, stream.size(), wall, metrics);
    }

    /**
     * Steady rate: events between the first report at or past 10 % of the stream and the last, over the wall time
     * between them (each report carries the wall clock of the subtask that made it). Prequential RMSE: the subtasks'
     * cumulative figures combined by their counts.
     */
    private static Result summarize(String name, int p, boolean exchange, long events, double wall,
                                    List<ConsumerRecord<byte[], byte[]>> records) {
        JsonSerde<PrequentialMetrics> serde = new JsonSerde<>(PrequentialMetrics.class);
        List<PrequentialMetrics> reports = records.stream().map(r -> serde.decode(r.value()))
                .sorted(Comparator.comparingLong(PrequentialMetrics::wallTimeMs)).toList();
        java.util.Map<String, PrequentialMetrics> latest = new java.util.HashMap<>();
        long startWall = -1;
        long startCount = 0;
        double steady = Double.NaN;
        for (PrequentialMetrics m : reports) {
            latest.put(m.source(), m);
            long total = latest.values().stream().mapToLong(PrequentialMetrics::count).sum();
            if (startWall < 0 && total >= events / 10) {
                startWall = m.wallTimeMs();
                startCount = total;
            } else if (startWall >= 0 && m.wallTimeMs() > startWall) {
                steady = (total - startCount) * 1000.0 / (m.wallTimeMs() - startWall);
            }
        }
        double sq = 0;
        double abs = 0;
        long n = 0;
        for (PrequentialMetrics m : latest.values()) {
            sq += m.cumulativeRmse() * m.cumulativeRmse() * m.count();
            abs += m.cumulativeMae() * m.count();
            n += m.count();
        }
        return new Result(name, p, exchange, events, wall, steady, Math.sqrt(sq / n), abs / n);
    }

    /** ml-100k in time order, {@code copies} times with shifted user ids; synthetic when the dataset is absent. */
    static List<Rating> stream(int copies) throws IOException {
        var dir = Datasets.find("ml-100k");
        if (dir.isEmpty()) {
            return TestRatings.generate(100_000 * copies, 943 * copies, 1682, 7);
        }
        List<Rating> base = new ArrayList<>();
        for (String line : Files.readAllLines(dir.get().resolve("u.data"))) {
            String[] f = line.split("\t");
            base.add(new Rating(Long.parseLong(f[0]), Long.parseLong(f[1]), Float.parseFloat(f[2]), Long.parseLong(f[3]) * 1000));
        }
        base.sort(Comparator.comparingLong(Rating::timestampMs));
        List<Rating> out = new ArrayList<>(base.size() * copies);
        for (int c = 0; c < copies; c++) {
            for (Rating r : base) {
                out.add(new Rating(r.user() + 10_000L * c, r.item(), r.rating(), r.timestampMs()));
            }
        }
        return out;
    }
}
