package io.streamrec.common.serde;

import io.streamrec.common.event.Rating;
import io.streamrec.common.event.RejectReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RatingSerdeTest {

    private final RatingSerde serde = new RatingSerde();

    @Test
    void binaryRoundTripKeepsEveryField() {
        Rating r = new Rating(Long.MAX_VALUE, 31L, 4.5f, 1_260_759_144_000L);
        byte[] bytes = serde.serialize("ratings", r);
        assertThat(bytes).hasSize(RatingSerde.V1_SIZE);
        assertThat(serde.deserialize("ratings", bytes)).isEqualTo(r);
    }

    @Test
    void binaryLayoutIsStable() {
        // Golden bytes: the wire format is a contract with other producers; changing it must fail this test.
        byte[] bytes = serde.encode(new Rating(1L, 2L, 3.5f, 4L));
        assertThat(HexFormat.of().formatHex(bytes))
                .isEqualTo("01" + "0000000000000001" + "0000000000000002" + "40600000" + "0000000000000004");
    }

    @Test
    void plainJsonFromAnyProducerIsAccepted() {
        byte[] json = " {\"user\":42,\"item\":31,\"rating\":4.5,\"ts\":1260759144000}\n".getBytes(StandardCharsets.UTF_8);
        assertThat(serde.decode(json)).isEqualTo(new Rating(42, 31, 4.5f, 1_260_759_144_000L));
    }

    @Test
    void jsonWithTimestampAliasAndVersionOneIsAccepted() {
        byte[] json = "{\"v\":1,\"user\":1,\"item\":2,\"rating\":3,\"timestamp\":5}".getBytes(StandardCharsets.UTF_8);
        assertThat(serde.decode(json)).isEqualTo(new Rating(1, 2, 3f, 5));
    }

    @Test
    void nullIsATombstoneNotAnError() {
        assertThat(serde.deserialize("ratings", null)).isNull();
        assertThat(serde.serialize("ratings", null)).isNull();
    }

    @Test
    void unknownBinaryVersionIsTyped() {
        byte[] bytes = serde.encode(new Rating(1, 2, 3, 4));
        bytes[0] = 2;
        assertReason(bytes, RejectReason.UNKNOWN_VERSION);
    }

    @Test
    void unknownJsonVersionIsTyped() {
        assertReason("{\"v\":7,\"user\":1,\"item\":2,\"rating\":3,\"ts\":4}".getBytes(StandardCharsets.UTF_8),
                RejectReason.UNKNOWN_VERSION);
    }

    @Test
    void truncatedAndOverlongBinaryAreTyped() {
        byte[] bytes = serde.encode(new Rating(1, 2, 3, 4));
        assertReason(Arrays.copyOf(bytes, 20), RejectReason.TRUNCATED);
        assertReason(Arrays.copyOf(bytes, 30), RejectReason.TRUNCATED);
        assertReason(new byte[]{1}, RejectReason.TRUNCATED);
    }

    @Test
    void emptyIsTyped() {
        assertReason(new byte[0], RejectReason.EMPTY);
    }

    @Test
    void garbageBytesNeverCrashAndAreTyped() {
        Random rnd = new Random(7);
        for (int i = 0; i < 2_000; i++) {
            byte[] b = new byte[rnd.nextInt(64) + 1];
            rnd.nextBytes(b);
            try {
                serde.decode(b);
                // a random buffer may happen to be a valid v1 record; anything else must throw our exception
                assertThat(b[0]).isEqualTo(RatingSerde.VERSION);
                assertThat(b).hasSize(RatingSerde.V1_SIZE);
            } catch (MalformedRecordException e) {
                assertThat(e.reason()).isNotNull();
            }
        }
        assertReason("hello world".getBytes(StandardCharsets.UTF_8), RejectReason.GARBAGE);
    }

    @Test
    void oversizedValueIsRefusedBeforeParsing() {
        byte[] big = new byte[1 << 20];
        Arrays.fill(big, (byte) ' ');
        big[0] = '{';
        assertReason(big, RejectReason.TOO_LARGE);
        byte[] bin = new byte[1 << 20];
        bin[0] = (byte) 0xEE;
        assertReason(bin, RejectReason.TOO_LARGE);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"user\":1,\"item\":2,\"rating\":3}",
            "{\"user\":1,\"item\":2,\"ts\":3}",
            "{\"user\":1,\"rating\":2,\"ts\":3}",
            "{\"user\":1,\"item\":2,\"rating\":",
            "[1,2,3]"})
    void incompleteJsonIsTyped(String text) {
        assertThatThrownBy(() -> serde.decode(text.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedRecordException.class);
    }

    @Test
    void nonIntegerIdsAndNonNumericRatingsAreTyped() {
        assertReason("{\"user\":\"abc\",\"item\":2,\"rating\":3,\"ts\":4}".getBytes(StandardCharsets.UTF_8), RejectReason.BAD_ID);
        assertReason("{\"user\":1.5,\"item\":2,\"rating\":3,\"ts\":4}".getBytes(StandardCharsets.UTF_8), RejectReason.BAD_ID);
        assertReason("{\"user\":1,\"item\":2,\"rating\":\"five\",\"ts\":4}".getBytes(StandardCharsets.UTF_8), RejectReason.BAD_RATING);
        assertReason("{\"user\":1,\"item\":2,\"rating\":3,\"ts\":\"yesterday\"}".getBytes(StandardCharsets.UTF_8), RejectReason.BAD_TIMESTAMP);
    }

    @Test
    void nanRatingDecodesSoTheValidatorCanRejectIt() {
        Rating r = serde.decode("{\"user\":1,\"item\":2,\"rating\":\"NaN\",\"ts\":4}".getBytes(StandardCharsets.UTF_8));
        assertThat(r.rating()).isNaN();
    }

    @Test
    void duplicatedKeysAreRefusedNotReadAsTheLastValue() {
        // Jackson's default keeps the last duplicate: this record used to train user 47.
        assertThatThrownBy(() -> serde.decode("{\"user\":46,\"user\":47,\"item\":2,\"rating\":3,\"ts\":4}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageContaining("Duplicate field 'user'")
                .satisfies(e -> assertThat(((MalformedRecordException) e).reason()).isEqualTo(RejectReason.MALFORMED_JSON));
        assertReason("{\"user\":1,\"item\":2,\"rating\":3,\"rating\":4,\"ts\":4}".getBytes(StandardCharsets.UTF_8), RejectReason.MALFORMED_JSON);
        assertReason("{\"user\":1,\"item\":2,\"rating\":3,\"ts\":4,\"timestamp\":5}".getBytes(StandardCharsets.UTF_8), RejectReason.MALFORMED_JSON);
    }

    @Test
    void textAfterTheObjectIsRefused() {
        assertReason("{\"user\":1,\"item\":2,\"rating\":3,\"ts\":4} {\"user\":9}".getBytes(StandardCharsets.UTF_8), RejectReason.MALFORMED_JSON);
        assertReason("{\"user\":1,\"item\":2,\"rating\":3,\"ts\":4}]".getBytes(StandardCharsets.UTF_8), RejectReason.MALFORMED_JSON);
        // Trailing whitespace, as console producers send, is fine.
        assertThat(serde.decode("{\"user\":1,\"item\":2,\"rating\":3,\"ts\":4}\n ".getBytes(StandardCharsets.UTF_8)).user()).isEqualTo(1);
    }

    private void assertReason(byte[] bytes, RejectReason reason) {
        assertThatThrownBy(() -> serde.decode(bytes))
                .isInstanceOf(MalformedRecordException.class)
                .satisfies(e -> assertThat(((MalformedRecordException) e).reason()).isEqualTo(reason));
    }
}
