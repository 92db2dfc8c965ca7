package io.streamrec.common.topic;

import org.apache.kafka.common.serialization.Serde;

import java.util.Objects;

/** A Kafka topic and the serdes of its keys and values, shared from one place so producers and readers agree. */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde, boolean compacted) {
    public Topic {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(keySerde, "keySerde");
        Objects.requireNonNull(valueSerde, "valueSerde");
        if (name.isBlank()) {
            throw new IllegalArgumentException("topic name must not be blank");
        }
    }
}
