package io.streamrec.trainer;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.CheckpointingMode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The Flink configuration the trainer runs with, as configuration keys (Flink 2.x has no {@code setStateBackend} and
 * no flink-conf.yaml): RocksDB with incremental checkpoints, exactly-once checkpoints retained on cancellation, and a
 * restart strategy that gives up (the default with checkpointing retries forever, so a broken job would hang).
 */
public final class FlinkSetup {

    public static final int DEFAULT_RESTART_ATTEMPTS = 3;
    public static final Duration DEFAULT_RESTART_DELAY = Duration.ofSeconds(2);

    private FlinkSetup() {
    }

    /**
     * @param checkpointDir      where checkpoints go (created if missing)
     * @param checkpointInterval zero disables checkpointing (tests only: the exactly-once sinks then never commit)
     * @param restorePath        a savepoint or retained checkpoint to start from, or null
     */
    public static Configuration trainerConfiguration(Configuration base, Path checkpointDir, Duration checkpointInterval,
                                                     int restartAttempts, Duration restartDelay, Path restorePath) {
        try {
            Files.createDirectories(checkpointDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create checkpoint directory " + checkpointDir, e);
        }
        return trainerConfiguration(base, checkpointDir.toAbsolutePath().toUri().toString(), checkpointInterval,
                restartAttempts, restartDelay, restorePath == null ? null : restorePath.toAbsolutePath().toUri().toString());
    }

    /**
     * @param checkpointUri a Flink file system URI ({@code file:///...}, {@code s3://...})
     * @param restoreUri    a savepoint or retained checkpoint URI to start from, or null
     */
    public static Configuration trainerConfiguration(Configuration base, String checkpointUri, Duration checkpointInterval,
                                                     int restartAttempts, Duration restartDelay, String restoreUri) {
        Configuration c = new Configuration(base);
        c.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        c.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        c.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        c.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointUri);
        if (!checkpointInterval.isZero()) {
            c.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, checkpointInterval);
            c.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
            c.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION, ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
            c.set(CheckpointingOptions.MIN_PAUSE_BETWEEN_CHECKPOINTS, checkpointInterval.dividedBy(4));
            c.set(CheckpointingOptions.MAX_RETAINED_CHECKPOINTS, 3);
        }
        c.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, restartAttempts);
        c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, restartDelay);
        // Every type on the wire has a Flink serializer; a Kryo fallback would be a silent slowdown, so refuse it.
        c.set(PipelineOptions.GENERIC_TYPES, false);
        if (restoreUri != null) {
            c.set(StateRecoveryOptions.SAVEPOINT_PATH, restoreUri);
        }
        return c;
    }

    /**
     * A local directory for a {@code --checkpoint-dir} given as a path or a {@code file:} URI; empty for other file
     * systems (s3://, hdfs://), which Flink handles but this process cannot list.
     */
    public static Optional<Path> localDirectory(String dirOrUri) {
        if (dirOrUri.startsWith("file:")) {
            return Optional.of(Path.of(java.net.URI.create(dirOrUri)));
        }
        if (dirOrUri.matches("^[A-Za-z][A-Za-z0-9+.-]*://.*")) {
            return Optional.empty();
        }
        return Optional.of(Path.of(dirOrUri));
    }

    /**
     * The newest completed checkpoint under {@code checkpointDir} ({@code <job-id>/chk-<n>/_metadata}), so a trainer
     * killed with {@code kill -9} resumes where its last checkpoint left it.
     */
    public static Optional<Path> latestCheckpoint(Path checkpointDir) {
        if (!Files.isDirectory(checkpointDir)) {
            return Optional.empty();
        }
        try (Stream<Path> jobs = Files.list(checkpointDir)) {
            return jobs.filter(Files::isDirectory)
                    .flatMap(FlinkSetup::listQuietly)
                    .filter(p -> p.getFileName().toString().startsWith("chk-"))
                    .filter(p -> Files.isRegularFile(p.resolve("_metadata")))
                    .max(Comparator.comparing(FlinkSetup::lastModified));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list checkpoints in " + checkpointDir, e);
        }
    }

    private static Stream<Path> listQuietly(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList().stream();
        } catch (IOException e) {
            return Stream.empty();
        }
    }

    private static java.nio.file.attribute.FileTime lastModified(Path chk) {
        try {
            return Files.getLastModifiedTime(chk.resolve("_metadata"));
        } catch (IOException e) {
            return java.nio.file.attribute.FileTime.fromMillis(0);
        }
    }
}
