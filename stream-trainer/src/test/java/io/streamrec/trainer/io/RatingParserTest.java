package io.streamrec.trainer.io;

import io.streamrec.common.event.DeadLetter;
import io.streamrec.common.event.Rating;
import io.streamrec.common.event.RatingScale;
import io.streamrec.common.event.RejectReason;
import io.streamrec.common.serde.RatingSerde;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RatingParserTest {

    private OneInputStreamOperatorTestHarness<RawRating, Rating> harness;
    private long offset;

    @BeforeEach
    void setUp() throws Exception {
        harness = ProcessFunctionTestHarnesses.forProcessFunction(new RatingParser(RatingScale.ZERO_TO_FIVE));
    }

    private void send(byte[] value) throws Exception {
        harness.processElement(new StreamRecord<>(new RawRating("ratings", 1, offset++, 123L, null, value)));
    }

    private static byte[] binary(long user, long item, float rating, long ts) {
        return new RatingSerde().encode(new Rating(user, item, rating, ts));
    }

    private static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private List<DeadLetter> deadLetters() {
        return harness.getSideOutput(RatingParser.DEAD_LETTERS) == null ? List.of()
                : harness.getSideOutput(RatingParser.DEAD_LETTERS).stream().map(StreamRecord::getValue).toList();
    }

    @Test
    void acceptsBinaryAndPlainJson() throws Exception {
        send(binary(42, 31, 4.5f, 1260759144000L));
        send(json("{\"user\":7,\"item\":8,\"rating\":3,\"ts\":1260759144001}"));
        assertThat(harness.extractOutputValues()).containsExactly(
                new Rating(42, 31, 4.5f, 1260759144000L), new Rating(7, 8, 3f, 1260759144001L));
        assertThat(deadLetters()).isEmpty();
    }

    @Test
    void eventTimesAheadOfTheBoundAndDuplicatedKeysAreDeadLettersNotRatings() throws Exception {
        harness = ProcessFunctionTestHarnesses.forProcessFunction(new RatingParser(RatingScale.ZERO_TO_FIVE,
                io.streamrec.common.event.EventTimeBound.ahead(java.time.Duration.ofHours(1))));
        long now = System.currentTimeMillis();
        send(json("{\"user\":1,\"item\":2,\"rating\":3,\"ts\":" + now * 1000 + "}"));
        send(binary(1, 2, 3f, now + 7_200_000));
        send(json("{\"user\":46,\"user\":47,\"item\":2,\"rating\":3,\"ts\":4}"));
        send(binary(1, 2, 3f, now));
        assertThat(harness.extractOutputValues()).containsExactly(new Rating(1, 2, 3f, now));
        assertThat(deadLetters()).extracting(DeadLetter::reason).containsExactly(
                RejectReason.FUTURE_TIMESTAMP, RejectReason.FUTURE_TIMESTAMP, RejectReason.MALFORMED_JSON);
        assertThat(deadLetters().get(0).detail()).contains("microseconds");
        assertThat(deadLetters().get(1).detail()).contains("PT2H").contains("PT1H");
    }

    @Test
    void everyKindOfPoisonBecomesAReasonedDeadLetterWithItsOrigin() throws Exception {
        byte[] garbage = {(byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef, 0x00, 0x42};
        byte[] unknownVersion = binary(1, 2, 3f, 4L);
        unknownVersion[0] = 7;
        byte[] huge = new byte[1_000_000];
        Arrays.fill(huge, (byte) '{');
        byte[][] poison = {
                garbage,
                unknownVersion,
                binary(1, 2, Float.NaN, 4L),
                binary(1, 2, Float.POSITIVE_INFINITY, 4L),
                json("{\"user\":1,\"item\":2,\"rating\":\"NaN\",\"ts\":4}"),
                binary(1, 2, 7.5f, 4L),
                binary(-1, 2, 3f, 4L),
                json("{\"user\":1,\"item\":-2,\"rating\":3,\"ts\":4}"),
                huge,
                json("{\"user\":1,\"item\":"),
                new byte[0],
                null,
                ByteBuffer.allocate(20).put((byte) 1).array(),
        };
        RejectReason[] expected = {
                RejectReason.GARBAGE, RejectReason.UNKNOWN_VERSION, RejectReason.BAD_RATING, RejectReason.BAD_RATING,
                RejectReason.BAD_RATING, RejectReason.RATING_OUT_OF_SCALE, RejectReason.BAD_ID, RejectReason.BAD_ID,
                RejectReason.TOO_LARGE, RejectReason.MALFORMED_JSON, RejectReason.EMPTY, RejectReason.EMPTY,
                RejectReason.TRUNCATED,
        };
        for (byte[] p : poison) {
            send(p);
        }
        send(binary(5, 6, 2.5f, 7L)); // the stream goes on after poison

        assertThat(harness.extractOutputValues()).containsExactly(new Rating(5, 6, 2.5f, 7L));
        List<DeadLetter> dlq = deadLetters();
        assertThat(dlq).extracting(DeadLetter::reason).containsExactly(expected);
        for (int i = 0; i < dlq.size(); i++) {
            DeadLetter d = dlq.get(i);
            assertThat(d.topic()).isEqualTo("ratings");
            assertThat(d.partition()).isEqualTo(1);
            assertThat(d.offset()).isEqualTo(i);
            assertThat(d.timestampMs()).isEqualTo(123L);
            assertThat(d.detail()).isNotBlank();
            if (poison[i] != null && poison[i].length <= RatingParser.MAX_ORIGINAL_BYTES) {
                assertThat(d.original()).isEqualTo(poison[i]);
            }
        }
        DeadLetter tooLarge = dlq.get(8);
        assertThat(tooLarge.original()).hasSize(RatingParser.MAX_ORIGINAL_BYTES)
                .isEqualTo(Arrays.copyOf(huge, RatingParser.MAX_ORIGINAL_BYTES));
        assertThat(tooLarge.detail()).contains("1000000 bytes");
    }
}
