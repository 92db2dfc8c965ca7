package io.streamrec.trainer.operator;

import io.streamrec.common.event.DeadLetter;
import io.streamrec.common.event.ItemMetadata;
import io.streamrec.common.event.Rating;
import io.streamrec.common.event.RejectReason;
import io.streamrec.common.event.UserMetadata;
import io.streamrec.common.serde.JsonSerde;
import io.streamrec.model.DlPlusHyperParameters;
import io.streamrec.model.HybridModel;
import io.streamrec.model.MfHyperParameters;
import io.streamrec.model.dense.DenseParameters;
import io.streamrec.model.features.FeatureEncoder;
import io.streamrec.model.features.FeatureSpec;
import io.streamrec.model.features.ItemFeatures;
import io.streamrec.trainer.TrainerSettings;
import io.streamrec.trainer.io.FactorUpdate;
import io.streamrec.trainer.io.FeaturedRating;
import io.streamrec.trainer.io.MetadataParser;
import io.streamrec.trainer.io.RatingParser;
import io.streamrec.trainer.io.RawRating;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hybrid trainer's metadata path under Flink's operator harnesses: item metadata as broadcast state and user
 * metadata as keyed state join the ratings (a rating before its metadata goes on without, and is counted); poison
 * metadata lands in the DLQ with its reason; the hybrid trainer operator learns the joined features, and its
 * feature tables come back from a checkpoint exactly.
 */
class HybridFeatureJoinTest {

    private static final FeatureEncoder ENCODER = new FeatureEncoder(FeatureSpec.defaults());
    private static final JsonSerde<ItemMetadata> ITEMS = new JsonSerde<>(ItemMetadata.class);
    private static final JsonSerde<UserMetadata> USERS = new JsonSerde<>(UserMetadata.class);

    private static Rating rating(long user, long item, float r, long ts) {
        return new Rating(user, item, r, ts);
    }

    @Test
    void itemFeaturesComeFromBroadcastStateAndARatingBeforeItsMetadataGoesOnWithout() throws Exception {
        try (var h = ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(new ItemFeatureJoin(),
                FeaturedRating::userId, Types.LONG, ItemFeatureJoin.ITEMS)) {
            h.processElement(new FeaturedRating(rating(1, 7, 4f, 1), null, null), 1);
            int[] packed = ENCODER.encode(new ItemMetadata(7, "Heat", List.of("Crime"), 1995)).pack();
            h.processBroadcastElement(Tuple2.of(7L, packed), 2);
            h.processElement(new FeaturedRating(rating(2, 7, 5f, 3), null, new int[]{0, 1, 2}), 3);
            h.processBroadcastElement(Tuple2.of(7L, new int[0]), 4); // tombstone
            h.processElement(new FeaturedRating(rating(3, 7, 3f, 5), null, null), 5);
            List<FeaturedRating> out = h.extractOutputValues();
            assertThat(out).hasSize(3);
            assertThat(out.get(0).itemFeatures()).isNull();
            assertThat(out.get(1).itemFeatures()).isEqualTo(ItemFeatures.unpack(packed));
            assertThat(out.get(1).user()).containsExactly(0, 1, 2); // the user's features pass through
            assertThat(out.get(2).itemFeatures()).isNull();
        }
    }

    @Test
    void userFeaturesComeFromKeyedState() throws Exception {
        try (var h = ProcessFunctionTestHarnesses.forKeyedCoProcessFunction(new UserFeatureJoin(),
                Rating::user, (Tuple2<Long, int[]> t) -> t.f0, Types.LONG)) {
            h.processElement1(rating(1, 7, 4f, 1), 1);
            h.processElement2(Tuple2.of(1L, ENCODER.encode(new UserMetadata(1, "F", 30, "writer", null)).pack()), 2);
            h.processElement1(rating(1, 8, 4f, 3), 3);
            h.processElement1(rating(2, 8, 2f, 4), 4); // another user: none of user 1's features
            List<FeaturedRating> out = h.extractOutputValues();
            assertThat(out.get(0).userFeatures()).isNull();
            assertThat(out.get(1).userFeatures().gender()).isEqualTo(1);
            assertThat(out.get(2).userFeatures()).isNull();
        }
    }

