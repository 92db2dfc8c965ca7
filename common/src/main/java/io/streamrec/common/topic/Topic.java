package io.streamrec.common.topic;

import org.apache.kafka.common.serialization.Serde;

import java.util.Map;
import java.util.Objects;

/**
 * A Kafka topic and the serdes of its keys and values, shared from one place so producers and readers agree, with
 * what creating it takes ({@link TopicAdmin}).
 *
 * @param partitions  a fixed partition count, or 0 for the deployment's configured count
 * @param configs     topic configs beyond compaction (retention, message size)
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde, boolean compacted, int partitions,
                          Map<String, String> configs) {
    public Topic {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(keySerde, "keySerde");
        Objects.requireNonNull(valueSerde, "valueSerde");
        if (name.isBlank()) {
            throw new IllegalArgumentException("topic name must not be blank");
        }
        if (partitions < 0) {
            throw new IllegalArgumentException("partitions must be >= 0 (0 = as configured), got " + partitions);
        }
        configs = Map.copyOf(configs);
    }

    /** A topic with the configured partition count and no configs beyond compaction. */
    public Topic(String name, Serde<K> keySerde, Serde<V> valueSerde, boolean compacted) {
        this(name, keySerde, valueSerde, compacted, 0, Map.of());
    }
}
