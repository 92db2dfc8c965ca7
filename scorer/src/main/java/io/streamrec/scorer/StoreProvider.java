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

    /**
     * The store of one partition only ({@code partition} < 0: all local ones). Reads of a user's state are pinned to
     * the user's partition, so a partition that just moved away fails loudly instead of reading as an empty history.
     */
    default <K, V> ReadOnlyKeyValueStore<K, V> store(String name, int partition) {
        return store(name);
    }

    static StoreProvider of(KafkaStreams streams) {
        return new StoreProvider() {
            @Override
            public <K, V> ReadOnlyKeyValueStore<K, V> store(String name) {
                return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<K, V>keyValueStore()));
            }

            @Override
            public <K, V> ReadOnlyKeyValueStore<K, V> store(String name, int partition) {
                if (partition < 0) {
                    return store(name);
                }
                return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<K, V>keyValueStore())
                        .withPartition(partition));
            }
        };
    }
}
