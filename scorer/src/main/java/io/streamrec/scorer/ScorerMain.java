package io.streamrec.scorer;

import io.streamrec.common.config.ConfigException;
import io.streamrec.common.config.LogLevels;
import io.streamrec.common.config.StreamrecConfig;
import io.streamrec.common.event.RatingScale;
import io.streamrec.options.ConnectionOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code streamrec score}: reads the flags into a validated {@link ScorerOptions}, runs a {@link ScorerRuntime} until
 * SIGINT/SIGTERM and exits non-zero if Kafka Streams fails. In its own JVM: Kafka Streams' rocksdbjni must not meet
 * Flink's frocksdbjni.
 */
@Command(name = "score", mixinStandardHelpOptions = true, versionProvider = ScorerMain.Version.class,
        description = "Serve live top-K recommendations over HTTP and to the recommendations topic, with a dashboard.")
public final class ScorerMain implements Callable<Integer> {

    /**
     * Created on first use, not at class initialisation: {@link LogLevels#fromArgs} must set the levels before log4j
     * configures itself, and log4j's own shutdown hook must be off so the scorer's last lines (closing Kafka
     * Streams) still reach the log while the JVM stops.
     */
    private static Logger log() {
        return LoggerFactory.getLogger(ScorerMain.class);
    }

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--http", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:8080",
            description = "Address of the HTTP API and dashboard (default ${DEFAULT-VALUE}; port 0 picks a free one).")
    String http;

    @Option(names = "--application-id", paramLabel = "ID",
            description = "Kafka Streams application id (default <topic prefix>streamrec-scorer).")
    String applicationId;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "RocksDB state (default <data.dir>/scorer-state).")
    Path stateDir;

    @Option(names = "--push-k", defaultValue = "10", description = "Length of the lists pushed to the recommendations topic (default ${DEFAULT-VALUE}).")
    int pushK;

    @Option(names = "--min-push-interval", defaultValue = "1s", converter = DurationConverter.class,
            description = "Push a user's recommendations at most this often, e.g. 500ms, 1s, 1m (default ${DEFAULT-VALUE}).")
    Duration minPushInterval;

    @Option(names = "--recompute-interval", defaultValue = "200ms", converter = DurationConverter.class,
            description = "How often changed users are recomputed in one batch (default ${DEFAULT-VALUE}).")
    Duration recomputeInterval;

    @Option(names = "--liked-threshold", defaultValue = "4.0",
            description = "A rating at or above this counts as liking the item, for also-liked (default ${DEFAULT-VALUE}).")
    float likedThreshold;

    @Option(names = "--rating-scale", defaultValue = "0:5", paramLabel = "MIN:MAX[:STEP]",
            description = "Ratings outside it are rejected and counted (default ${DEFAULT-VALUE}).")
    String ratingScale;

    @Option(names = "--stream-threads", defaultValue = "1", description = "Kafka Streams threads (default ${DEFAULT-VALUE}).")
    int streamThreads;

    @Option(names = "--standby-replicas", defaultValue = "0",
            description = "Warm copies of each user partition on other scorer instances of the same application id "
                    + "(default ${DEFAULT-VALUE}; 1 when running several instances).")
    int standbyReplicas;

    @Option(names = "--model", paramLabel = "FAMILY[,FAMILY...]",
            description = "The families the trainer trains (its --model): the first is served from the factors topic and "
                    + "is the default of ?model=, each further one from factors-<family>. Default: the one family the "
                    + "factors topic holds.")
    String model;

    @Option(names = "--user-partitions", description = "Partitions of the internal user-events topic (default: the configured partitions).")
    Integer userPartitions;

    public static void main(String[] args) {
        System.setProperty("log4j2.shutdownHookEnabled", "false");
        LogLevels.fromArgs(args);
        io.streamrec.common.config.ParentWatch.installFromSystemProperty();
        System.exit(commandLine().execute(args));
    }

    /** The command with its error handling: configuration mistakes exit 2 with one line, other failures 1. */
    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new ScorerMain());
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof ConfigException || e instanceof IllegalArgumentException) {
                cmd.getErr().println("score: " + e.getMessage());
                return 2;
            }
            if (e instanceof IllegalStateException) {
                cmd.getErr().println("score: " + e.getMessage());
                log().debug("scorer failed to start", e);
                return 1;
            }
            log().error("scorer failed", e);
            return 1;
        });
        return cl;
    }

    /** Reads the version from the jar manifest, like every streamrec entry point. */
    public static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"streamrec scorer " + LogLevels.version(ScorerMain.class)};
        }
    }

    private static io.streamrec.common.topic.ModelFamilies families(String csv) {
        try {
            return io.streamrec.common.topic.ModelFamilies.parse(csv);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--model " + csv + ": " + e.getMessage());
        }
    }

    ScorerOptions options(StreamrecConfig config) {
        int colon = http.lastIndexOf(':');
        if (colon <= 0) {
            throw new ConfigException("--http must be HOST:PORT, got '" + http + "'");
        }
        int port;
        try {
            port = Integer.parseInt(http.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new ConfigException("--http port must be a number, got '" + http + "'");
        }
        RatingScale scale;
        try {
            scale = RatingScale.parse(ratingScale);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--rating-scale: " + e.getMessage());
        }
        String app = applicationId != null ? applicationId : config.topics().prefix() + "streamrec-scorer";
        Path state = stateDir != null ? stateDir : config.dataDir().resolve("scorer-state");
        return new ScorerOptions(app, state, http.substring(0, colon), port, pushK, minPushInterval, recomputeInterval,
                4096, likedThreshold, 2000, scale, streamThreads, userPartitions != null ? userPartitions : config.partitions(), standbyReplicas,
                model == null ? java.util.List.of() : families(model).ids());
    }

    @Override
    public Integer call() throws Exception {
        StreamrecConfig config = connection.config();
        ScorerOptions options = options(config);
        try (ScorerRuntime scorer = ScorerRuntime.start(config, options)) {
            log().info("streamrec scorer {} started: {} {} http=http://{}:{}/ kernel={} pid={}", LogLevels.version(ScorerMain.class),
                    config.summary(), options.summary(), options.httpHost(), scorer.httpPort(), scorer.index().kernelName(),
                    ProcessHandle.current().pid());
            if (scorer.index().kernelName().equals("scalar")) {
                log().info("top-K runs on the scalar kernel; start this JVM with --add-modules jdk.incubator.vector "
                        + "for the SIMD kernel (several times faster)");
            }
            CountDownLatch stop = new CountDownLatch(1);
            CountDownLatch closed = new CountDownLatch(1);
            // The JVM does not wait for the main thread once shutdown begins: the hook waits until main has closed
            // Kafka Streams (flushing RocksDB, writing checkpoints), so a restart restores quickly.
            Thread hook = new Thread(() -> {
                stop.countDown();
                try {
                    closed.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "scorer-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            scorer.onFailure(stop::countDown);
            try {
                stop.await();
                log().info("scorer stopping");
                scorer.close();
                log().info("scorer stopped");
            } finally {
                closed.countDown();
            }
            return scorer.failed() ? 1 : 0;
        }
    }
}
