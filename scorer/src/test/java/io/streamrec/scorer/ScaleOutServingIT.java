package io.streamrec.scorer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamrec.testing.KafkaBrokerExtension;
import io.streamrec.common.config.Settings;
import io.streamrec.common.config.StreamrecConfig;
import io.streamrec.common.event.FactorKey;
import io.streamrec.common.event.FactorRow;
import io.streamrec.common.event.Rating;
import io.streamrec.common.topic.Topic;
import io.streamrec.common.topic.Topics;
import io.streamrec.scorer.http.ClusterRequests;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two scorer instances of one application (same application id, own state and HTTP port) against a real broker:
 * user state is split between them by partition, yet either answers any user exactly as the other does (the
 * non-owner forwards to the owner, named in the response), with the user's rated items excluded; an item's
 * also-liked list, built from fans that live on both, is the same from both; /health lists both instances with
 * partitions that cover every user partition once. Then one instance stops and the other answers every user alone;
 * and the same with two scorer JVMs and kill -9, the killed one restarted.
 */
class ScaleOutServingIT {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    static final ObjectMapper JSON = new ObjectMapper();
    static final int ITEMS = 200;
    static final int USERS = 60;
    static final int DIM = 8;
    static final int PARTITIONS = 4;

    @TempDir
    Path dir;

    @Test
    void eitherInstanceAnswersEveryUserAsTheOwnerWould() throws Exception {
        Map<Long, Set<Long>> rated = new HashMap<>();
        StreamrecConfig config = produce("so.", rated);
        int sent = rated.values().stream().mapToInt(Set::size).sum();
        ScorerOptions base = ScorerOptions.defaults("so-scorer", dir).withUserPartitions(PARTITIONS).withStandbyReplicas(1)
                .withPush(5, Duration.ofMillis(200), Duration.ofMillis(100));
        HttpClient http = HttpClient.newHttpClient();
        ScorerRuntime a = ScorerRuntime.start(config, withState(base, "a").withHttp("127.0.0.1", 0));
        ScorerRuntime b = ScorerRuntime.start(config, withState(base, "b").withHttp("127.0.0.1", 0));
        try {
            String urlA = "http://127.0.0.1:" + a.httpPort();
            String urlB = "http://127.0.0.1:" + b.httpPort();
            // Both running, every user partition owned by exactly one of them, and every rating applied.
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> {
                JsonNode h = json(http, urlA + "/health");
                return h != null && h.path("instances").size() == 2 && ownedOnce(h) && json(http, urlB + "/health") != null;
            });
            int ratedTotal = sent;
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> {
                int n = 0;
                for (long u = 0; u < USERS; u++) {
                    JsonNode r = json(http, urlA + "/users/" + u + "/ratings?limit=100");
                    n += r == null ? 0 : r.path("total").asInt();
                }
                return n == ratedTotal;
            });
            Set<String> owners = new TreeSet<>();
            long forwardedBefore = a.metrics().total(ClusterRequests.FORWARDS) + b.metrics().total(ClusterRequests.FORWARDS);
            for (long u = 0; u < USERS; u++) {
                HttpResponse<String> ra = get(http, urlA + "/users/" + u + "/recommendations?k=10");
                HttpResponse<String> rb = get(http, urlB + "/users/" + u + "/recommendations?k=10");
                assertThat(ra.statusCode()).isEqualTo(200);
                assertThat(rb.statusCode()).isEqualTo(200);
                List<Long> la = items(ra.body());
                assertThat(items(rb.body())).as("user %d from both instances", u).isEqualTo(la);
                assertThat(la).hasSize(10).doesNotContainAnyElementsOf(rated.get(u));
                String servedA = ra.headers().firstValue(ClusterRequests.INSTANCE).orElseThrow();
                assertThat(rb.headers().firstValue(ClusterRequests.INSTANCE)).as("the owner served it").contains(servedA);
                assertThat(JSON.readTree(ra.body()).get("ratedCount").asInt()).isEqualTo(rated.get(u).size());
                owners.add(servedA);
            }
            assertThat(owners).as("users are spread over both instances").hasSize(2);
            long forwarded = a.metrics().total(ClusterRequests.FORWARDS) + b.metrics().total(ClusterRequests.FORWARDS) - forwardedBefore;
            assertThat(forwarded).as("each user's request went through the non-owner once").isEqualTo(USERS);

            for (long item : new long[]{0, 4, 8}) {
                HttpResponse<String> fa = get(http, urlA + "/items/" + item + "/also-liked?k=10");
                HttpResponse<String> fb = get(http, urlB + "/items/" + item + "/also-liked?k=10");
                assertThat(fa.statusCode()).isEqualTo(200);
                long fans = rated.values().stream().filter(s -> s.contains(item)).count();
                assertThat(JSON.readTree(fa.body()).get("fans").asLong()).as("fans of %d from both instances", item).isEqualTo(fans);
                assertThat(items(fb.body())).isEqualTo(items(fa.body()));
            }

