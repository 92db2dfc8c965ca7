package io.streamrec.scorer.stream;

import io.streamrec.common.serde.BinarySerde;
import io.streamrec.common.serde.MalformedRecordException;
import io.streamrec.scorer.ScorerMetrics;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import java.nio.ByteBuffer;
import java.util.function.ToLongFunction;

/**
 * Fills a global metadata store (items or users) from its compacted topic. Decodes raw bytes itself so poison is
 * counted identically live and on restore. The id comes from the key (an 8-byte long); a record without a key is
 * filed under the id its value carries, as a plain producer may leave the key out.
 */
public final class MetadataProcessor<V> implements Processor<byte[], byte[], Void, Void> {

    private final String storeName;
    private final String topic;
    private final BinarySerde<V> serde;
    private final ToLongFunction<V> idOf;
    private final ScorerMetrics metrics;
    private KeyValueStore<Long, V> store;

    public MetadataProcessor(String storeName, String topic, BinarySerde<V> serde, ToLongFunction<V> idOf, ScorerMetrics metrics) {
        this.storeName = storeName;
        this.topic = topic;
        this.serde = serde;
        this.idOf = idOf;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        byte[] k = record.key();
        if (k != null && k.length != 8) {
            metrics.poison(topic, "BAD_KEY");
            return;
        }
        if (record.value() == null) {
            if (k != null) {
                store.delete(ByteBuffer.wrap(k).getLong());
            }
            return;
        }
        V value;
        try {
            value = serde.decode(record.value());
        } catch (MalformedRecordException e) {
            metrics.poison(topic, e.reason().name());
            return;
        } catch (RuntimeException e) {
            metrics.poison(topic, e.getClass().getSimpleName());
            return;
        }
        long id = k != null ? ByteBuffer.wrap(k).getLong() : idOf.applyAsLong(value);
        store.put(id, value);
    }
}
