package io.streamrec.scorer.http;

import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A sorted in-memory read-only store for the HTTP benchmark fixture, filled directly: the test driver flushes RocksDB
 * after every record, far too slow to load 62,000 items. Prefix scans work on {@link Bytes} keys.
 */
final class MapStore<K, V> implements ReadOnlyKeyValueStore<K, V> {

    final NavigableMap<K, V> map;

    /** Keys in natural order (they must be Comparable). */
    MapStore() {
        map = new ConcurrentSkipListMap<>();
    }

    MapStore(java.util.Comparator<K> order) {
        map = new ConcurrentSkipListMap<>(order);
    }

    @Override
    public V get(K key) {
        return map.get(key);
    }

    @Override
    public KeyValueIterator<K, V> range(K from, K to) {
        return iterator(map.subMap(from, true, to, true));
    }

    @Override
    public KeyValueIterator<K, V> all() {
        return iterator(map);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <PS extends Serializer<P>, P> KeyValueIterator<K, V> prefixScan(P prefix, PS serializer) {
        byte[] p = serializer.serialize(null, prefix);
        Bytes from = Bytes.wrap(p);
        return iterator(((NavigableMap<Bytes, V>) map).tailMap(from, true).entrySet().stream()
                .takeWhile(e -> startsWith(e.getKey().get(), p))
                .collect(java.util.stream.Collectors.toMap(e -> (K) e.getKey(), Map.Entry::getValue, (a, b) -> a,
                        java.util.TreeMap::new)));
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        if (key.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (key[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public long approximateNumEntries() {
        return map.size();
    }

    private KeyValueIterator<K, V> iterator(Map<K, V> m) {
        Iterator<Map.Entry<K, V>> it = m.entrySet().iterator();
        return new KeyValueIterator<>() {
            @Override
            public void close() {
            }

            @Override
            public K peekNextKey() {
                throw new UnsupportedOperationException();
            }

            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public KeyValue<K, V> next() {
                Map.Entry<K, V> e = it.next();
                return KeyValue.pair(e.getKey(), e.getValue());
            }
        };
    }
}
