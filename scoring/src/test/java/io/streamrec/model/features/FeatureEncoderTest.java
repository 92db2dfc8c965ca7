package io.streamrec.model.features;

import io.streamrec.common.event.ItemMetadata;
import io.streamrec.common.event.RejectReason;
import io.streamrec.common.event.UserMetadata;
import io.streamrec.common.serde.MalformedRecordException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Buckets are stable and documented; poison metadata is refused with BAD_METADATA and a reason. */
class FeatureEncoderTest {

    private final FeatureEncoder encoder = new FeatureEncoder(FeatureSpec.defaults());

    @Test
    void bucketsAreTheDocumentedHashAndStable() {
        // FNV-1a 64 of "g:drama" mod 64, computed independently of this code (Python: see the class doc's recipe).
        assertThat(FeatureEncoder.bucket("g", "drama", 64)).isEqualTo(fnv("g:drama", 64));
        ItemFeatures a = encoder.encode(new ItemMetadata(1, "Usual Suspects, The", List.of("Crime", "Thriller"), 1995));
        ItemFeatures b = encoder.encode(new ItemMetadata(2, "the usual suspects", List.of(" thriller", "CRIME"), 1996));
        assertThat(a.words()).containsExactly(b.words());
        assertThat(a.words()).hasSize(2);
        assertThat(a.genres()).containsExactlyInAnyOrder(b.genres());
        assertThat(a.year()).isEqualTo(b.year()).isEqualTo((1995 - 1900) / 5);
        assertThat(encoder.encode(new ItemMetadata(3, "x", List.of(), null)).year()).isEqualTo(-1);
    }

    @Test
    void demographicsBecomeBuckets() {
        UserFeatures u = encoder.encode(new UserMetadata(7, "F", 24, "writer", "90210"));
        assertThat(u.gender()).isEqualTo(1);
        assertThat(u.age()).isEqualTo(1);
        assertThat(u.occupation()).isEqualTo(FeatureEncoder.bucket("o", "writer", 64));
        // ml-1m's age codes fall into the same bands as ml-100k's ages.
        assertThat(encoder.encode(new UserMetadata(8, "M", 18, null, null)).age()).isEqualTo(FeatureEncoder.ageBucket(20));
        assertThat(encoder.encode(new UserMetadata(9, null, null, null, null)).isEmpty()).isTrue();
    }

    @Test
    void poisonIsRefusedWithAReason() {
        List<String> tenThousand = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            tenThousand.add("g" + i);
        }
        assertBad(() -> encoder.encode(new ItemMetadata(1, "t", tenThousand, 1990)), "10000 genres");
        assertBad(() -> encoder.encode(new ItemMetadata(1, "x".repeat(1 << 20), List.of(), 1990)), "title of 1048576");
        assertBad(() -> encoder.encode(new ItemMetadata(1, "t", List.of(), 99999)), "release year 99999");
        assertBad(() -> encoder.encode(new ItemMetadata(1, "t", List.of(), -5)), "release year -5");
        assertBad(() -> encoder.encode(new UserMetadata(1, "M", 4000, null, null)), "age 4000");
        assertBad(() -> encoder.encode(new UserMetadata(1, "M".repeat(500), 20, null, null)), "500 characters");
    }

    private static void assertBad(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String detail) {
        assertThatThrownBy(call).isInstanceOf(MalformedRecordException.class)
                .hasMessageContaining(detail)
                .satisfies(e -> assertThat(((MalformedRecordException) e).reason()).isEqualTo(RejectReason.BAD_METADATA));
    }

    private static int fnv(String s, int buckets) {
        java.math.BigInteger h = new java.math.BigInteger("cbf29ce484222325", 16);
        java.math.BigInteger prime = new java.math.BigInteger("100000001b3", 16);
        java.math.BigInteger mod = java.math.BigInteger.ONE.shiftLeft(64);
        for (byte b : s.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            h = h.xor(java.math.BigInteger.valueOf(b & 0xff)).multiply(prime).mod(mod);
        }
        return h.mod(java.math.BigInteger.valueOf(buckets)).intValue();
    }
}
