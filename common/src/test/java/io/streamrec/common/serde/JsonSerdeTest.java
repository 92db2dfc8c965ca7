package io.streamrec.common.serde;

import io.streamrec.common.event.DeadLetter;
import io.streamrec.common.event.DriftState;
import io.streamrec.common.event.ItemMetadata;
import io.streamrec.common.event.PrequentialMetrics;
import io.streamrec.common.event.RankingMetrics;
import io.streamrec.common.event.Recommendations;
import io.streamrec.common.event.RejectReason;
import io.streamrec.common.event.ScoredItem;
import io.streamrec.common.event.UserMetadata;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Round trip and poison pills for every JSON-encoded topic value. */
class JsonSerdeTest {

    @Test
    void itemMetadataRoundTripsWithNonAsciiTitle() {
        var serde = new JsonSerde<>(ItemMetadata.class);
        ItemMetadata m = new ItemMetadata(1, "Belle époque (1992)", List.of("Comedy", "Romance"), 1992);
        assertThat(serde.decode(serde.encode(m))).isEqualTo(m);
        ItemMetadata noYear = new ItemMetadata(2, "Untitled", List.of(), null);
        assertThat(serde.decode(serde.encode(noYear))).isEqualTo(noYear);
    }

    @Test
    void userMetadataRoundTrips() {
        var serde = new JsonSerde<>(UserMetadata.class);
        UserMetadata u = new UserMetadata(7, "F", 24, "technician", "85711");
        assertThat(serde.decode(serde.encode(u))).isEqualTo(u);
    }

    @Test
    void metricsRoundTripIncludingNaN() {
        var serde = new JsonSerde<>(PrequentialMetrics.class);
        PrequentialMetrics m = new PrequentialMetrics("trainer-0", 10, 20, 1000, 500, 0.93, 0.74, Double.NaN, 0.75,
                0.12, 98_000.5, DriftState.DRIFT, 2);
        PrequentialMetrics back = serde.decode(serde.encode(m));
        assertThat(back.cumulativeRmse()).isNaN();
        assertThat(back).usingRecursiveComparison().ignoringFields("cumulativeRmse").isEqualTo(m);
    }

    @Test
    void metricsVersion2CarriesTheRankingFiguresRoundTrip() {
        var serde = new JsonSerde<>(PrequentialMetrics.class);
        RankingMetrics r = new RankingMetrics(120, 50, 20, 100, 0.08, 0.25, 0.04, 0.05, 0.07, 0.24, Double.NaN, 0.045);
        PrequentialMetrics m = new PrequentialMetrics("trainer-1", 10, 20, 1000, 500, 0.93, 0.74, 0.95, 0.75, 0.12,
                98_000.5, DriftState.STABLE, 0, r);
        byte[] bytes = serde.encode(m);
        assertThat(new String(bytes, StandardCharsets.UTF_8)).startsWith("{\"v\":2,");
        PrequentialMetrics back = serde.decode(bytes);
        assertThat(back.ranking().mrr()).isNaN();
        assertThat(back).usingRecursiveComparison().ignoringFields("ranking.mrr").isEqualTo(m);
        // Ranking off: no figures, still version 2, still readable.
        PrequentialMetrics none = serde.decode(serde.encode(m.withRanking(null)));
        assertThat(none.ranking()).isNull();
    }

    @Test
    void metricsOfVersion1StillReadWithoutRankingAndLaterVersionsAreRefused() {
        var serde = new JsonSerde<>(PrequentialMetrics.class);
        String v1 = "{\"v\":1,\"source\":\"trainer-0\",\"eventTimeMs\":10,\"wallTimeMs\":20,\"count\":1000,"
                + "\"windowCount\":500,\"windowRmse\":0.93,\"windowMae\":0.74,\"cumulativeRmse\":0.95,"
                + "\"cumulativeMae\":0.75,\"coldStartShare\":0.1,\"eventsPerSecond\":5.0,\"drift\":\"STABLE\","
                + "\"driftEvents\":0}";
        PrequentialMetrics old = serde.decode(v1.getBytes(StandardCharsets.UTF_8));
        assertThat(old.count()).isEqualTo(1000);
        assertThat(old.ranking()).isNull();
        assertReason(serde, v1.replace("\"v\":1", "\"v\":3"), RejectReason.UNKNOWN_VERSION);
        assertReason(serde, v1.replace("\"v\":1", "\"v\":0"), RejectReason.UNKNOWN_VERSION);
    }

