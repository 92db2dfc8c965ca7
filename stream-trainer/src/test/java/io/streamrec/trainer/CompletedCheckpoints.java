package io.streamrec.trainer;

import org.apache.flink.api.common.JobID;
import org.apache.flink.runtime.checkpoint.CheckpointStatsSnapshot;
import org.apache.flink.runtime.minicluster.MiniCluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * Waits for checkpoints that complete after a moment, so a test can say "nothing more was committed" only once the
 * exactly-once sinks have had the chance to commit: a fixed sleep passes vacuously when no checkpoint completes in
 * its window (a loaded machine, a stalled job), because then nothing could have been committed either.
 *
 * <p>Why three more: records the job had processed when the test looked are in the transaction still open then. The
 * checkpoint whose barrier closes it is at most the second one after the newest completed (the next one may already
 * be in flight, its barrier passed); its transaction is committed on that checkpoint's completion notice, which the
 * coordinator sends before it triggers the next checkpoint (at least the minimum pause later). So by the third
 * completed checkpoint the commit has happened.
 */
final class CompletedCheckpoints {

    static final int TO_COMMIT_WHAT_WAS_PROCESSED = 3;

    private static final Pattern CHK = Pattern.compile("chk-(\\d+)");

    private CompletedCheckpoints() {
    }

    /** Completed checkpoints of a job on a MiniCluster, from the JobManager's checkpoint statistics. */
    static long count(MiniCluster cluster, JobID job) throws Exception {
        CheckpointStatsSnapshot stats = cluster.getExecutionGraph(job).get().getCheckpointStatsSnapshot();
        return stats == null ? 0 : stats.getCounts().getNumberOfCompletedCheckpoints();
    }

    /** Blocks until {@code more} checkpoints of {@code job} complete after this call. */
    static void awaitMore(MiniCluster cluster, JobID job, int more, Duration timeout) throws Exception {
        long target = count(cluster, job) + more;
        await(more + " more completed checkpoints of job " + job).atMost(timeout)
                .until(() -> count(cluster, job), n -> n >= target);
    }

    /**
     * The highest completed checkpoint id under a checkpoint directory ({@code <job-id>/chk-<n>/_metadata}), 0 if none:
     * for a trainer in another JVM. Ids keep counting across a restore from a retained checkpoint, and the newest
     * checkpoint is always retained, so the maximum only grows.
     */
    static long latestId(Path checkpointDir) {
        if (!Files.isDirectory(checkpointDir)) {
            return 0;
        }
        try (Stream<Path> jobs = Files.list(checkpointDir)) {
            return jobs.filter(Files::isDirectory).flatMap(CompletedCheckpoints::children)
                    .filter(p -> Files.isRegularFile(p.resolve("_metadata")))
                    .mapToLong(p -> {
                        Matcher m = CHK.matcher(p.getFileName().toString());
                        return m.matches() ? Long.parseLong(m.group(1)) : 0;
                    })
                    .max().orElse(0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list checkpoints in " + checkpointDir, e);
        }
    }

    /** Blocks until {@code more} checkpoints complete under {@code checkpointDir} after this call. */
    static void awaitMore(Path checkpointDir, int more, Duration timeout) {
        long target = latestId(checkpointDir) + more;
        await(more + " more completed checkpoints under " + checkpointDir).atMost(timeout)
                .until(() -> latestId(checkpointDir), id -> id >= target);
    }

    private static Stream<Path> children(Path dir) {
        // A checkpoint being discarded can vanish between listing and reading: treat it as absent.
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList().stream();
        } catch (IOException e) {
            return Stream.empty();
        }
    }
}
