package io.streamrec.bench.scorer;

import io.streamrec.common.report.BenchDirectories;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamrec.broker.EmbeddedKafkaBroker;
import io.streamrec.common.event.FactorKey;
import io.streamrec.common.event.FactorRow;
import io.streamrec.common.event.Rating;
import io.streamrec.common.report.BenchSection;
import io.streamrec.common.topic.Topic;
import io.streamrec.common.topic.TopicAdmin;
import io.streamrec.common.topic.Topics;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The "Scale-out serving" section of BENCHMARKS.md: HTTP requests/s against one scorer instance and then against two
 * instances of the same application (each a real {@code ScorerMain} JVM on the scorer's own classpath, user state split
 * between them by partition), in one run, and what forwarding costs: latency of requests the asked instance answered
 * from its own partitions against those it forwarded to the owner. The broker and the load clients run in this JVM;
 * everything shares the machine's cores, so two instances here measure the protocol's overhead, not added capacity.
 * Usage: {@code ScaleOutBench OUT.md REPO_HOME [seconds per level] [items] [users]}.
 */
public final class ScaleOutBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DIM = 32;
    private static final int RATED_PER_USER = 20;
    private static final int USER_PARTITIONS = 4;
    private static final String PREFIX = "scaleout.";
    private static final String APP = "bench-scaleout-scorer";

    private ScaleOutBench() {
    }

    record Level(String setup, HttpLoad.Result result) {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: ScaleOutBench OUT.md REPO_HOME [seconds per level] [items] [users]");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        Path home = Path.of(args[1]).toAbsolutePath();
        double seconds = args.length > 2 ? Double.parseDouble(args[2]) : 15;
        int items = args.length > 3 ? Integer.parseInt(args[3]) : 62_000;
        int users = args.length > 4 ? Integer.parseInt(args[4]) : 2_000;
        Path work = Files.createTempDirectory("streamrec-bench-scaleout-");
        BenchSection s = new BenchSection("Scale-out serving", "streamrec bench --only serving");
        List<Process> scorers = new ArrayList<>();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(work.resolve("broker"), 0, 2)) {
            Map<Long, Integer> ratedCount = produce(broker.bootstrapServers(), items, users);
            HttpClient http = HttpClient.newHttpClient();
            int[] ports = {EmbeddedKafkaBroker.freePort(), EmbeddedKafkaBroker.freePort()};
            String a = "http://127.0.0.1:" + ports[0];
            String b = "http://127.0.0.1:" + ports[1];

            long t0 = System.nanoTime();
            scorers.add(startScorer(home, broker.bootstrapServers(), work, 0, ports[0]));
            awaitServing(http, List.of(a), 1, ratedCount, Duration.ofMinutes(3));
            double readyOne = (System.nanoTime() - t0) / 1e9;
            System.err.printf("bench serving: one instance serves every user after %.1f s%n", readyOne);
            HttpLoad.load(List.of(a), 16, Math.min(10, seconds), users);   // warm-up: JIT on both sides
            List<Level> levels = new ArrayList<>();
            levels.add(new Level("one instance", HttpLoad.load(List.of(a), 1, seconds, users)));
            levels.add(new Level("one instance", HttpLoad.load(List.of(a), 16, seconds, users)));

            long t1 = System.nanoTime();
            scorers.add(startScorer(home, broker.bootstrapServers(), work, 1, ports[1]));
            awaitServing(http, List.of(a, b), 2, ratedCount, Duration.ofMinutes(3));
            double readyTwo = (System.nanoTime() - t1) / 1e9;
            System.err.printf("bench serving: two instances share the users and serve every one after %.1f s%n", readyTwo);
            HttpLoad.load(List.of(a, b), 16, Math.min(10, seconds), users);
            levels.add(new Level("two instances", HttpLoad.load(List.of(a, b), 1, seconds, users)));
            levels.add(new Level("two instances", HttpLoad.load(List.of(a, b), 16, seconds, users)));

            write(s, levels, items, users, seconds, readyOne, readyTwo);
        } finally {
            for (Process p : scorers) {
                p.destroy();
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
            BenchDirectories.deleteTree(work);
        }
        s.writeTo(out);
    }

    private static void write(BenchSection s, List<Level> levels, int items, int users, double seconds,
                              double readyOne, double readyTwo) {
        s.text("`GET /users/{id}/recommendations?k=10` for random users of " + BenchSection.count(users) + " (each with "
                + RATED_PER_USER + " rated items to exclude) over " + BenchSection.count(items) + " items × " + DIM
                + " dims, against real scorer JVMs (`ScorerMain`, SIMD kernel, " + USER_PARTITIONS + " user partitions) reading "
                + "an embedded broker: first one instance, then a second of the same application id, which takes half the "
                + "user partitions. With two, each request goes to one of them at random; the one asked answers a user it "
                + "owns from its own state and forwards any other user once to the owner (`X-Streamrec-Instance` names who "
                + "answered). Closed-loop Java clients in the harness JVM, " + BenchSection.fixed(seconds, 0)
                + " s per level after a warm-up; broker, clients and scorers all share the two cores, so a second instance "
                + "adds no CPU here: this measures what routing costs, not what a second machine would add.");
        BenchSection.Table t = s.table("setup", "connections", "requests", "errors", "requests/s", "p50 ms", "p99 ms",
                "forwarded", "local p50 / p99 ms", "forwarded p50 / p99 ms");
        for (Level l : levels) {
            HttpLoad.Result r = l.result();
            t.row(l.setup(), r.connections(), BenchSection.count(r.requests()), r.errors(), BenchSection.count(r.perSecond()),
                    ms(r.p50Micros()), ms(r.p99Micros()), BenchSection.count(r.forwarded().requests()),
                    pair(r.local()), pair(r.forwarded()));
        }
        t.end();
        HttpLoad.Result one16 = levels.get(1).result();
        HttpLoad.Result two16 = levels.get(3).result();
        HttpLoad.Result two1 = levels.get(2).result();
        s.text("Two instances against one at 16 connections: **" + BenchSection.fixed(two16.perSecond() / one16.perSecond(), 2)
                + "×** the requests/s. Forwarding at one connection (no queueing): p50 "
                + ms(two1.forwarded().p50Micros()) + " ms forwarded against " + ms(two1.local().p50Micros()) + " ms local (+"
                + ms(Math.max(0, two1.forwarded().p50Micros() - two1.local().p50Micros())) + " ms), p99 "
                + ms(two1.forwarded().p99Micros()) + " against " + ms(two1.local().p99Micros()) + " ms. Start to serving "
                + "every user: one instance " + BenchSection.fixed(readyOne, 1) + " s from JVM start; the second joined, "
                + "rebalanced and both served every user " + BenchSection.fixed(readyTwo, 1) + " s after its start.");
    }

    private static String ms(long micros) {
        return BenchSection.fixed(micros / 1000.0, 2);
    }

    private static String pair(HttpLoad.Percentiles p) {
        return p.requests() == 0 ? "–" : ms(p.p50Micros()) + " / " + ms(p.p99Micros());
    }

    /** Committed factors for every item and user (as the trainer writes them) and each user's ratings; returns rated counts. */
    private static Map<Long, Integer> produce(String bootstrap, int items, int users) throws Exception {
        Topics topics = new Topics(PREFIX);
        List<NewTopic> create = new ArrayList<>();
        for (Topic<?, ?> t : topics.all()) {
            create.add(TopicAdmin.newTopic(t, 2, (short) 1));
        }
        try (TopicAdmin admin = TopicAdmin.connect(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.create(create);
        }
        Random rnd = new Random(7);
        Map<String, Object> cfg = new HashMap<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.LINGER_MS_CONFIG, 20, ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024));
        Map<String, Object> tx = new HashMap<>(cfg);
        tx.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, PREFIX + "trainer");
        Topic<FactorKey, FactorRow> factors = topics.factors();
        try (KafkaProducer<FactorKey, FactorRow> p = new KafkaProducer<>(tx, factors.keySerde().serializer(), factors.valueSerde().serializer())) {
            p.initTransactions();
            p.beginTransaction();
            p.send(new ProducerRecord<>(factors.name(), FactorKey.GLOBAL, new FactorRow(1, 3.5f, new float[0], 0)));
            for (int i = 0; i < items; i++) {
                p.send(new ProducerRecord<>(factors.name(), FactorKey.item(i), new FactorRow(1, (float) rnd.nextGaussian() * 0.2f, gaussian(rnd), 1000)));
            }
            for (long u = 0; u < users; u++) {
                p.send(new ProducerRecord<>(factors.name(), FactorKey.user(u), new FactorRow(1, 0.1f, gaussian(rnd), 2000)));
            }
            p.commitTransaction();
        }
        Map<Long, Integer> rated = new HashMap<>();
        Topic<Long, Rating> ratings = topics.ratings();
        try (KafkaProducer<Long, Rating> p = new KafkaProducer<>(cfg, ratings.keySerde().serializer(), ratings.valueSerde().serializer())) {
            for (long u = 0; u < users; u++) {
                Set<Long> seen = new HashSet<>();
                while (seen.size() < RATED_PER_USER) {
                    long item = rnd.nextInt(items);
                    if (seen.add(item)) {
                        p.send(new ProducerRecord<>(ratings.name(), u, new Rating(u, item, 1 + rnd.nextInt(5), 1500 + seen.size())));
                    }
                }
                rated.put(u, seen.size());
            }
        }
        return rated;
    }

    /** A scorer JVM on the scorer module's own classpath (Kafka Streams' RocksDB is not on this one). */
    private static Process startScorer(Path home, String bootstrap, Path work, int instance, int port) throws IOException {
        Path target = home.resolve("scorer/target");
        Path cpFile = target.resolve("runtime-classpath.txt");
        if (!Files.isRegularFile(cpFile)) {
            throw new IllegalStateException("the scorer module is not built (" + cpFile + " missing): run ./mvnw -DskipTests package");
        }
        String classpath = target.resolve("classes") + File.pathSeparator + Files.readString(cpFile, StandardCharsets.UTF_8).trim();
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx768m",
                "-XX:+UseParallelGC", "--add-modules", "jdk.incubator.vector",
                "-D" + io.streamrec.common.config.ParentWatch.PARENT_PID + "=" + ProcessHandle.current().pid(),
                "-cp", classpath, "io.streamrec.scorer.ScorerMain", "-b", bootstrap, "--topic-prefix", PREFIX,
                "--http", "127.0.0.1:" + port, "--state-dir", work.resolve("scorer-state-" + instance).toString(),
                "--application-id", APP, "--user-partitions", Integer.toString(USER_PARTITIONS),
                "--set", "data.dir=" + work);
        return new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve("scorer-" + instance + ".log").toFile())).start();
    }

    /**
     * Until /health of every base lists {@code instances} instances owning every user partition once, and a sample of
     * users is answered by every base with all of its ratings known (the lists are then the owner's, not partial).
     */
    private static void awaitServing(HttpClient http, List<String> bases, int instances, Map<Long, Integer> rated, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (serving(http, bases, instances, rated)) {
                return;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException(instances + " scorer instance(s) did not serve every user within " + timeout);
    }

    private static boolean serving(HttpClient http, List<String> bases, int instances, Map<Long, Integer> rated) {
        try {
            for (String base : bases) {
                JsonNode h = get(http, base + "/health");
                if (h == null || h.path("instances").size() != instances) {
                    return false;
                }
                Set<Integer> owned = new HashSet<>();
                int total = 0;
                for (JsonNode i : h.path("instances")) {
                    for (JsonNode p : i.path("userPartitions")) {
                        owned.add(p.asInt());
                        total++;
                    }
                }
                if (owned.size() != USER_PARTITIONS || total != USER_PARTITIONS) {
                    return false;
                }
                for (long u = 0; u < rated.size(); u += Math.max(1, rated.size() / 50)) {
                    JsonNode r = get(http, base + "/users/" + u + "/recommendations?k=10");
                    if (r == null || r.path("ratedCount").asInt() != rated.get(u)) {
                        return false;
                    }
                }
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static JsonNode get(HttpClient http, String url) throws InterruptedException {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static float[] gaussian(Random rnd) {
        float[] v = new float[DIM];
        for (int d = 0; d < DIM; d++) {
            v[d] = (float) rnd.nextGaussian() * 0.3f;
        }
        return v;
    }

}
