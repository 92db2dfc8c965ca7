package io.streamrec.trainer.io;

import io.streamrec.trainer.exchange.ExchangeMessage;
import io.streamrec.trainer.exchange.ItemDeltaSerde;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;

/**
 * Flink's type for the exchange stream: {@link ExchangeMessage} is a sealed interface (item deltas or dense weights),
 * which Flink would treat as a generic Kryo type, and the trainer disables generic types. Between tasks a message
 * travels in its Kafka wire form ({@link ItemDeltaSerde}, length-prefixed). Never held in state.
 */
public final class ExchangeMessageTypeInfo extends TypeInformation<ExchangeMessage> {

    private static final long serialVersionUID = 1L;

    public static final ExchangeMessageTypeInfo INSTANCE = new ExchangeMessageTypeInfo();

    private ExchangeMessageTypeInfo() {
    }

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<ExchangeMessage> getTypeClass() {
        return ExchangeMessage.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<ExchangeMessage> createSerializer(SerializerConfig config) {
        return Serializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "ExchangeMessage";
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof ExchangeMessageTypeInfo;
    }

    @Override
    public int hashCode() {
        return ExchangeMessageTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object obj) {
        return obj instanceof ExchangeMessageTypeInfo;
    }

    /** Length-prefixed {@link ItemDeltaSerde} bytes; messages are immutable, so copies are the same object. */
    public static final class Serializer extends TypeSerializerSingleton<ExchangeMessage> {

        private static final long serialVersionUID = 1L;
        static final Serializer INSTANCE = new Serializer();

        @Override
        public boolean isImmutableType() {
            return true;
        }

        @Override
        public ExchangeMessage createInstance() {
            return null;
        }

        @Override
        public ExchangeMessage copy(ExchangeMessage from) {
            return from;
        }

        @Override
        public ExchangeMessage copy(ExchangeMessage from, ExchangeMessage reuse) {
            return from;
        }

        @Override
        public int getLength() {
            return -1;
        }

        @Override
        public void serialize(ExchangeMessage record, DataOutputView target) throws IOException {
            byte[] b = ItemDeltaSerde.encode(record);
            target.writeInt(b.length);
            target.write(b);
        }

        @Override
        public ExchangeMessage deserialize(DataInputView source) throws IOException {
            byte[] b = new byte[source.readInt()];
            source.readFully(b);
            return ItemDeltaSerde.decode(b);
        }

        @Override
        public ExchangeMessage deserialize(ExchangeMessage reuse, DataInputView source) throws IOException {
            return deserialize(source);
        }

        @Override
        public void copy(DataInputView source, DataOutputView target) throws IOException {
            byte[] b = new byte[source.readInt()];
            source.readFully(b);
            target.writeInt(b.length);
            target.write(b);
        }

        @Override
        public TypeSerializerSnapshot<ExchangeMessage> snapshotConfiguration() {
            return new Snapshot();
        }

        /** For Flink's serializer compatibility checks. */
        public static final class Snapshot extends SimpleTypeSerializerSnapshot<ExchangeMessage> {
            public Snapshot() {
                super(() -> INSTANCE);
            }
        }
    }
}
