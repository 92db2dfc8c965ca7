package io.streamrec.common.serde;

import io.streamrec.common.event.FactorKey;
import io.streamrec.common.event.FactorKind;
import io.streamrec.common.event.FactorRow;
import io.streamrec.common.event.RejectReason;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
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
            // Each decoder on its own: in one try, keys.decode was only reached when rows.decode accepted the bytes.
            try {
                rows.decode(b);
            } catch (MalformedRecordException expected) {
                assertThat(expected.reason()).isNotNull();
            }
            try {
                keys.decode(b);
            } catch (MalformedRecordException expected) {
                assertThat(expected.reason()).isNotNull();
            }
        }
    }

    /**
     * Random bytes almost never get past the version byte (1 in 256) nor match the key's exact length, so they
     * exercise only the first check. Mutations of valid encodings reach every check of the key decoder; the counts of
     * outcomes show that they did. Whatever decodes must re-encode to the same bytes: compaction keys on the bytes,
     * so two encodings of one key would keep two rows for it.
     */
    @Test
    void mutatedKeysReachEveryCheckOfTheDecoderAndWhatDecodesIsCanonical() {
        Random rnd = new Random(5);
        FactorKey[] valid = {FactorKey.user(1), FactorKey.user(Long.MAX_VALUE), FactorKey.item(0), FactorKey.item(31_337),
                FactorKey.GLOBAL};
        int inputs = 20_000;
        FuzzOutcomes outcomes = new FuzzOutcomes();
        for (int i = 0; i < inputs; i++) {
            byte[] b = mutate(keys.encode(valid[rnd.nextInt(valid.length)]), rnd, new byte[]{'U', 'I', 'G'}, 1);
            try {
                FactorKey k = keys.decode(b);
                assertThat(keys.encode(k)).as("canonical encoding of %s", k).isEqualTo(b);
                outcomes.decoded++;
            } catch (MalformedRecordException e) {
                outcomes.rejected.merge(e.reason(), 1, Integer::sum);
            }
        }
        System.out.printf("factor key fuzz: %d inputs, %d past the version byte, %s%n", inputs, outcomes.pastVersion(), outcomes);
        assertThat(outcomes.pastVersion()).as("inputs that got past the version byte").isGreaterThan(inputs * 8 / 10);
        // Every branch after the version byte: wrong length, unknown kind, a global key with an id, and success.
        assertThat(outcomes.rejected.getOrDefault(RejectReason.TRUNCATED, 0)).isGreaterThan(inputs / 100);
        assertThat(outcomes.rejected.getOrDefault(RejectReason.GARBAGE, 0)).isGreaterThan(inputs / 100);
        assertThat(outcomes.rejected.getOrDefault(RejectReason.BAD_ID, 0)).isGreaterThan(inputs / 100);
        assertThat(outcomes.decoded).isGreaterThan(inputs / 100);
        assertThat(outcomes.rejected.keySet()).containsOnly(RejectReason.EMPTY, RejectReason.UNKNOWN_VERSION,
                RejectReason.TRUNCATED, RejectReason.GARBAGE, RejectReason.BAD_ID);
    }

    @Test
    void mutatedRowsReachEveryCheckOfTheDecoderAndWhatDecodesRoundTrips() {
        Random rnd = new Random(6);
        FactorRow[] valid = {new FactorRow(1, 0.5f, new float[]{1, -2, 3, 0.25f}, 7L), new FactorRow(9, 3.5f, new float[0], 0L),
                new FactorRow(Long.MAX_VALUE, -1f, new float[32], Long.MAX_VALUE)};
        int inputs = 20_000;
        FuzzOutcomes outcomes = new FuzzOutcomes();
        for (int i = 0; i < inputs; i++) {
            byte[] b = mutate(rows.encode(valid[rnd.nextInt(valid.length)]), rnd, null, 0);
            try {
                FactorRow r = rows.decode(b);
                byte[] again = rows.encode(r);
                assertThat(again).hasSameSizeAs(b);
                assertThat(rows.decode(again)).isEqualTo(r);
                outcomes.decoded++;
            } catch (MalformedRecordException e) {
                outcomes.rejected.merge(e.reason(), 1, Integer::sum);
            }
        }
        System.out.printf("factor row fuzz: %d inputs, %d past the version byte, %s%n", inputs, outcomes.pastVersion(), outcomes);
        assertThat(outcomes.pastVersion()).as("inputs that got past the version byte").isGreaterThan(inputs * 8 / 10);
        // After the version byte: short header, a dimension over the bound, a length that does not match it, success.
        assertThat(outcomes.rejected.getOrDefault(RejectReason.TRUNCATED, 0)).isGreaterThan(inputs / 100);
        assertThat(outcomes.rejected.getOrDefault(RejectReason.GARBAGE, 0)).isGreaterThan(inputs / 1000);
        assertThat(outcomes.decoded).isGreaterThan(inputs / 100);
    }

    /** How a fuzzed decoder answered: decoded, or rejected with a reason (any other exception fails the test). */
    private static final class FuzzOutcomes {
        int decoded;
        final Map<RejectReason, Integer> rejected = new EnumMap<>(RejectReason.class);

        /** Inputs whose rejection (or success) came from a check after the version byte. */
        int pastVersion() {
            return decoded + rejected.entrySet().stream()
                    .filter(e -> e.getKey() != RejectReason.EMPTY && e.getKey() != RejectReason.UNKNOWN_VERSION)
                    .mapToInt(Map.Entry::getValue).sum();
        }

        @Override
        public String toString() {
            return "decoded " + decoded + ", rejected " + rejected;
        }
    }

    /**
     * One or two mutations of a valid encoding: a flipped bit, a replaced byte, a truncation, trailing bytes, or (when
     * {@code codes} is given) a byte at {@code codePos} replaced by a valid code, so that a mutated payload still
     * reaches the checks after the code. The version byte is hit by chance like any other, about once in its length.
     */
    private static byte[] mutate(byte[] valid, Random rnd, byte[] codes, int codePos) {
        byte[] b = valid;
        int n = 1 + rnd.nextInt(2);
        for (int m = 0; m < n; m++) {
            int kind = rnd.nextInt(codes == null ? 4 : 5);
            switch (kind) {
                case 0 -> {
                    if (b.length > 0) {
                        b = b.clone();
                        int pos = rnd.nextInt(b.length);
                        b[pos] ^= (byte) (1 << rnd.nextInt(8));
                    }
                }
                case 1 -> {
                    if (b.length > 0) {
                        b = b.clone();
                        b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
                    }
                }
                case 2 -> b = Arrays.copyOf(b, rnd.nextInt(b.length + 1));
                case 3 -> {
                    byte[] tail = new byte[1 + rnd.nextInt(8)];
                    rnd.nextBytes(tail);
                    byte[] longer = Arrays.copyOf(b, b.length + tail.length);
                    System.arraycopy(tail, 0, longer, b.length, tail.length);
                    b = longer;
                }
                default -> {
                    if (b.length > codePos) {
                        b = b.clone();
                        b[codePos] = codes[rnd.nextInt(codes.length)];
                        // A random id, so a global code meets a non-zero id (BAD_ID) and other codes any id.
                        if (b.length >= codePos + 9 && rnd.nextBoolean()) {
                            ByteBuffer.wrap(b, codePos + 1, 8).putLong(rnd.nextLong());
                        }
                    }
                }
            }
        }
        return b;
    }

    private static void assertReason(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, RejectReason reason) {
        assertThatThrownBy(call).isInstanceOf(MalformedRecordException.class)
                .satisfies(e -> assertThat(((MalformedRecordException) e).reason()).isEqualTo(reason));
    }
}
