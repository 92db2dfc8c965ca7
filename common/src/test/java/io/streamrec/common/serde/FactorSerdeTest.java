package io.streamrec.common.serde;

import io.streamrec.common.event.FactorKey;
import io.streamrec.common.event.FactorKind;
import io.streamrec.common.event.FactorRow;
import io.streamrec.common.event.RejectReason;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FactorSerdeTest {

    private final FactorKeySerde keys = new FactorKeySerde();
    private final FactorRowSerde rows = new FactorRowSerde();

    @Test
    void keysRoundTripForEveryKind() {
        for (FactorKey k : new FactorKey[]{FactorKey.user(42), FactorKey.item(Long.MAX_VALUE), FactorKey.GLOBAL}) {
            assertThat(keys.decode(keys.encode(k))).isEqualTo(k);
        }
    }

    @Test
    void equalKeysHaveEqualBytesSoCompactionWorks() {
        assertThat(keys.encode(FactorKey.user(7))).isEqualTo(keys.encode(new FactorKey(FactorKind.USER, 7)));
        assertThat(keys.encode(FactorKey.user(7))).isNotEqualTo(keys.encode(FactorKey.item(7)));
    }

    @Test
    void rowsRoundTrip() {
        float[] v = new float[32];
        Random rnd = new Random(1);
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        FactorRow row = new FactorRow(17, -0.25f, v, 123_456L);
        FactorRow back = rows.decode(rows.encode(row));
        assertThat(back).isEqualTo(row);
        assertThat(back.vector()).containsExactly(v);
        FactorRow global = new FactorRow(3, 3.53f, new float[0], 9L);
        assertThat(rows.decode(rows.encode(global))).isEqualTo(global);
    }

    @Test
    void unknownVersionsAreTyped() {
        byte[] k = keys.encode(FactorKey.user(1));
        k[0] = 9;
        assertReason(() -> keys.decode(k), RejectReason.UNKNOWN_VERSION);
        byte[] r = rows.encode(new FactorRow(1, 0, new float[4], 0));
        r[0] = 2;
        assertReason(() -> rows.decode(r), RejectReason.UNKNOWN_VERSION);
    }

    @Test
    void truncatedRecordsAreTyped() {
        byte[] k = keys.encode(FactorKey.user(1));
        assertReason(() -> keys.decode(Arrays.copyOf(k, 5)), RejectReason.TRUNCATED);
        byte[] r = rows.encode(new FactorRow(1, 0, new float[4], 0));
        assertReason(() -> rows.decode(Arrays.copyOf(r, r.length - 1)), RejectReason.TRUNCATED);
        assertReason(() -> rows.decode(Arrays.copyOf(r, 10)), RejectReason.TRUNCATED);
    }

    @Test
    void garbageIsTypedAndNeverAllocatesHuge() {
        assertReason(() -> keys.decode(new byte[]{1, 'X', 0, 0, 0, 0, 0, 0, 0, 0}), RejectReason.GARBAGE);
        assertReason(() -> keys.decode(new byte[]{1, 'G', 0, 0, 0, 0, 0, 0, 0, 5}), RejectReason.BAD_ID);
        byte[] hugeDim = ByteBuffer.allocate(FactorRowSerde.HEADER).put((byte) 1).putLong(1).putFloat(0).putLong(0)
                .putShort((short) 0xFFFF).array();
        assertReason(() -> rows.decode(hugeDim), RejectReason.GARBAGE);
        assertReason(() -> rows.decode(new byte[0]), RejectReason.EMPTY);
        Random rnd = new Random(3);
        for (int i = 0; i < 2_000; i++) {
            byte[] b = new byte[rnd.nextInt(200) + 1];
            rnd.nextBytes(b);
            try {
                rows.decode(b);
                keys.decode(b);
            } catch (MalformedRecordException expected) {
                assertThat(expected.reason()).isNotNull();
            }
        }
    }

    private static void assertReason(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, RejectReason reason) {
        assertThatThrownBy(call).isInstanceOf(MalformedRecordException.class)
                .satisfies(e -> assertThat(((MalformedRecordException) e).reason()).isEqualTo(reason));
    }
}
