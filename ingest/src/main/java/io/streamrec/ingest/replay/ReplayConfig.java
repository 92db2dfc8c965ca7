package io.streamrec.ingest.replay;

import io.streamrec.common.topic.Topics;

import java.time.Duration;
import java.util.Objects;

/**
 * Everything a replay needs apart from the Kafka client settings.
 *
 * @param source            dataset or synthetic stream
 * @param topics            topic names (prefix)
 * @param partitions        partitions for topics this replay creates
 * @param replicationFactor replication factor for topics this replay creates
 * @param rate              events per second; 0 = as fast as possible
 * @param speedup           seconds of dataset time per second of wall time; 0 = off (exclusive with rate)
 * @param limit             stop after this many events; -1 = no limit
 * @param from              skip the first {@code from} events of the time-ordered stream (resume)
 * @param loop              start over at the end (event times keep increasing: each pass is shifted by the span)
 * @param sendMetadata      produce item/user metadata to the compacted topics first
 * @param createTopics      create missing topics (compaction for the compacted ones)
 * @param dryRun            read, sort and count without Kafka
 * @param progress          how to show progress
 * @param logInterval       period of the plain progress log lines
 */
public record ReplayConfig(ReplaySource source, Topics topics, int partitions, short replicationFactor,
                           double rate, double speedup, long limit, long from, boolean loop,
                           boolean sendMetadata, boolean createTopics, boolean dryRun,
                           ProgressMode progress, Duration logInterval) {

    public ReplayConfig {
        Objects.requireNonNull(source, "source");
        topics = topics == null ? Topics.defaults() : topics;
        progress = progress == null ? ProgressMode.AUTO : progress;
        logInterval = logInterval == null ? Duration.ofSeconds(5) : logInterval;
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1, got " + partitions);
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("replication factor must be >= 1, got " + replicationFactor);
        }
        if (!(rate >= 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("--rate must be a finite number >= 0 (0 = as fast as possible), got " + rate);
        }
        if (!(speedup >= 0) || Double.isInfinite(speedup)) {
            throw new IllegalArgumentException("--speedup must be a finite number >= 0, got " + speedup);
        }
        if (rate > 0 && speedup > 0) {
            throw new IllegalArgumentException("--rate and --speedup cannot be combined: pick one pacing");
        }
        if (limit < -1) {
            throw new IllegalArgumentException("--limit must be >= 0 (or -1 for none), got " + limit);
        }
        if (from < 0) {
            throw new IllegalArgumentException("--from must be >= 0, got " + from);
        }
        if (logInterval.isNegative() || logInterval.isZero()) {
            throw new IllegalArgumentException("log interval must be positive");
        }
    }

    /** Max speed, no limit, metadata on, topics created, two partitions, progress shown automatically. */
    public static ReplayConfig of(ReplaySource source, Topics topics) {
        return new ReplayConfig(source, topics, 2, (short) 1, 0, 0, -1, 0, false, true, true, false,
                ProgressMode.AUTO, Duration.ofSeconds(5));
    }

    public ReplayConfig withPartitions(int n) {
        return new ReplayConfig(source, topics, n, replicationFactor, rate, speedup, limit, from, loop, sendMetadata,
                createTopics, dryRun, progress, logInterval);
    }

    public ReplayConfig withPacing(double rate, double speedup) {
        return new ReplayConfig(source, topics, partitions, replicationFactor, rate, speedup, limit, from, loop,
                sendMetadata, createTopics, dryRun, progress, logInterval);
    }

    public ReplayConfig withRange(long from, long limit, boolean loop) {
        return new ReplayConfig(source, topics, partitions, replicationFactor, rate, speedup, limit, from, loop,
                sendMetadata, createTopics, dryRun, progress, logInterval);
    }

    public ReplayConfig withDryRun(boolean dry) {
        return new ReplayConfig(source, topics, partitions, replicationFactor, rate, speedup, limit, from, loop,
                sendMetadata, createTopics, dry, progress, logInterval);
    }

    public ReplayConfig withProgress(ProgressMode mode) {
        return new ReplayConfig(source, topics, partitions, replicationFactor, rate, speedup, limit, from, loop,
                sendMetadata, createTopics, dryRun, mode, logInterval);
    }

    public ReplayConfig withMetadata(boolean send) {
        return new ReplayConfig(source, topics, partitions, replicationFactor, rate, speedup, limit, from, loop,
                send, createTopics, dryRun, progress, logInterval);
    }
}
