package io.streamrec.common.serde;

import io.streamrec.common.event.RejectReason;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Base of our compact binary serdes: one encode and one decode method, exposed as a Kafka {@link Serde}. Null stays
 * null (a tombstone), so compacted topics can delete rows.
 */
public abstract class BinarySerde<T> implements Serde<T>, Serializer<T>, Deserializer<T> {

    /** Encodes a non-null value. */
    public abstract byte[] encode(T value);

    /** Decodes non-null bytes, or throws {@link MalformedRecordException}. */
    public abstract T decode(byte[] bytes);

    @Override
    public byte[] serialize(String topic, T data) {
        return data == null ? null : encode(data);
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        return data == null ? null : decode(data);
    }

    @Override
    public Serializer<T> serializer() {
        return this;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this;
    }

    @Override
    public void configure(java.util.Map<String, ?> configs, boolean isKey) {
        // nothing to configure
    }

    @Override
    public void close() {
        // stateless
    }

    static void requireVersion(byte[] bytes, byte expected, String what) {
        if (bytes.length == 0) {
            throw new MalformedRecordException(RejectReason.EMPTY, "empty " + what + " record");
        }
        if (bytes[0] != expected) {
            throw new MalformedRecordException(RejectReason.UNKNOWN_VERSION,
                    what + " format version " + (bytes[0] & 0xff) + " is not supported (this build reads " + expected + ")");
        }
    }
}
