package io.streamrec.trainer;

import io.streamrec.ingest.synthetic.SyntheticStream;
import io.streamrec.common.config.StreamrecConfig;
import io.streamrec.common.event.FactorKey;
import io.streamrec.common.event.FactorKind;
import io.streamrec.common.event.FactorRow;
import io.streamrec.common.model.RatingOutput;
import io.streamrec.common.event.Rating;
import io.streamrec.testing.KafkaBrokerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code streamrec train} as users run it: flags, its own MiniCluster, and a {@code kill -9} of the trainer JVM. */
class TrainerMainIT {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @TempDir
    Path tmp;

    private final KafkaTestSupport kafka = new KafkaTestSupport(KAFKA);

    @Test
    void trainsABoundedReplayWithItsOwnMiniCluster() {
        StreamrecConfig config = kafka.config("main-");
        TrainerMain.ensureTopics(config);
        List<Rating> ratings = SyntheticStream.planted(5_000, 50, 40, 51);
        kafka.produceBinary(config.topics().ratings().name(), ratings);

        int code = new CommandLine(new TrainerMain()).execute("--bootstrap-servers", KAFKA.bootstrapServers(),
                // A file: URI, as docker/compose.yaml passes it.
                "--topic-prefix", "main-", "--bounded", "--parallelism", "1", "--checkpoint-dir", tmp.resolve("chk").toUri().toString(),
                "--checkpoint-interval", "500ms", "--metrics-every", "1000", "--dim", "16", "--batch-size", "128");

        assertThat(code).isZero();
        assertThat(tmp.resolve("chk")).isDirectory();
        assertThat(KafkaTestSupport.trainedCount(kafka.readToEnd(config.topics().metrics().name()))).isEqualTo(ratings.size());
        Map<FactorKey, FactorRow> factors = KafkaTestSupport.latestFactors(kafka.readToEnd(config.topics().factors().name()));
        assertThat(factors.keySet().stream().filter(k -> k.kind() == FactorKind.USER).count())
                .isEqualTo(ratings.stream().mapToLong(Rating::user).distinct().count());
        factors.forEach((k, r) -> assertThat(r.dim()).as(k.toString())
                .isEqualTo(k.kind() == FactorKind.GLOBAL ? RatingOutput.GLOBAL_LAYOUT_LENGTH : 16));
    }

    @Test
    void badFlagsAreRefusedWithAClearMessage() {
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new TrainerMain());
        cmd.setErr(new PrintWriter(err));
        int code = cmd.execute("--bootstrap-servers", KAFKA.bootstrapServers(), "--checkpoint-interval", "soon");
        assertThat(code).isNotZero();
        assertThat(err.toString()).contains("--checkpoint-interval").contains("soon");

        err.getBuffer().setLength(0);
        code = cmd.execute("--bootstrap-servers", KAFKA.bootstrapServers(), "--bounded", "--item-exchange", "on");
        assertThat(code).isNotZero();
        assertThat(err.toString()).contains("--bounded");
    }

    @Test
    void aTrainerKilledWithSigkillResumesFromItsLastCheckpointAndCountsEveryRatingOnce() throws Exception {
        StreamrecConfig config = kafka.config("k9-");
        TrainerMain.ensureTopics(config);
        List<Rating> ratings = SyntheticStream.planted(80_000, 200, 150, 61);
        // Most of the stream up front, so the first checkpoint completes mid-backlog and the kill lands mid-stream.
        int half = ratings.size() * 7 / 8;
        kafka.produceBinary(config.topics().ratings().name(), ratings.subList(0, half));
        Path checkpoints = tmp.resolve("k9-chk");

        Process first = startTrainer(checkpoints, tmp.resolve("first.log"));
        try {
            // Committed output means a checkpoint completed; then kill -9 while more ratings arrive.
            long committedAtKill = KafkaTestSupport.trainedCount(kafka.readUntil(config.topics().metrics().name(),
                    Duration.ofSeconds(120), recs -> KafkaTestSupport.trainedCount(recs) > 0));
            assertThat(committedAtKill).as(log(tmp.resolve("first.log"))).isPositive();
            System.out.printf("kill -9 with %d of %d ratings committed%n", committedAtKill, ratings.size());
            Thread producer = new Thread(() -> kafka.produceBinary(config.topics().ratings().name(), ratings.subList(half, ratings.size())));
            producer.start();
            first.destroyForcibly(); // SIGKILL: no shutdown hook, no clean close of producers or RocksDB
            first.waitFor(30, TimeUnit.SECONDS);
            producer.join();
        } finally {
            first.destroyForcibly();
        }
        assertThat(FlinkSetup.latestCheckpoint(checkpoints)).isPresent();

        Process second = startTrainer(checkpoints, tmp.resolve("second.log"));
        try {
            long trained = KafkaTestSupport.trainedCount(kafka.readUntil(config.topics().metrics().name(), Duration.ofSeconds(120),
                    recs -> KafkaTestSupport.trainedCount(recs) >= ratings.size()));
            assertThat(trained).as(log(tmp.resolve("second.log"))).isEqualTo(ratings.size());
            assertThat(log(tmp.resolve("second.log"))).contains("restore=").doesNotContain("restore=none");
            // Nothing counted twice: once later checkpoints have committed, the count has not moved past the input.
            CompletedCheckpoints.awaitMore(checkpoints, CompletedCheckpoints.TO_COMMIT_WHAT_WAS_PROCESSED, Duration.ofSeconds(60));
            assertThat(KafkaTestSupport.trainedCount(kafka.readToEnd(config.topics().metrics().name()))).isEqualTo(ratings.size());
        } finally {
            second.destroy();
            second.waitFor(30, TimeUnit.SECONDS);
            second.destroyForcibly();
        }
    }

    private Process startTrainer(Path checkpoints, Path logFile) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx768m");
        for (String opt : System.getProperty("streamrec.test.opens", defaultOpens()).split(" ")) {
            cmd.add(opt);
        }
        // The module's own log configuration, not the tests' file appender.
        cmd.add("-Dlog4j2.configurationFile=classpath:log4j2.xml");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(TrainerMain.class.getName());
        cmd.addAll(List.of("--bootstrap-servers", KAFKA.bootstrapServers(), "--topic-prefix", "k9-", "--parallelism", "1",
                "--checkpoint-dir", checkpoints.toString(), "--checkpoint-interval", "500ms", "--metrics-every", "1000"));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(logFile.toFile())
                .directory(new File(".")).start();
    }

    private static String defaultOpens() {
        return String.join(" ", "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
                "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
                "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
                "--add-opens=java.base/java.net=ALL-UNNAMED", "--add-opens=java.base/java.text=ALL-UNNAMED",
                "--add-opens=java.base/java.time=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
                "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED", "--add-opens=java.base/java.math=ALL-UNNAMED");
    }

    private static String log(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "(no log)";
        } catch (Exception e) {
            return "(unreadable log: " + e + ")";
        }
    }
}