    @Test
    void poisonedRankingFiguresAreRejectedNotMisread() {
        var serde = new JsonSerde<>(PrequentialMetrics.class);
        String good = new String(serde.encode(new PrequentialMetrics("t", 1, 2, 3, 3, 1, 1, 1, 1, 0, 1, DriftState.STABLE,
                0, new RankingMetrics(1, 1, 10, 1, 1, 1, 1, 1, 1, 1, 1, 1))), StandardCharsets.UTF_8);
        assertReason(serde, good.replace("\"samples\":1", "\"samples\":\"many\""), RejectReason.MALFORMED_JSON);
        assertReason(serde, good.replace("\"samples\":1,", "\"samples\":1,\"hitAt5\":0.1,"), RejectReason.MALFORMED_JSON);
        assertReason(serde, good.replace("\"ranking\":{", "\"ranking\":[{").replace("}}", "}]}"), RejectReason.MALFORMED_JSON);
        assertReason(serde, good.substring(0, good.length() / 2), RejectReason.GARBAGE);
    }

    @Test
    void recommendationsRoundTrip() {
        var serde = new JsonSerde<>(Recommendations.class);
        Recommendations r = new Recommendations(5, 42, List.of(new ScoredItem(1, 4.9f), new ScoredItem(2, 4.1f)), 99, "dlplus", 17L);
        assertThat(serde.decode(serde.encode(r))).isEqualTo(r);
    }

    @Test
    void recommendationsWrittenBeforeFamiliesWereNamedStillRead() {
        var serde = new JsonSerde<>(Recommendations.class);
        byte[] old = "{\"v\":1,\"user\":5,\"modelVersion\":42,\"items\":[{\"item\":1,\"score\":4.5}],\"computedAtMs\":99}"
                .getBytes(StandardCharsets.UTF_8);
        Recommendations back = serde.decode(old);
        assertThat(back.items()).containsExactly(new ScoredItem(1, 4.5f));
        assertThat(back.model()).isNull();
        assertThat(back.modelSteps()).isEqualTo(0L);
    }

    @Test
    void deadLetterKeepsOriginalBytes() {
        var serde = new JsonSerde<>(DeadLetter.class);
        DeadLetter d = new DeadLetter(RejectReason.GARBAGE, "first byte 0xff", "ratings", 1, 77, 5, new byte[]{(byte) 0xff, 0, 1});
        DeadLetter back = serde.decode(serde.encode(d));
        assertThat(back).isEqualTo(d);
        assertThat(back.original()).containsExactly((byte) 0xff, 0, 1);
    }

    @Test
    void everyValueCarriesVersionOne() {
        var serde = new JsonSerde<>(UserMetadata.class);
        String json = new String(serde.encode(new UserMetadata(1, null, null, null, null)), StandardCharsets.UTF_8);
        assertThat(json).startsWith("{\"v\":1,");
    }

    @Test
    void poisonPillsAreTyped() {
        var serde = new JsonSerde<>(ItemMetadata.class);
        assertReason(serde, "{\"v\":2,\"item\":1,\"title\":\"x\"}", RejectReason.UNKNOWN_VERSION);
        assertReason(serde, "{\"item\":1,\"title\":\"x\"}", RejectReason.UNKNOWN_VERSION);
        assertReason(serde, "{\"v\":1,\"item\":1,\"title\":\"x\",\"surprise\":true}", RejectReason.MALFORMED_JSON);
        assertReason(serde, "{\"v\":1,\"item\":1}", RejectReason.MALFORMED_JSON);
        assertReason(serde, "{\"v\":1,\"item\":1,\"ti", RejectReason.GARBAGE);
        assertReason(serde, "\u0001\u0002garbage", RejectReason.GARBAGE);
        assertReason(serde, "[1]", RejectReason.MALFORMED_JSON);
        assertThatThrownBy(() -> serde.decode(new byte[0])).isInstanceOf(MalformedRecordException.class);
    }

    private static void assertReason(JsonSerde<?> serde, String text, RejectReason reason) {
        assertThatThrownBy(() -> serde.decode(text.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedRecordException.class)
                .satisfies(e -> assertThat(((MalformedRecordException) e).reason()).isEqualTo(reason));
    }
}
