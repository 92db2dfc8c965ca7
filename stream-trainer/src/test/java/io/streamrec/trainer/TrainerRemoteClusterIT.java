package io.streamrec.trainer;

import io.streamrec.ingest.synthetic.SyntheticStream;
import io.streamrec.broker.EmbeddedKafkaBroker;
import io.streamrec.common.config.JvmOptions;
import io.streamrec.common.config.StreamrecConfig;
import io.streamrec.common.event.Rating;
import io.streamrec.testing.KafkaBrokerExtension;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code streamrec train --jobmanager} against a real standalone Flink cluster: a JobManager and a TaskManager in JVMs
 * of their own, started from Flink's own entry points, whose classpath holds Flink but neither streamrec nor Kafka.
 * The job can only run if {@link JobShipment} shipped everything it needs.
 */
class TrainerRemoteClusterIT {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    /**
     * What the cluster JVMs must not see: our code, the Kafka client and connector, and ND4J (the default Java kernel
     * must run without it, since it is not shipped).
     */
    private static final Pattern JOB_ONLY = Pattern.compile("streamrec-.*|kafka.*|flink-connector-kafka.*|picocli.*|nd4j-.*|openblas-.*");

    @TempDir
    Path tmp;

    private final List<Process> cluster = new ArrayList<>();
    private final KafkaTestSupport kafka = new KafkaTestSupport(KAFKA);

    @AfterEach
    void stopCluster() throws InterruptedException {
        for (Process p : cluster) {
            p.destroy();
        }
        for (Process p : cluster) {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void submitsToAStandaloneClusterThatHasNeitherStreamrecNorKafka() throws Exception {
        int rest = EmbeddedKafkaBroker.freePort();
        Path conf = tmp.resolve("conf");
        Files.createDirectories(conf);
        Files.writeString(conf.resolve("config.yaml"), String.join("\n",
                "jobmanager.rpc.address: 127.0.0.1",
                "jobmanager.rpc.port: " + EmbeddedKafkaBroker.freePort(),
                "jobmanager.bind-host: 127.0.0.1",
                "jobmanager.memory.process.size: 768m",
                "rest.address: 127.0.0.1",
                "rest.bind-address: 127.0.0.1",
                "rest.port: " + rest,
                "blob.server.port: " + EmbeddedKafkaBroker.freePort(),
                "taskmanager.host: 127.0.0.1",
                "taskmanager.bind-host: 127.0.0.1",
                "taskmanager.rpc.port: " + EmbeddedKafkaBroker.freePort(),
                "taskmanager.data.port: " + EmbeddedKafkaBroker.freePort(),
                "taskmanager.numberOfTaskSlots: 2",
                // Flink's start scripts derive these; a TaskManagerRunner started directly needs every one of them.
                "taskmanager.cpu.cores: 2",
                "taskmanager.memory.framework.heap.size: 128m",
                "taskmanager.memory.task.heap.size: 256m",
                "taskmanager.memory.managed.size: 128m",
                "taskmanager.memory.framework.off-heap.size: 128m",
                "taskmanager.memory.task.off-heap.size: 0m",
                "taskmanager.memory.network.min: 64mb",
                "taskmanager.memory.network.max: 64mb",
                "taskmanager.memory.jvm-metaspace.size: 256m",
                "taskmanager.memory.jvm-overhead.min: 192m",
                "taskmanager.memory.jvm-overhead.max: 192m",
                ""));
        Files.writeString(conf.resolve("log4j2.properties"), String.join("\n",
                "rootLogger.level = INFO", "rootLogger.appenderRef.console.ref = C", "appender.console.type = Console",
                "appender.console.name = C", "appender.console.layout.type = PatternLayout",
                "appender.console.layout.pattern = %d %-5p %c{1} %m%n", ""));
        String clusterClasspath = clusterClasspath();
        cluster.add(start("jobmanager", "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint", clusterClasspath, conf));
        cluster.add(start("taskmanager", "org.apache.flink.runtime.taskexecutor.TaskManagerRunner", clusterClasspath, conf));
        awaitTaskManager(rest);

        StreamrecConfig config = kafka.config("remote-");
        TrainerMain.ensureTopics(config);
        List<Rating> ratings = SyntheticStream.planted(4_000, 40, 30, 5);
        kafka.produceBinary(config.topics().ratings().name(), ratings);

        int code = new CommandLine(new TrainerMain()).execute("--bootstrap-servers", KAFKA.bootstrapServers(),
                "--topic-prefix", "remote-", "--bounded", "--parallelism", "1", "--jobmanager", "127.0.0.1:" + rest,
                "--checkpoint-dir", tmp.resolve("chk").toUri().toString(), "--checkpoint-interval", "500ms",
                "--metrics-every", "1000", "--dim", "8");

        assertThat(code).as("exit code of the submission; cluster logs in " + tmp).isZero();
        assertThat(KafkaTestSupport.trainedCount(kafka.readToEnd(config.topics().metrics().name()))).isEqualTo(ratings.size());
        assertThat(tmp.resolve("chk")).as("the cluster's RocksDB checkpoints").isDirectory();
    }

    /** This JVM's classpath without streamrec, Kafka and the connector: what a Flink distribution holds, roughly. */
    private static String clusterClasspath() {
        List<String> keep = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(e);
            if (Files.isRegularFile(p) && !JOB_ONLY.matcher(p.getFileName().toString()).matches()) {
                keep.add(e);
            }
        }
        return String.join(File.pathSeparator, keep);
    }

    private Process start(String name, String mainClass, String classpath, Path conf) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(JvmOptions.FLINK_OPENS);
        cmd.addAll(List.of("-Xmx512m", "-Dlog4j.configurationFile=" + conf.resolve("log4j2.properties"), "-cp", classpath,
                mainClass, "--configDir", conf.toString()));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve(name + ".log").toFile()).start();
    }

    private void awaitTaskManager(int rest) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        AtomicReference<String> last = new AtomicReference<>("no answer");
        try {
            await("a TaskManager registered with the standalone JobManager").atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(300))
                    .until(() -> {
                        for (Process p : cluster) {
                            assertThat(p.isAlive()).as("cluster process alive; logs in " + tmp + ": " + logs()).isTrue();
                        }
                        try {
                            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + rest + "/overview"))
                                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                            last.set(r.body());
                            return r.statusCode() == 200 && r.body().matches("(?s).*\"taskmanagers\"\\s*:\\s*1.*");
                        } catch (IOException e) {
                            last.set(e.toString());
                            return false;
                        }
                    });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("the standalone cluster did not report a TaskManager within 90 s (" + last.get() + "): " + logs(), e);
        }
    }

    private String logs() {
        StringBuilder b = new StringBuilder();
        for (String n : List.of("jobmanager", "taskmanager")) {
            try {
                String s = Files.readString(tmp.resolve(n + ".log"));
                b.append("\n--- ").append(n).append(" ---\n").append(s, Math.max(0, s.length() - 3000), s.length());
            } catch (IOException e) {
                b.append("\n(no ").append(n).append(" log)");
            }
        }
        return b.toString();
    }
}
