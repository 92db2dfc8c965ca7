package io.streamrec.scorer;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Read access to the scorer's key-value stores by name: over all local tasks of a running {@link KafkaStreams}
 * (interactive queries), or a test driver's stores. Throws Kafka's {@code InvalidStateStoreException} while stores
 * are restoring or migrating; the HTTP layer answers 503 then.
 */
@FunctionalInterface
public interface StoreProvider {

    <K, V> ReadOnlyKeyValueStore<K, V> store(String name);

    static StoreProvider of(KafkaStreams streams) {
        return new StoreProvider() {
            @Override
            public <K, V> ReadOnlyKeyValueStore<K, V> store(String name) {
                return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<K, V>keyValueStore()));
            }
        };
    }
}
