package io.streamrec.scorer.stream;

import io.streamrec.common.serde.BinarySerde;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import java.nio.ByteBuffer;
import java.util.function.ToLongFunction;

/**
 * Fills a global metadata store (items or users) from its compacted topic. Decodes raw bytes itself (through its
 * {@link PoisonGuard}) so poison is counted identically live and on restore. The id comes from the key (an 8-byte long); a record without a key is
 * filed under the id its value carries, as a plain producer may leave the key out.
 */
public final class MetadataProcessor<V> implements Processor<byte[], byte[], Void, Void> {

    private final String storeName;
    private final PoisonGuard guard;
    private final BinarySerde<V> serde;
    private final ToLongFunction<V> idOf;
    private final String what;
    private ProcessorContext<Void, Void> context;
    private KeyValueStore<Long, V> store;

    public MetadataProcessor(String storeName, PoisonGuard guard, BinarySerde<V> serde, ToLongFunction<V> idOf) {
        this.storeName = storeName;
        this.guard = guard;
        this.serde = serde;
        this.idOf = idOf;
        this.what = storeName + " value";
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        store = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        byte[] k = record.key();
        if (k != null && k.length != 8) {
            guard.skip("BAD_KEY", "key of " + k.length + " bytes, not an 8-byte id", context);
            return;
        }
        if (record.value() == null) {
            if (k != null) {
                store.delete(ByteBuffer.wrap(k).getLong());
            }
            return;
        }
        V value = guard.decode(serde::decode, record.value(), what, context);
        if (value == null) {
            return;
        }
        long id = k != null ? ByteBuffer.wrap(k).getLong() : idOf.applyAsLong(value);
        store.put(id, value);
    }
}
