package io.streamrec.scorer;

import io.streamrec.common.topic.ModelFamilies;
import io.streamrec.common.config.ConfigException;
import io.streamrec.common.event.RatingScale;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything that tunes the scorer, validated once.
 *
 * @param applicationId     Kafka Streams application id (consumer group and internal topic prefix)
 * @param stateDir          where RocksDB stores live (under the configured data dir, never /tmp)
 * @param httpHost          address the HTTP server binds (loopback by default)
 * @param httpPort          its port; 0 picks a free one
 * @param pushTopK          length of the lists written to the recommendations topic
 * @param minPushInterval   a user's recommendations are pushed at most once per this interval
 * @param recomputeInterval how often changed users are collected and recomputed in one batch
 * @param maxBatchUsers     users recomputed per pass at most, so one pass never stalls the stream thread for long
 * @param likedThreshold    a rating at or above this makes the user a "fan" of the item (also-liked)
 * @param maxFans           fans averaged per also-liked request at most
 * @param ratingScale       ratings outside it are rejected (counted), as the trainer does
 * @param streamThreads     Kafka Streams threads
 * @param userPartitions    partitions of the internal user-events topic (fixed, so every instance agrees who owns a user)
 * @param standbyReplicas   warm copies of each user partition's stores on other instances (Kafka Streams standbys): a
 *                          moved or lost partition is back in seconds instead of a changelog restore
 */
public record ScorerOptions(String applicationId, Path stateDir, String httpHost, int httpPort, int pushTopK,
                            Duration minPushInterval, Duration recomputeInterval, int maxBatchUsers,
                            float likedThreshold, int maxFans, RatingScale ratingScale, int streamThreads,
                            int userPartitions, int standbyReplicas, List<String> models) {

    public static final int MAX_K = 1000;

    public ScorerOptions {
        Objects.requireNonNull(applicationId, "applicationId");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(httpHost, "httpHost");
        Objects.requireNonNull(ratingScale, "ratingScale");
        if (!applicationId.matches("[A-Za-z0-9._-]+")) {
            throw new ConfigException("application id may only hold letters, digits, '.', '_' and '-': '" + applicationId + "'");
        }
        if (httpPort < 0 || httpPort > 65535) {
            throw new ConfigException("HTTP port must be in [0, 65535], got " + httpPort);
        }
        if (pushTopK < 1 || pushTopK > MAX_K) {
            throw new ConfigException("--push-k must be in [1, " + MAX_K + "], got " + pushTopK);
        }
        if (minPushInterval.isNegative()) {
            throw new ConfigException("--min-push-interval must not be negative, got " + minPushInterval);
        }
        if (recomputeInterval.toMillis() < 1) {
            throw new ConfigException("--recompute-interval must be at least 1 ms, got " + recomputeInterval);
        }
        if (maxBatchUsers < 1) {
            throw new ConfigException("--max-batch-users must be at least 1, got " + maxBatchUsers);
        }
        if (!Float.isFinite(likedThreshold)) {
            throw new ConfigException("--liked-threshold must be a finite number, got " + likedThreshold);
        }
        if (maxFans < 1) {
            throw new ConfigException("--max-fans must be at least 1, got " + maxFans);
        }
        if (userPartitions < 1 || userPartitions > 1024) {
            throw new ConfigException("user partitions must be in [1, 1024], got " + userPartitions);
        }
        if (standbyReplicas < 0 || standbyReplicas > 8) {
            throw new ConfigException("--standby-replicas must be in [0, 8], got " + standbyReplicas);
        }
        if (streamThreads < 1 || streamThreads > 64) {
            throw new ConfigException("--stream-threads must be in [1, 64], got " + streamThreads);
        }
        models = List.copyOf(models);
        if (!models.isEmpty()) {
            try {
                new ModelFamilies(models);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("--model: " + e.getMessage());
            }
        }
    }

    /** Serving the one family the factors topic holds (no family list). */
    public ScorerOptions(String applicationId, Path stateDir, String httpHost, int httpPort, int pushTopK,
                         Duration minPushInterval, Duration recomputeInterval, int maxBatchUsers,
                         float likedThreshold, int maxFans, RatingScale ratingScale, int streamThreads,
                         int userPartitions, int standbyReplicas) {
        this(applicationId, stateDir, httpHost, httpPort, pushTopK, minPushInterval, recomputeInterval, maxBatchUsers,
                likedThreshold, maxFans, ratingScale, streamThreads, userPartitions, standbyReplicas, List.of());
    }

    /** The families served side by side (first the default); empty without a family list. */
    public java.util.Optional<ModelFamilies> families() {
        return models.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(new ModelFamilies(models));
    }

    public ScorerOptions withModels(ModelFamilies families) {
        return new ScorerOptions(applicationId, stateDir, httpHost, httpPort, pushTopK, minPushInterval, recomputeInterval,
                maxBatchUsers, likedThreshold, maxFans, ratingScale, streamThreads, userPartitions, standbyReplicas, families.ids());
    }

    /** Defaults for a scorer whose state lives under {@code dataDir}. */
    public static ScorerOptions defaults(String applicationId, Path dataDir) {
        return new ScorerOptions(applicationId, dataDir.resolve("scorer-state"), "127.0.0.1", 8080, 10,
                Duration.ofSeconds(1), Duration.ofMillis(200), 4096, 4.0f, 2000, RatingScale.ZERO_TO_FIVE, 1, 2, 0);
    }

    public ScorerOptions withHttp(String host, int port) {
        return new ScorerOptions(applicationId, stateDir, host, port, pushTopK, minPushInterval, recomputeInterval,
                maxBatchUsers, likedThreshold, maxFans, ratingScale, streamThreads, userPartitions, standbyReplicas, models);
    }

    public ScorerOptions withPush(int k, Duration minInterval, Duration recompute) {
        return new ScorerOptions(applicationId, stateDir, httpHost, httpPort, k, minInterval, recompute,
                maxBatchUsers, likedThreshold, maxFans, ratingScale, streamThreads, userPartitions, standbyReplicas, models);
    }

    public ScorerOptions withUserPartitions(int partitions) {
        return new ScorerOptions(applicationId, stateDir, httpHost, httpPort, pushTopK, minPushInterval, recomputeInterval,
                maxBatchUsers, likedThreshold, maxFans, ratingScale, streamThreads, partitions, standbyReplicas, models);
    }

    public ScorerOptions withStandbyReplicas(int replicas) {
        return new ScorerOptions(applicationId, stateDir, httpHost, httpPort, pushTopK, minPushInterval, recomputeInterval,
                maxBatchUsers, likedThreshold, maxFans, ratingScale, streamThreads, userPartitions, replicas, models);
    }

    public String summary() {
        return "app=" + applicationId + " state=" + stateDir + " pushK=" + pushTopK + " minPushInterval="
                + minPushInterval.toMillis() + "ms recompute=" + recomputeInterval.toMillis() + "ms liked>=" + likedThreshold
                + " scale=" + ratingScale + " threads=" + streamThreads + " userPartitions=" + userPartitions + " standbys=" + standbyReplicas
                + (models.isEmpty() ? "" : " models=" + String.join(",", models));
    }
}
