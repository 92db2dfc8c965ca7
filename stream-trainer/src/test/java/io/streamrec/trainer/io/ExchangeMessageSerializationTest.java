package io.streamrec.trainer.io;

import io.streamrec.trainer.exchange.DenseWeights;
import io.streamrec.trainer.exchange.ExchangeMessage;
import io.streamrec.trainer.exchange.ItemDelta;
import io.streamrec.trainer.exchange.RatingStats;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/** The exchange stream is typed by the sealed {@link ExchangeMessage}: Flink must carry both kinds between tasks. */
class ExchangeMessageSerializationTest {

    @Test
    void flinkCarriesBothMessageKindsAndTheModelRecord() throws IOException {
        // As the trainer runs: generic (Kryo) types disabled.
        SerializerConfigImpl config = new SerializerConfigImpl();
        config.setGenericTypes(false);
        TypeSerializer<ExchangeMessage> s = new ItemDeltaDeserializer().getProducedType().createSerializer(config);
        for (ExchangeMessage m : new ExchangeMessage[]{
                ItemDelta.of("r/0/1", 3, 2, new long[]{7}, new float[]{1, 2}, new RatingStats(1, 4.0, 4f, 4f)),
                new DenseWeights("r/0/0", 5, new byte[]{1, 2, 3})}) {
            assertThat(roundTrip(s, m)).isEqualTo(m);
            DataOutputSerializer copied = new DataOutputSerializer(64);
            DataOutputSerializer out = new DataOutputSerializer(64);
            s.serialize(m, out);
            s.copy(new DataInputDeserializer(out.getCopyOfBuffer()), copied);
            assertThat(s.deserialize(new DataInputDeserializer(copied.getCopyOfBuffer()))).isEqualTo(m);
        }
        TypeSerializer<ModelUpdate> ms = org.apache.flink.api.common.typeinfo.TypeInformation.of(ModelUpdate.class)
                .createSerializer(config);
        ModelUpdate u = new ModelUpdate("dlplus", new byte[]{4, 5});
        assertThat(roundTrip(ms, u)).isEqualTo(u);
    }

    private static <T> T roundTrip(TypeSerializer<T> s, T value) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        s.serialize(value, out);
        return s.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }
}
