package io.streamrec.trainer.exchange;

import io.streamrec.model.GlobalStats;
import io.streamrec.model.MfHyperParameters;
import io.streamrec.model.OnlineModel;
import io.streamrec.model.RowTable;
import io.streamrec.trainer.TrainerSettings;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Kafka-delta strategy on its own: which deltas count, what a snapshot subtracts, how messages are cut. */
class KafkaItemExchangeTest {

    private static OnlineModel model() {
        Map<String, String> m = new LinkedHashMap<>(MfHyperParameters.defaults().toSettings());
        m.put(MfHyperParameters.Keys.DIM, "2");
        m.put(MfHyperParameters.Keys.TYPE, "mf");
        return new TrainerSettings(m, 1000, true, 200, false, 1000, "x").createModel();
    }

    private static ItemDelta delta(String origin, long seq, int width, long item, float value) {
        float[] d = new float[width];
        java.util.Arrays.fill(d, value);
        return ItemDelta.of(origin, seq, width, new long[]{item}, d, RatingStats.NONE);
    }

    @Test
    void acceptsTheCurrentRunAndRestoredOriginsUpToTheirSnapshotOnly() {
        OnlineModel model = model();
        int w = model.layout().width();
        RowTable items = new RowTable();
        KafkaItemExchange x = new KafkaItemExchange(new Incarnation("run-2", 0, 0), 200, 1000, items, model);
        x.restoreOrigins(Map.of("run-1/0/1", 5L));

        assertThat(x.apply(delta("run-2/0/1", 0, w, 7, 1f))).isEqualTo(ItemExchange.Outcome.APPLIED);
        assertThat(x.apply(delta("run-1/0/1", 5, w, 7, 1f))).isEqualTo(ItemExchange.Outcome.APPLIED);
        // Published after the snapshot by the failed run: recomputed since, so dropped.
        assertThat(x.apply(delta("run-1/0/1", 6, w, 7, 1f))).isEqualTo(ItemExchange.Outcome.DISCARDED);
        // Another run altogether (or an attempt of this run that failed): not ours to apply.
        assertThat(x.apply(delta("run-9/0/1", 0, w, 7, 1f))).isEqualTo(ItemExchange.Outcome.DISCARDED);
        assertThat(x.apply(delta("run-2/1/1", 0, w, 7, 1f))).isEqualTo(ItemExchange.Outcome.DISCARDED);
        assertThat(x.apply(delta("run-2/0/0", 0, w, 7, 1f))).isEqualTo(ItemExchange.Outcome.OWN);

        float[] row = items.get(7);
        float[] fresh = model.layout().newRow(io.streamrec.common.event.FactorKind.ITEM, 7);
        for (int j = 0; j < w; j++) {
            assertThat(row[j]).isCloseTo(fresh[j] + 2f, org.assertj.core.data.Offset.offset(1e-6f));
        }
    }

    @Test
    void refusesDeltasOfAnotherRowWidth() {
        OnlineModel model = model();
        KafkaItemExchange x = new KafkaItemExchange(new Incarnation("r", 0, 0), 200, 1000, new RowTable(), model);
        int w = model.layout().width();
        assertThatThrownBy(() -> x.apply(delta("r/0/1", 0, w + 1, 1, 0f))).hasMessageContaining("disagree on model settings");
    }

    @Test
    void aSubtaskThatLearnedNothingTakesTheSendersRatingRange() {
        OnlineModel model = model();
        KafkaItemExchange x = new KafkaItemExchange(new Incarnation("r", 0, 0), 200, 1000, new RowTable(), model);
        ItemDelta d = ItemDelta.of("r/0/1", 0, model.layout().width(), new long[0], new float[0], new RatingStats(4, 14.0, 2f, 5f));
        x.apply(d);
        GlobalStats g = model.global();
        assertThat(g.count()).isEqualTo(4);
        assertThat(g.mean()).isEqualTo(3.5);
        assertThat(g.minRating()).isEqualTo(2f);
        assertThat(g.maxRating()).isEqualTo(5f);
    }

    @Test
    void publishedMessagesHoldAtMost1024RowsAndTheRatingsOnce() {
        DeltaAccumulator acc = new DeltaAccumulator();
        for (long id = 0; id < 2500; id++) {
            acc.addChange(id, new float[]{0f, 0f}, new float[]{1f, 2f});
        }
        List<ItemDelta> out = new ArrayList<>(acc.drain("o", 10, 2));
        assertThat(out).extracting(ItemDelta::size).containsExactly(1024, 1024, 452);
        assertThat(out).extracting(ItemDelta::sequence).containsExactly(10L, 11L, 12L);
        assertThat(acc.isEmpty()).isTrue();
        // Nothing pending at all: nothing to say.
        assertThat(acc.rowCount()).isZero();
    }
}