            // One instance goes away: the other takes over its partitions (from its standbys) and serves everyone.
            long t0 = System.nanoTime();
            b.close();
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
                for (long u = 0; u < USERS; u++) {
                    HttpResponse<String> r = get(http, urlA + "/users/" + u + "/recommendations?k=10");
                    if (r.statusCode() != 200) {
                        assertThat(r.statusCode()).as("while moving: 503, never a wrong list").isEqualTo(503);
                        return false;
                    }
                    assertThat(items(r.body())).doesNotContainAnyElementsOf(rated.get(u));
                    assertThat(JSON.readTree(r.body()).get("ratedCount").asInt()).isEqualTo(rated.get(u).size());
                }
                return true;
            });
            System.out.printf("scale-out: the remaining instance served every user %.1f s after the other stopped%n",
                    (System.nanoTime() - t0) / 1e9);
        } finally {
            b.close();
            a.close();
        }
    }

    /**
     * Two scorer JVMs: kill -9 one; the survivor serves every user correctly once the dead member's session has
     * expired (503 before, never a wrong list), timed; restarted, the killed instance gets partitions back.
     */
    @Test
    void aKilledInstanceIsTakenOverAndComesBack() throws Exception {
        Map<Long, Set<Long>> rated = new HashMap<>();
        produce("sok.", rated);
        int[] ports = {freePort(), freePort()};
        Process[] jvm = {start(0, ports[0]), start(1, ports[1])};
        HttpClient http = HttpClient.newHttpClient();
        try {
            String urlA = "http://127.0.0.1:" + ports[0];
            String urlB = "http://127.0.0.1:" + ports[1];
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() -> {
                JsonNode h = json(http, urlA + "/health");
                return h != null && h.path("instances").size() == 2 && ownedOnce(h) && json(http, urlB + "/health") != null
                        && everyUserServed(http, urlA, rated) && everyUserServed(http, urlB, rated);
            });
            for (long u = 0; u < USERS; u++) {
                assertThat(items(get(http, urlB + "/users/" + u + "/recommendations?k=10").body()))
                        .isEqualTo(items(get(http, urlA + "/users/" + u + "/recommendations?k=10").body()));
            }

            long t0 = System.nanoTime();
            jvm[1].destroyForcibly().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            int[] unavailable = {0};
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> {
                for (long u = 0; u < USERS; u++) {
                    HttpResponse<String> r = get(http, urlA + "/users/" + u + "/recommendations?k=10");
                    if (r.statusCode() != 200) {
                        assertThat(r.statusCode()).as("while the dead member's partitions move: 503").isEqualTo(503);
                        assertThat(r.headers().firstValue("Retry-After")).isPresent();
                        unavailable[0]++;
                        return false;
                    }
                    assertThat(items(r.body())).doesNotContainAnyElementsOf(rated.get(u));
                    assertThat(JSON.readTree(r.body()).get("ratedCount").asInt()).isEqualTo(rated.get(u).size());
                }
                return true;
            });
            double takeover = (System.nanoTime() - t0) / 1e9;

            long t1 = System.nanoTime();
            jvm[1] = start(1, ports[1]);
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() -> {
                JsonNode h = json(http, urlB + "/health");
                if (h == null || h.path("instances").size() != 2 || !ownedOnce(h)) {
                    return false;
                }
                for (JsonNode i : h.path("instances")) {
                    if (i.path("self").asBoolean() && i.path("userPartitions").isEmpty()) {
                        return false;
                    }
                }
                return everyUserServed(http, urlB, rated);
            });
            System.out.printf("scale-out, two JVMs: after kill -9 the survivor served every user %.1f s later (%d x 503 "
                    + "on the way); the restarted instance owned partitions again %.1f s after its start%n",
                    takeover, unavailable[0], (System.nanoTime() - t1) / 1e9);
        } finally {
            for (Process p : jvm) {
                if (p != null && p.isAlive()) {
                    p.destroyForcibly().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
                }
            }
        }
    }

    private boolean everyUserServed(HttpClient http, String url, Map<Long, Set<Long>> rated) throws Exception {
        for (long u = 0; u < USERS; u++) {
            HttpResponse<String> r = get(http, url + "/users/" + u + "/recommendations?k=10");
            if (r.statusCode() != 200 || JSON.readTree(r.body()).get("ratedCount").asInt() != rated.get(u).size()) {
                return false;
            }
        }
        return true;
    }

    private Process start(int instance, int port) throws java.io.IOException {
        Path target = Path.of("target").toAbsolutePath();
        String classpath = target.resolve("classes") + java.io.File.pathSeparator
                + java.nio.file.Files.readString(target.resolve("runtime-classpath.txt")).trim();
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-XX:TieredStopAtLevel=1", "--add-modules", "jdk.incubator.vector", "-cp", classpath,
                ScorerMain.class.getName(), "-b", KAFKA.bootstrapServers(), "--topic-prefix", "sok.",
                "--http", "127.0.0.1:" + port, "--state-dir", dir.resolve("jvm-state-" + instance).toString(),
                "--application-id", "sok-scorer", "--user-partitions", Integer.toString(PARTITIONS),
                "--standby-replicas", "1", "--set", "data.dir=" + dir);
        return new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("scorer-" + instance + ".log").toFile())).start();
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Topics under {@code prefix} with committed factors for every item and user, and each user's ratings (into {@code rated}). */
    private StreamrecConfig produce(String prefix, Map<Long, Set<Long>> rated) throws Exception {
        Topics topics = new Topics(prefix);
        StreamrecConfig config = StreamrecConfig.from(Settings.builder()
                .put(StreamrecConfig.BOOTSTRAP_SERVERS, KAFKA.bootstrapServers(), "test")
                .put(StreamrecConfig.TOPIC_PREFIX, prefix, "test")
                .put(StreamrecConfig.DATA_DIR, dir.toString(), "test").build());
        for (Topic<?, ?> t : topics.all()) {
            KAFKA.createTopic(t.name(), 2, t.compacted());
        }
        Random rnd = new Random(11);
        Map<String, Object> tx = KAFKA.producerConfig();
        tx.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, prefix + "trainer");
        Topic<FactorKey, FactorRow> factors = topics.factors();
        try (KafkaProducer<FactorKey, FactorRow> p = new KafkaProducer<>(tx, factors.keySerde().serializer(), factors.valueSerde().serializer())) {
            p.initTransactions();
            p.beginTransaction();
            p.send(new ProducerRecord<>(factors.name(), FactorKey.GLOBAL, new FactorRow(1, 3.5f, new float[0], 0)));
            for (int i = 0; i < ITEMS; i++) {
                p.send(new ProducerRecord<>(factors.name(), FactorKey.item(i), new FactorRow(1, (float) rnd.nextGaussian() * 0.2f, gaussian(rnd), 1000)));
            }
            for (long u = 0; u < USERS; u++) {
                p.send(new ProducerRecord<>(factors.name(), FactorKey.user(u), new FactorRow(1, 0.1f, gaussian(rnd), 2000)));
            }
            p.commitTransaction();
        }
        Topic<Long, Rating> ratings = topics.ratings();
        try (KafkaProducer<Long, Rating> p = new KafkaProducer<>(KAFKA.producerConfig(), ratings.keySerde().serializer(),
                ratings.valueSerde().serializer())) {
            for (long u = 0; u < USERS; u++) {
                for (int n = 0; n < 15; n++) {
                    long item = rnd.nextInt(ITEMS / 4) * 4L % ITEMS; // a skew: items 0, 4, 8, ... collect fans
                    if (rated.computeIfAbsent(u, x -> new HashSet<>()).add(item)) {
                        p.send(new ProducerRecord<>(ratings.name(), u, new Rating(u, item, 4.5f, 1500 + n)));
                    }
                }
            }
        }
        return config;
    }

    private static ScorerOptions withState(ScorerOptions o, String name) {
        return new ScorerOptions(o.applicationId(), o.stateDir().resolve(name), o.httpHost(), o.httpPort(), o.pushTopK(),
                o.minPushInterval(), o.recomputeInterval(), o.maxBatchUsers(), o.likedThreshold(), o.maxFans(),
                o.ratingScale(), o.streamThreads(), o.userPartitions(), o.standbyReplicas());
    }

    private static boolean ownedOnce(JsonNode health) {
        List<Integer> all = new ArrayList<>();
        health.path("instances").forEach(i -> i.path("userPartitions").forEach(p -> all.add(p.asInt())));
        return all.size() == PARTITIONS && new HashSet<>(all).size() == PARTITIONS;
    }

    private static List<Long> items(String body) throws Exception {
        List<Long> out = new ArrayList<>();
        JSON.readTree(body).get("items").forEach(n -> out.add(n.get("item").asLong()));
        return out;
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpClient http, String url) {
        try {
            HttpResponse<String> r = get(http, url);
            return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
        } catch (Exception e) {
            return null;
        }
    }

    private static float[] gaussian(Random rnd) {
        float[] v = new float[DIM];
        for (int d = 0; d < DIM; d++) {
            v[d] = (float) rnd.nextGaussian();
        }
        return v;
    }
}
