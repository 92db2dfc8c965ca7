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
 * {@link PoisonGuard}) so poison is counted identically live and on restore. The id comes from the key: an 8-byte
 * big-endian long, or the id as a decimal string, which is all text-only producers (console producer, kcat) can send.
 * A record without a key is filed under the id its value carries, as a plain producer may leave the key out.
 */
public final class MetadataProcessor<V> implements Processor<byte[], byte[], Void, Void> {

    private final String storeName;
    private final PoisonGuard guard;
    private final BinarySerde<V> serde;
    private final ToLongFunction<V> idOf;
    private final String what;
    private final Listener<V> listener;

    /**
     * Told of every stored change, before the store (restores included); it may refuse a record by throwing
     * {@link io.streamrec.common.serde.MalformedRecordException}, which is counted under its reason and not stored.
     */
    public interface Listener<V> {
        void put(long id, V value);

        void remove(long id);
    }
    private ProcessorContext<Void, Void> context;
    private KeyValueStore<Long, V> store;

    public MetadataProcessor(String storeName, PoisonGuard guard, BinarySerde<V> serde, ToLongFunction<V> idOf) {
        this.storeName = storeName;
        this.guard = guard;
        this.serde = serde;
        this.idOf = idOf;
        this.what = storeName + " value";
        this.listener = null;
    }

    /** As the plain constructor, telling {@code listener} of each change (the hybrid family's cold-start vectors). */
    public MetadataProcessor(String storeName, PoisonGuard guard, BinarySerde<V> serde, ToLongFunction<V> idOf,
                             Listener<V> listener) {
        this.storeName = storeName;
        this.guard = guard;
        this.serde = serde;
        this.idOf = idOf;
        this.what = storeName + " value";
        this.listener = java.util.Objects.requireNonNull(listener, "listener");
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        store = context.getStateStore(storeName);
        if (listener != null) {
            try (var it = store.all()) {
                while (it.hasNext()) {
                    var kv = it.next();
                    try {
                        listener.put(kv.key, kv.value);
                    } catch (io.streamrec.common.serde.MalformedRecordException e) {
                        // Stored by a build without the limits: refused now, as it would be live.
                        guard.skip(e.reason().name(), e.getMessage(), null);
                    }
                }
            }
        }
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        byte[] k = record.key();
        long keyId = k == null ? -1 : keyId(k);
        if (k != null && keyId < 0) {
            guard.skip("BAD_KEY", "key of " + k.length + " bytes is neither an 8-byte id nor a decimal id", context);
            return;
        }
        if (record.value() == null) {
            if (k != null) {
                store.delete(keyId);
                if (listener != null) {
                    listener.remove(keyId);
                }
            }
            return;
        }
        V value = guard.decode(serde::decode, record.value(), what, context);
        if (value == null) {
            return;
        }
        long id = k != null ? keyId : idOf.applyAsLong(value);
        if (listener != null) {
            try {
                listener.put(id, value);
            } catch (io.streamrec.common.serde.MalformedRecordException e) {
                guard.skip(e.reason().name(), e.getMessage(), context);
                return;
            }
        }
        store.put(id, value);
    }

    /**
     * The id a key names, or -1. Eight bytes that are all ASCII digits read as decimal text: as a big-endian long they
     * would be an id above 3.4·10^18, which no dataset has, while "12345678" is a plausible id typed by hand.
     */
    static long keyId(byte[] k) {
        boolean digits = k.length > 0 && k.length <= 18;
        for (byte b : k) {
            digits &= b >= '0' && b <= '9';
        }
        if (digits && !(k.length > 1 && k[0] == '0')) {
            return Long.parseLong(new String(k, java.nio.charset.StandardCharsets.US_ASCII));
        }
        if (k.length == 8) {
            long id = ByteBuffer.wrap(k).getLong();
            return id >= 0 ? id : -1;
        }
        return -1;
    }
}