    @Test
    void poisonMetadataGoesToTheDlqWithItsReason() throws Exception {
        List<String> genres = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            genres.add("g" + i);
        }
        byte[][] poison = {
                "{not json".getBytes(StandardCharsets.UTF_8),
                "{\"v\":99,\"item\":1,\"title\":\"x\",\"genres\":[],\"year\":1990}".getBytes(StandardCharsets.UTF_8),
                ITEMS.encode(new ItemMetadata(2, "Absurd", List.of("Drama"), 30_000)),
                ITEMS.encode(new ItemMetadata(3, "Many", genres.subList(0, 1_000), 1990)),
                ITEMS.encode(new ItemMetadata(4, "t".repeat(1 << 20), List.of(), 1990)),
                ITEMS.encode(new ItemMetadata(5, "t".repeat(5_000), List.of(), 1990)),
        };
        RejectReason[] expected = {RejectReason.GARBAGE, RejectReason.UNKNOWN_VERSION, RejectReason.BAD_METADATA,
                RejectReason.BAD_METADATA, RejectReason.TOO_LARGE, RejectReason.BAD_METADATA};
        try (var h = ProcessFunctionTestHarnesses.forProcessFunction(new MetadataParser(MetadataParser.Kind.ITEMS, FeatureSpec.defaults()))) {
            for (int i = 0; i < poison.length; i++) {
                h.processElement(new RawRating("items", 0, i, 0, key(i), poison[i]), i);
            }
            h.processElement(new RawRating("items", 0, 10, 0, key(9), ITEMS.encode(new ItemMetadata(9, "Fine", List.of("Drama"), 1999))), 10);
            h.processElement(new RawRating("items", 0, 11, 0, key(9), null), 11);
            List<Tuple2<Long, int[]>> good = h.extractOutputValues();
            assertThat(good).hasSize(2);
            assertThat(good.get(0).f0).isEqualTo(9L);
            assertThat(good.get(1).f1).isEmpty(); // tombstone
            List<DeadLetter> dlq = h.getSideOutput(RatingParser.DEAD_LETTERS).stream().map(StreamRecord::getValue).toList();
            assertThat(dlq).extracting(DeadLetter::reason).containsExactly(expected);
            assertThat(dlq).allSatisfy(d -> assertThat(d.topic()).isEqualTo("items"));
            assertThat(dlq.get(4).original()).hasSize(RatingParser.MAX_ORIGINAL_BYTES);
        }
        try (var h = ProcessFunctionTestHarnesses.forProcessFunction(new MetadataParser(MetadataParser.Kind.USERS, FeatureSpec.defaults()))) {
            h.processElement(new RawRating("users", 0, 0, 0, key(1), USERS.encode(new UserMetadata(1, "M", 4_000, null, null))), 0);
            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(h.getSideOutput(RatingParser.DEAD_LETTERS)).extracting(r -> r.getValue().reason())
                    .containsExactly(RejectReason.BAD_METADATA);
        }
    }

    private static byte[] key(long id) {
        return ByteBuffer.allocate(8).putLong(id).array();
    }

    private static TrainerSettings hybridSettings() {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        m.put(MfHyperParameters.Keys.TYPE, "hybrid");
        m.put(DlPlusHyperParameters.Keys.DIM, "8");
        m.put(DlPlusHyperParameters.Keys.HIDDEN, "8");
        m.put(DlPlusHyperParameters.Keys.BATCH_SIZE, "16");
        return new TrainerSettings(m, 10, false, 0, true, TrainerSettings.DEFAULT_MAX_DIRTY_ROWS, "run-1");
    }

    private static KeyedOneInputStreamOperatorTestHarness<Long, FeaturedRating, FactorUpdate> harness(FeaturedTrainerOperator op)
            throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(op, FeaturedRating::userId, Types.LONG, 128, 1, 0);
    }

    @Test
    void theHybridTrainerLearnsJoinedFeaturesAndRestoresItsFeatureTables() throws Exception {
        FeaturedTrainerOperator op = new FeaturedTrainerOperator(hybridSettings());
        OperatorSubtaskState snapshot;
        DenseParameters before;
        int[] drama = ENCODER.encode(new ItemMetadata(0, "Drama film", List.of("Drama"), 1990)).pack();
        try (var h = harness(op)) {
            h.open();
            for (int e = 0; e < 64; e++) {
                // Half the ratings come before the item's metadata arrived: learned without features.
                h.processElement(new StreamRecord<>(new FeaturedRating(rating(e % 7, e % 5, 4f, e), e < 32 ? null : drama, null)));
            }
            HybridModel model = (HybridModel) op.model();
            assertThat(op.trainedCount()).isEqualTo(64);
            assertThat(model.eventsWithoutItemFeatures()).isEqualTo(32);
            assertThat(model.eventsWithoutUserFeatures()).isEqualTo(64);
            before = model.denseParameters().orElseThrow();
            float[] genreTable = before.tensor("hybrid.genre").values();
            assertThat(genreTable).as("the Drama genre row learned").isNotEqualTo(new float[genreTable.length]);
            op.prepareSnapshotPreBarrier(1);
            snapshot = h.snapshot(1, 1);
        }
        FeaturedTrainerOperator restored = new FeaturedTrainerOperator(hybridSettings());
        try (var h = harness(restored)) {
            h.initializeState(snapshot);
            h.open();
            DenseParameters after = restored.model().denseParameters().orElseThrow();
            assertThat(after.tensor("hybrid.genre")).isEqualTo(before.tensor("hybrid.genre"));
            assertThat(after.tensor("optimizer.hybrid.genre")).isEqualTo(before.tensor("optimizer.hybrid.genre"));
        }
    }
}
