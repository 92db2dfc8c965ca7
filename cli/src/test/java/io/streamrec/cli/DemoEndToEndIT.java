package io.streamrec.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamrec.testing.Datasets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The product's front door, end to end: {@code streamrec demo --fast --until-done --report} with real child processes
 * (broker, Flink trainer on MiniCluster + RocksDB, Kafka Streams scorer, replay), judged by its report.
 */
class DemoEndToEndIT {

    /**
     * Bound on the prequential RMSE of one single pass over ml-100k in the streaming job. Predicting the global mean
     * scores about 1.13 on this time-ordered protocol and river's BiasedMF 0.948; 1.0 is well clear of "learned
     * nothing" while leaving room for the streaming job's mini-batching and the cold start of every new user.
     */
    static final double ML100K_RMSE_BOUND = 1.0;
    /** The generated stand-in has planted rank-4 factors and noise std 0.5 on a 1..5 scale; its global-mean RMSE is about 1.2. */
    static final double GENERATED_RMSE_BOUND = 1.0;

    @Test
    @Timeout(value = 12, unit = TimeUnit.MINUTES)
    void demoTrainsEverythingAndServesRecommendationsThatExcludeRatedItems() throws Exception {
        Path work = Path.of("target", "demo-e2e").toAbsolutePath();
        Path report = work.resolve("report.json");
        Files.deleteIfExists(report);
        Path dataset = Datasets.find("ml-100k").orElse(null);
        boolean real = dataset != null;
        if (!real) {
            dataset = generatedMl100kStandIn(work.resolve("generated-ml-100k"));
        }
        int httpPort;
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            httpPort = s.getLocalPort();
        }
        DemoCommand demo = new DemoCommand();
        String[] args = {"--dataset", dataset.toString(), "--fast", "--until-done",
                "--report", report.toString(), "--data-dir", work.resolve("data").toString(), "--fresh",
                "--http-port", Integer.toString(httpPort), "--no-download", "--timeout", "480", "--linger", "300"};
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> new CommandLine(demo).execute(args));
        try {
            // The demo renames a complete report into place, so once it exists it can be read. A demo that ends
            // without one ends the wait too, and the assertion below says so.
            await("the demo's report").atMost(Duration.ofMinutes(9)).pollInterval(Duration.ofMillis(500))
                    .until(() -> Files.exists(report) || run.isDone());
            assertThat(report).as("report (logs in " + work.resolve("data/logs") + ")").exists();

            JsonNode r = new ObjectMapper().readTree(report.toFile());
            long events = r.get("events").asLong();
            assertThat(events).isGreaterThanOrEqualTo(real ? 100_000 : 30_000);
            assertThat(r.get("dlq").asLong()).isZero();
            assertThat(r.get("trained").asLong()).isEqualTo(events);
            assertThat(r.get("prequentialRmse").asDouble()).isLessThan(real ? ML100K_RMSE_BOUND : GENERATED_RMSE_BOUND);
            assertThat(r.get("sampleRecommendations")).isNotEmpty();
            long sampleUser = r.get("sampleRecommendations").get(0).get("user").asLong();
            for (JsonNode s : r.get("sampleRecommendations")) {
                assertThat(s.get("response").get("items")).as("recommendations for user " + s.get("user")).isNotEmpty();
                assertThat(s.get("excludesRatedItems").asBoolean()).as("user " + s.get("user") + " sees no rated item").isTrue();
            }
            assertThat(r.get("freshnessProbes").asInt()).isPositive();

            DashboardBrowserCheck.run("http://127.0.0.1:" + httpPort + "/", sampleUser, real,
                    Path.of("target", "dashboard.png").toAbsolutePath());
        } finally {
            demo.requestStop();
        }
        assertThat(run.get(2, TimeUnit.MINUTES)).as("demo exit code").isZero();
    }

    /** A u.data-format file (user, item, rating 1–5, unix seconds) from planted rank-4 factors, when ml-100k is absent. */
    static Path generatedMl100kStandIn(Path dir) throws IOException {
        Files.createDirectories(dir);
        Random rnd = new Random(42);
        int users = 300;
        int items = 400;
        int k = 4;
        double[][] p = new double[users][k];
        double[][] q = new double[items][k];
        for (double[] row : p) {
            for (int f = 0; f < k; f++) {
                row[f] = rnd.nextGaussian() * 0.6;
            }
        }
        for (double[] row : q) {
            for (int f = 0; f < k; f++) {
                row[f] = rnd.nextGaussian() * 0.6;
            }
        }
        List<String> lines = new ArrayList<>();
        long t = 880_000_000L;
        for (int i = 0; i < 30_000; i++) {
            int u = (int) Math.min(users - 1, Math.abs(rnd.nextGaussian()) * users / 2.5);
            int it = (int) Math.min(items - 1, Math.abs(rnd.nextGaussian()) * items / 2.5);
            double dot = 0;
            for (int f = 0; f < k; f++) {
                dot += p[u][f] * q[it][f];
            }
            long rating = Math.max(1, Math.min(5, Math.round(3.5 + dot + rnd.nextGaussian() * 0.5)));
            t += rnd.nextInt(60);
            lines.add((u + 1) + "\t" + (it + 1) + "\t" + rating + "\t" + t);
        }
        Path file = dir.resolve("u.data");
        Files.write(file, lines);
        return dir;
    }
}
