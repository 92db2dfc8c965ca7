package io.streamrec.trainer.exchange;

import io.streamrec.common.event.RejectReason;
import io.streamrec.common.serde.MalformedRecordException;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ItemDeltaSerdeTest {

    private static final ItemDelta DELTA = ItemDelta.of("r/0/1", 3, 2, new long[]{7, 9}, new float[]{1, 2, 3, 4},
            new RatingStats(2, 7.5, 3f, 4.5f));

    @Test
    void bothMessageTypesRoundTrip() {
        assertThat(ItemDeltaSerde.decode(ItemDeltaSerde.encode(DELTA))).isEqualTo(DELTA);
        DenseWeights w = new DenseWeights("r/0/0", 5, new byte[]{1, 2, 3});
        assertThat(ItemDeltaSerde.decode(ItemDeltaSerde.encode(w))).isEqualTo(w);
        assertThat(ItemDeltaSerde.encode(w)[0]).isEqualTo(ItemDeltaSerde.VERSION);
        assertThat(ItemDeltaSerde.encode(w)[1]).isEqualTo(ItemDeltaSerde.TYPE_DENSE_WEIGHTS);
        assertThatThrownBy(() -> ItemDeltaSerde.decodeDelta(ItemDeltaSerde.encode(w))).isInstanceOf(MalformedRecordException.class);
    }

    @Test
    void aVersionOneDeltaStillDecodes() {
        byte[] origin = DELTA.origin().getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(1 + 2 + origin.length + 8 + 8 + 8 + 4 + 4 + 4 + 4 + 2 * (8 + 8));
        b.put((byte) 1).putShort((short) origin.length).put(origin).putLong(3).putLong(2).putDouble(7.5).putFloat(3f)
                .putFloat(4.5f).putInt(2).putInt(2).putLong(7).putFloat(1).putFloat(2).putLong(9).putFloat(3).putFloat(4);
        assertThat(ItemDeltaSerde.decode(b.array())).isEqualTo(DELTA);
    }

    @Test
    void unknownVersionsAndTypesAreRefusedClearly() {
        byte[] bytes = ItemDeltaSerde.encode(DELTA);
        bytes[1] = 9;
        assertThatThrownBy(() -> ItemDeltaSerde.decode(bytes))
                .isInstanceOfSatisfying(MalformedRecordException.class, e -> assertThat(e.reason()).isEqualTo(RejectReason.UNKNOWN_VERSION))
                .hasMessageContaining("type 9");
        byte[] future = ItemDeltaSerde.encode(DELTA);
        future[0] = 3;
        assertThatThrownBy(() -> ItemDeltaSerde.decode(future)).hasMessageContaining("version 3");
        byte[] truncated = java.util.Arrays.copyOf(ItemDeltaSerde.encode(new DenseWeights("o", 1, new byte[10])), 20);
        assertThatThrownBy(() -> ItemDeltaSerde.decode(truncated)).isInstanceOf(MalformedRecordException.class);
    }
}
