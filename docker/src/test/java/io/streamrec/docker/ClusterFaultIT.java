package io.streamrec.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamrec.common.event.Rating;
import io.streamrec.ingest.synthetic.SyntheticStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIf;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The compose stack as deployed (3 KRaft brokers at replication factor 3, the trainer at p=2 on a Flink application
 * cluster over 2 TaskManagers, 2 scorers), driven from the host. One stack for the whole class, in order: a backlog
 * (throughput), a broker killed with SIGKILL mid-replay, a TaskManager killed mid-replay, serving through both
 * scorers, then the whole stack stopped and started. After each fault the committed output (read_committed) has
 * trained every produced rating exactly once and repeats no report or user row; recovery times are measured and
 * written to target/cluster-figures.txt. Skipped where there is no Docker engine or docker-compose.
 */
@EnabledIf(value = "io.streamrec.docker.LocalImages#composeAvailable", disabledReason = "needs a Docker engine and docker-compose")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterFaultIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TRAINED_WITHIN = Duration.ofMinutes(4);
    private static final String[] TRAINER = {"kafka-1", "kafka-2", "kafka-3", "jobmanager", "taskmanager-1", "taskmanager-2"};

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final List<String> figures = new ArrayList<>();
    private ComposeCluster cluster;
    private ClusterTopics topics;
    private long produced;
    private final Set<Long> users = new HashSet<>();
    private long seed = 100;

    @BeforeAll
    void startBrokers() throws IOException {
        LocalImages.ensureBuilt();
        cluster = new ComposeCluster("streamrec-it-" + ProcessHandle.current().pid(), LocalImages.ROOT.resolve("docker/target/cluster-it"));
        long start = System.nanoTime();
        cluster.up("kafka-1", "kafka-2", "kafka-3");
        figure("3 brokers healthy after %.1f s", seconds(start));
        topics = new ClusterTopics(cluster.bootstrapServers());
    }

    @AfterAll
    void tearDown() throws IOException {
        Path out = LocalImages.ROOT.resolve("docker/target/cluster-figures.txt");
        Files.writeString(out, String.join("\n", figures) + "\n");
        System.out.println("cluster figures (" + out + "):\n  " + String.join("\n  ", figures));
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void aBacklogTrainsAtParallelismTwoOnBothTaskManagers() throws Exception {
        // -Dstreamrec.cluster.backlog=N for a longer throughput measurement (BENCHMARKS.md uses 1,000,000).
        int size = Integer.getInteger("streamrec.cluster.backlog", 100_000);
        List<Rating> backlog = SyntheticStream.planted(size, 2_000, 1_500, seed++);
        produce(backlog, 0);

        long start = System.nanoTime();
        long submittedMs = System.currentTimeMillis();
        cluster.up(TRAINER);
        figure("JobManager + 2 TaskManagers healthy after %.1f s", seconds(start));
        try (ClusterTopics.CommittedReader metrics = topics.metrics()) {
            long firstMs = awaitTrained(metrics, 1, Duration.ofMinutes(3));
            long lastMs = awaitTrained(metrics, produced, TRAINED_WITHIN);
            figure("first committed report %.1f s after the job was submitted", (firstMs - submittedMs) / 1e3);
            figure("backlog of %,d ratings trained in %.1f s: %,.0f events/s at p=2 over 2 TaskManagers, 3 brokers, RF 3",
                    backlog.size(), (lastMs - firstMs) / 1e3, backlog.size() * 1e3 / Math.max(1, lastMs - firstMs));
        }
        JsonNode job = job();
        Set<String> taskManagers = new HashSet<>();
        for (JsonNode v : job.get("vertices")) {
            if (v.get("name").asText().contains("trainer")) {
                assertThat(v.get("parallelism").asInt()).isEqualTo(2);
                for (JsonNode s : get(cluster.flinkRest() + "/jobs/" + jobId() + "/vertices/" + v.get("id").asText()).get("subtasks")) {
                    taskManagers.add(s.get("taskmanager-id").asText());
                }
            }
        }
        assertThat(taskManagers).as("one trainer subtask on each TaskManager").hasSize(2);
        assertExactlyOnce();
    }

    @Test
    @Order(2)
    void aBrokerKilledMidReplayLosesAndDuplicatesNothing() throws Exception {
        // Two of three brokers keep every partition writable (min.insync.replicas 2): it comes back only afterwards.
        faultMidReplay("kafka-2", "broker kafka-2", false);
    }

    @Test
    @Order(3)
    void aTaskManagerKilledMidReplayLosesAndDuplicatesNothing() throws Exception {
        // One slot per TaskManager: the job waits for the node to be replaced, as a supervisor would at once.
        faultMidReplay("taskmanager-1", "TaskManager taskmanager-1", true);
    }

    @Test
    @Order(4)
    void bothScorersServeEveryUserFromItsOwner() throws Exception {
        long start = System.nanoTime();
        cluster.up("scorer-1", "scorer-2");
        figure("2 scorers healthy after %.1f s", seconds(start));
        Set<String> owners = new HashSet<>();
        for (long user : users.stream().sorted().limit(40).toList()) {
            HttpResponse<String> a = awaitRecommendations(cluster.scorer(1), user);
            HttpResponse<String> b = awaitRecommendations(cluster.scorer(2), user);
            assertThat(items(b.body())).as("user %d through either instance", user).isEqualTo(items(a.body())).isNotEmpty();
            String owner = a.headers().firstValue("X-Streamrec-Instance").orElseThrow();
            assertThat(b.headers().firstValue("X-Streamrec-Instance")).as("the owner answered both").contains(owner);
            owners.add(owner);
        }
        assertThat(owners).as("users spread over both scorers' advertised addresses").containsExactlyInAnyOrder("scorer-1:8080", "scorer-2:8080");
    }

    @Test
    @Order(5)
    void aStoppedAndRestartedStackResumesFromTheRetainedCheckpoint() throws Exception {
        long before;
        try (ClusterTopics.CommittedReader metrics = metricsAt(produced)) {
            before = ClusterTopics.trained(metrics.toEnd());
        }
        cluster.stopAll();
        long start = System.nanoTime();
        long startMs = System.currentTimeMillis();
        cluster.up(TRAINER);
        figure("whole stack stopped and started: trainer healthy again after %.1f s", seconds(start));
        List<Rating> more = SyntheticStream.planted(10_000, 2_000, 1_500, seed++);
        produce(more, 0);
        try (ClusterTopics.CommittedReader metrics = topics.metrics()) {
            long doneMs = awaitTrained(metrics, produced, TRAINED_WITHIN);
            figure("after the restart, %,d more ratings trained %.1f s after start (counts continued from %,d)",
                    more.size(), (doneMs - startMs) / 1e3, before);
        }
        String jobmanager = cluster.logs("jobmanager");
        assertThat(jobmanager).as("the first start had nothing to restore").contains("restore=none");
        assertThat(jobmanager).as("the restart restored the newest retained checkpoint").containsPattern("restore=file:/+flink-data/checkpoints/\\S*chk-\\d+");
        assertExactlyOnce();

        // The replay service of the stack: one pass over the synthetic dataset (100,000 ratings).
        cluster.up("ingest");
        try (ClusterTopics.CommittedReader metrics = topics.metrics()) {
            awaitTrained(metrics, produced + 100_000, TRAINED_WITHIN);
            produced += 100_000;
        }
    }

    /**
     * Produces at a steady rate, kills {@code service} about 1 s in, measures until committed output resumes and
     * until everything is trained; the node is started again at once ({@code replaceAtOnce}) or at the end.
     */
    private void faultMidReplay(String service, String what, boolean replaceAtOnce) throws Exception {
        List<Rating> replay = SyntheticStream.planted(30_000, 2_000, 1_500, seed++);
        replay.forEach(r -> users.add(r.user()));
        produced += replay.size();
        try (ClusterTopics.CommittedReader metrics = metricsAt(produced - replay.size())) {
            CompletableFuture<Void> producing = CompletableFuture.runAsync(() -> {
                try {
                    topics.produce(replay, 3_000);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            awaitTrained(metrics, produced - replay.size() + 3_000, Duration.ofMinutes(1));
            long atKill = ClusterTopics.trained(metrics.poll(Duration.ZERO));
            long restartsBefore = restarts();
            long killedAt = System.currentTimeMillis();
            cluster.kill(service);
            if (replaceAtOnce) {
                cluster.start(service);
                figure("  %s container started again %.1f s after the kill", what, (System.currentTimeMillis() - killedAt) / 1e3);
                // Output committed after the job restarted from its checkpoint, not a commit already in flight.
                awaitRestart(restartsBefore);
            }
            long resumedAt = awaitTrained(metrics, atKill + 1, Duration.ofMinutes(3));
            figure("%s killed (SIGKILL) mid-replay: committed output resumed %.1f s later", what, (resumedAt - killedAt) / 1e3);
            producing.get(5, TimeUnit.MINUTES);
            long doneAt = awaitTrained(metrics, produced, TRAINED_WITHIN);
            figure("  every one of the %,d ratings trained %.1f s after the kill", produced, (doneAt - killedAt) / 1e3);
        }
        if (!replaceAtOnce) {
            long start = System.nanoTime();
            cluster.start(service);
            figure("  %s started again in %.1f s", what, seconds(start));
        }
        assertExactlyOnce();
    }

    /**
     * Trained == produced exactly once later checkpoints have committed (a few seconds with nothing new), and no
     * committed report or user row repeats.
     */
    private void assertExactlyOnce() throws InterruptedException {
        Thread.sleep(5_000);
        try (ClusterTopics.CommittedReader metrics = topics.metrics(); ClusterTopics.CommittedReader factors = topics.factors()) {
            List<ConsumerRecord<byte[], byte[]>> reports = metrics.toEnd();
            assertThat(ClusterTopics.trained(reports)).as("trained == ingested").isEqualTo(produced);
            assertThat(ClusterTopics.repeatedReports(reports)).as("repeated metrics reports").isEmpty();
            List<ConsumerRecord<byte[], byte[]>> rows = factors.toEnd();
            assertThat(ClusterTopics.repeatedUserRows(rows)).as("repeated user rows on factors").isEmpty();
            assertThat(ClusterTopics.users(rows)).as("a row for every user").isEqualTo(users.size());
        }
    }

    private void produce(List<Rating> ratings, int perSecond) throws Exception {
        topics.produce(ratings, perSecond);
        produced += ratings.size();
        ratings.forEach(r -> users.add(r.user()));
    }

    private ClusterTopics.CommittedReader metricsAt(long expected) {
        ClusterTopics.CommittedReader r = topics.metrics();
        assertThat(ClusterTopics.trained(r.toEnd())).isEqualTo(expected);
        return r;
    }

    /** Polls committed reports until {@code count} events are trained; returns when (epoch ms) that was seen. */
    private static long awaitTrained(ClusterTopics.CommittedReader metrics, long count, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        long trained = 0;
        while (System.nanoTime() < deadline) {
            trained = ClusterTopics.trained(metrics.poll(Duration.ofMillis(200)));
            if (trained >= count) {
                return System.currentTimeMillis();
            }
        }
        throw new AssertionError("trained " + trained + " of " + count + " within " + within);
    }

    private HttpResponse<String> awaitRecommendations(String base, long user) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        HttpResponse<String> last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = http.send(HttpRequest.newBuilder(URI.create(base + "/users/" + user + "/recommendations?k=10"))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                if (last.statusCode() == 200 && !items(last.body()).isEmpty() && !JSON.readTree(last.body()).get("coldStart").asBoolean()) {
                    return last;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new AssertionError("no recommendations for user " + user + " from " + base + ": "
                + (last == null ? "no answer" : last.statusCode() + " " + last.body()));
    }

    private static List<Long> items(String body) throws IOException {
        List<Long> items = new ArrayList<>();
        JSON.readTree(body).get("items").forEach(i -> items.add(i.get("item").asLong()));
        return items;
    }

    private String jobId() throws Exception {
        JsonNode jobs = get(cluster.flinkRest() + "/jobs/overview").get("jobs");
        for (JsonNode j : jobs) {
            if (j.get("state").asText().equals("RUNNING")) {
                return j.get("jid").asText();
            }
        }
        throw new AssertionError("no running job: " + jobs);
    }

    private JsonNode job() throws Exception {
        return get(cluster.flinkRest() + "/jobs/" + jobId());
    }

    private void awaitRestart(long restartsBefore) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (restarts() > restartsBefore) {
                    return;
                }
            } catch (AssertionError | IOException e) {
                // between attempts there may be no running job to ask
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the job did not restart within 2 minutes");
    }

    private long restarts() throws Exception {
        JsonNode m = get(cluster.flinkRest() + "/jobs/" + jobId() + "/metrics?get=numRestarts");
        return m.get(0).get("value").asLong();
    }

    private JsonNode get(String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private void figure(String format, Object... args) {
        String line = String.format(format, args);
        figures.add(line);
        System.out.println("cluster: " + line);
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
