package io.streamrec.scorer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamrec.common.event.FactorKey;
import io.streamrec.common.event.FactorRow;
import io.streamrec.common.event.Rating;
import io.streamrec.common.topic.Topic;
import io.streamrec.common.topic.Topics;
import io.streamrec.testing.KafkaBrokerExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The scorer as its own process ({@code ScorerMain} in a child JVM, as {@code streamrec score} runs it) against a real
 * embedded broker, restarted after SIGTERM and after kill -9: healthy again within 10 s and 15 s, and every answer
 * during the restart is either the right list or a 503 JSON with Retry-After, never a wrong one.
 */
class ScorerRestartIT {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    static final ObjectMapper JSON = new ObjectMapper();
    static final Topics TOPICS = new Topics("restart.");
    static final int ITEMS = 500;
    static final int DIM = 8;
    static final Duration AFTER_SIGTERM = Duration.ofSeconds(10);
    static final Duration AFTER_KILL = Duration.ofSeconds(15);

    @TempDir
    Path dataDir;
    Process scorer;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    int port;

    @AfterEach
    void stop() throws InterruptedException {
        if (scorer != null && scorer.isAlive()) {
            scorer.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    Process startScorer(int run) throws IOException {
        Path target = Path.of("target").toAbsolutePath();
        String classpath = target.resolve("classes") + java.io.File.pathSeparator
                + Files.readString(target.resolve("runtime-classpath.txt")).trim();
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-XX:TieredStopAtLevel=1", "--add-modules", "jdk.incubator.vector", "-cp", classpath,
                ScorerMain.class.getName(), "-b", KAFKA.bootstrapServers(), "--topic-prefix", "restart.",
                "--http", "127.0.0.1:" + port, "--state-dir", dataDir.resolve("state").toString(),
                "--application-id", "restart-scorer", "--set", "data.dir=" + dataDir);
        return new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("scorer-" + run + ".log").toFile())).start();
    }

    /** One answer, or null when nothing listens (the process is between lives). */
    HttpResponse<String> get(String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * Waits for /health UP, checking every answer of the recommendations endpoint on the way: the expected list (when
     * known) or a 503 JSON error with Retry-After; anything else is noted in {@code wrong}. Returns the seconds from
     * {@code fromNanos}.
     */
    double awaitHealthy(long fromNanos, Duration bound, List<Long> expected, List<String> answers, List<String> wrong) {
        await().atMost(bound.plusSeconds(40)).pollInterval(Duration.ofMillis(100)).until(() -> {
            HttpResponse<String> recs = get("/users/4242/recommendations?k=5");
            if (recs != null) {
                answers.add(String.valueOf(recs.statusCode()));
                if (recs.statusCode() == 200) {
                    if (expected != null && !items(JSON.readTree(recs.body())).equals(expected)) {
                        wrong.add("200 with another list: " + recs.body());
                    }
                } else if (recs.statusCode() != 503
                        || !recs.headers().firstValue("content-type").orElse("").startsWith("application/json")
                        || recs.headers().firstValue("retry-after").isEmpty()
                        || JSON.readTree(recs.body()).path("status").asInt() != 503) {
                    wrong.add(recs.statusCode() + " " + recs.headers().map() + " " + recs.body());
                }
            }
            HttpResponse<String> h = get("/health");
            return h != null && h.statusCode() == 200;
        });
        return (System.nanoTime() - fromNanos) / 1e9;
    }

    static List<Long> items(JsonNode recs) {
        List<Long> ids = new ArrayList<>();
        recs.get("items").forEach(n -> ids.add(n.get("item").asLong()));
        return ids;
    }

    @Test
    void restartsToHealthyFastAfterSigtermAndKill() throws Exception {
        for (Topic<?, ?> t : TOPICS.all()) {
            KAFKA.createTopic(t.name(), 2, t.compacted());
        }
        Random rnd = new Random(1);
        float[][] q = new float[ITEMS][DIM];
        Topic<FactorKey, FactorRow> factors = TOPICS.factors();
        try (KafkaProducer<FactorKey, FactorRow> p = new KafkaProducer<>(KAFKA.producerConfig(), factors.keySerde().serializer(),
                factors.valueSerde().serializer());
             KafkaProducer<Long, Rating> r = new KafkaProducer<>(KAFKA.producerConfig(), TOPICS.ratings().keySerde().serializer(),
                     TOPICS.ratings().valueSerde().serializer())) {
            p.send(new ProducerRecord<>(factors.name(), FactorKey.GLOBAL, new FactorRow(1, 3.5f, new float[0], 0)));
            for (int i = 0; i < ITEMS; i++) {
                for (int d = 0; d < DIM; d++) {
                    q[i][d] = (float) rnd.nextGaussian() * 0.1f;
                }
                p.send(new ProducerRecord<>(factors.name(), FactorKey.item(i), new FactorRow(1, 0f, q[i], 0)));
            }
            p.send(new ProducerRecord<>(factors.name(), FactorKey.user(4242), new FactorRow(1, 0f, q[3], 0)));
            for (int n = 0; n < 2_000; n++) { // user-state to restore: seen items of many users
                long user = 1 + rnd.nextInt(300);
                r.send(new ProducerRecord<>(TOPICS.ratings().name(), user, new Rating(user, rnd.nextInt(ITEMS), 4f, n)));
            }
            r.send(new ProducerRecord<>(TOPICS.ratings().name(), 4242L, new Rating(4242, 3, 5f, 5_000)));
        }
        port = freePort();
        List<String> answers = new ArrayList<>();
        List<String> wrong = new ArrayList<>();

        long t0 = System.nanoTime();
        scorer = startScorer(0);
        double first = awaitHealthy(t0, Duration.ofSeconds(40), null, new ArrayList<>(), new ArrayList<>());
        // the list once the user's rating of item 3 is applied: what every later answer must equal
        AtomicReference<List<Long>> expected = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            HttpResponse<String> recs = get("/users/4242/recommendations?k=5");
            if (recs == null || recs.statusCode() != 200) {
                return false;
            }
            JsonNode n = JSON.readTree(recs.body());
            expected.set(items(n));
            return n.get("ratedCount").asInt() == 1 && !items(n).contains(3L);
        });

        // SIGTERM: a clean shutdown (the JVM runs the scorer's shutdown hook), then a new process
        long t1 = System.nanoTime();
        scorer.destroy();
        assertThat(scorer.waitFor(30, TimeUnit.SECONDS)).as("exits on SIGTERM").isTrue();
        scorer = startScorer(1);
        double afterTerm = awaitHealthy(t1, AFTER_SIGTERM, expected.get(), answers, wrong);

        // kill -9: no shutdown hook, no leave-group, no checkpoint files written
        long t2 = System.nanoTime();
        scorer.destroyForcibly();
        assertThat(scorer.waitFor(30, TimeUnit.SECONDS)).isTrue();
        scorer = startScorer(2);
        double afterKill = awaitHealthy(t2, AFTER_KILL, expected.get(), answers, wrong);

        String figures = String.format(java.util.Locale.ROOT,
                "scorer restart to healthy: first start %.1f s, after SIGTERM %.1f s, after kill -9 %.1f s; answers while restarting: %d x 200, %d x 503%n",
                first, afterTerm, afterKill, answers.stream().filter("200"::equals).count(),
                answers.stream().filter("503"::equals).count());
        System.out.print(figures);
        Files.writeString(Path.of("target", "restart-figures.txt"), figures);
        assertThat(wrong).as("answers while restarting that were neither the right list nor 503 JSON + Retry-After").isEmpty();
        assertThat(afterTerm).as("seconds from SIGTERM to healthy").isLessThanOrEqualTo(AFTER_SIGTERM.toSeconds());
        assertThat(afterKill).as("seconds from kill -9 to healthy").isLessThanOrEqualTo(AFTER_KILL.toSeconds());
    }
}
