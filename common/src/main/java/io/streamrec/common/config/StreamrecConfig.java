package io.streamrec.common.config;

import io.streamrec.common.topic.Topics;

import java.nio.file.Path;
import java.util.Map;

/**
 * What every streamrec process needs to find the others: the Kafka bootstrap servers, the topic prefix, topic layout
 * and the local data directory. Immutable and validated; built from {@link Settings} so a properties file, the
 * environment and flags all work the same way.
 */
public record StreamrecConfig(String bootstrapServers, Topics topics, int partitions, short replicationFactor,
                              Path dataDir, Map<String, String> kafkaOverrides) {

    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    public static final String TOPIC_PREFIX = "topic.prefix";
    public static final String PARTITIONS = "partitions";
    public static final String REPLICATION_FACTOR = "replication.factor";
    public static final String DATA_DIR = "data.dir";
    /** Settings under this prefix go to every Kafka client verbatim, e.g. {@code kafka.security.protocol}. */
    public static final String KAFKA_PREFIX = "kafka.";

    public static final String DEFAULT_BOOTSTRAP = "127.0.0.1:9092";

    public StreamrecConfig {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new ConfigException(BOOTSTRAP_SERVERS + " must not be empty");
        }
        for (String hp : bootstrapServers.split(",")) {
            if (!hp.trim().matches("[^:\\s]+:\\d{1,5}")) {
                throw new ConfigException(BOOTSTRAP_SERVERS + " must be HOST:PORT[,HOST:PORT...], got '" + bootstrapServers + "'");
            }
        }
        if (partitions < 1 || partitions > 1024) {
            throw new ConfigException(PARTITIONS + " must be in [1, 1024], got " + partitions);
        }
        if (replicationFactor < 1) {
            throw new ConfigException(REPLICATION_FACTOR + " must be at least 1, got " + replicationFactor);
        }
        kafkaOverrides = Map.copyOf(kafkaOverrides);
    }

    public static StreamrecConfig from(Settings s) {
        Topics topics;
        try {
            topics = new Topics(s.getString(TOPIC_PREFIX, ""));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage() + s.from(TOPIC_PREFIX), e);
        }
        return new StreamrecConfig(
                s.getString(BOOTSTRAP_SERVERS, DEFAULT_BOOTSTRAP).trim(),
                topics,
                s.getInt(PARTITIONS, 2, 1, 1024),
                (short) s.getInt(REPLICATION_FACTOR, 1, 1, Short.MAX_VALUE),
                Path.of(s.getString(DATA_DIR, ".streamrec")),
                s.withPrefix(KAFKA_PREFIX));
    }

    /** One line for the start-up log. */
    public String summary() {
        return "bootstrap=" + bootstrapServers + " topicPrefix='" + topics.prefix() + "' partitions=" + partitions
                + " dataDir=" + dataDir;
    }
}
