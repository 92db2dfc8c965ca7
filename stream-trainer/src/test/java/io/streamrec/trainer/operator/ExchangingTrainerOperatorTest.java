package io.streamrec.trainer.operator;

import io.streamrec.ingest.synthetic.SyntheticStream;
import io.streamrec.common.event.Rating;
import io.streamrec.model.MfHyperParameters;
import io.streamrec.trainer.TrainerSettings;
import io.streamrec.trainer.exchange.ExchangeMessage;
import io.streamrec.trainer.exchange.ItemDeltaSerde;
import io.streamrec.trainer.io.FactorUpdate;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Two trainer subtasks exchanging item deltas, wired by hand the way Kafka wires them in the job. */
class ExchangingTrainerOperatorTest {

    private static final int ITEMS = 12;
    private static final int MAX_PARALLELISM = 128;
    /** Both subtasks belong to one job submission. */
    private static final String RUN = "run-1";

    private static TrainerSettings settings() {
        Map<String, String> m = new LinkedHashMap<>(MfHyperParameters.defaults().withBatchSize(16).toSettings());
        m.put(MfHyperParameters.Keys.DIM, "4");
        m.put(MfHyperParameters.Keys.TYPE, "mf");
        return new TrainerSettings(m, 1000, true, 1_000_000, false, TrainerSettings.DEFAULT_MAX_DIRTY_ROWS, RUN);
    }

    private static KeyedTwoInputStreamOperatorTestHarness<Long, Rating, ExchangeMessage, FactorUpdate> harness(
            ExchangingTrainerOperator op, int parallelism, int subtask) throws Exception {
        return new KeyedTwoInputStreamOperatorTestHarness<>(op, Rating::user, null, Types.LONG, MAX_PARALLELISM, parallelism, subtask);
    }

    private static List<ExchangeMessage> drainDeltas(KeyedTwoInputStreamOperatorTestHarness<Long, Rating, ExchangeMessage, FactorUpdate> h) {
        var q = h.getSideOutput(TrainerShell.ITEM_DELTAS);
        List<ExchangeMessage> out = new ArrayList<>();
        if (q != null) {
            q.forEach(r -> out.add(r.getValue()));
            q.clear();
        }
        return out;
    }

    private static void deliver(List<ExchangeMessage> deltas, KeyedTwoInputStreamOperatorTestHarness<?, ?, ExchangeMessage, ?> h) throws Exception {
        for (ExchangeMessage d : deltas) {
            h.processElement2(new StreamRecord<>(d));
        }
    }

    /** Feeds subtask {@code s} of 2 the ratings of the users keyBy routes to it, then closes the epoch. */
    private static void round(KeyedTwoInputStreamOperatorTestHarness<Long, Rating, ExchangeMessage, FactorUpdate> h,
                              ExchangingTrainerOperator op, List<Rating> ratings, int s, long checkpoint) throws Exception {
        for (Rating r : ratings) {
            if (KeyGroupRangeAssignment.assignKeyToParallelOperator(r.user(), MAX_PARALLELISM, 2) == s) {
                h.processElement1(new StreamRecord<>(r));
            }
        }
        op.prepareSnapshotPreBarrier(checkpoint);
    }

    private static void assertSameItems(TrainerShell a, TrainerShell b) {
        assertThat(a.itemCount()).isEqualTo(b.itemCount()).isPositive();
        for (long i = 0; i < ITEMS; i++) {
            float[] x = a.itemRow(i);
            float[] y = b.itemRow(i);
            assertThat(x == null).isEqualTo(y == null);
            if (x != null) {
                for (int j = 0; j < x.length; j++) {
                    assertThat(x[j]).as("item %d float %d", i, j).isCloseTo(y[j], within(1e-4f));
                }
            }
        }
    }

    @Test
    void copiesConvergeAndASnapshotWithDeltasInFlightRestoresConsistently() throws Exception {
        List<Rating> round1 = SyntheticStream.planted(400, 20, ITEMS, 11);
        List<Rating> round2 = SyntheticStream.planted(400, 20, ITEMS, 12);
        long hot = round1.get(0).item(); // an item both rounds certainly touch (the stream's ids start at 1)
        ExchangingTrainerOperator op0 = new ExchangingTrainerOperator(settings());
        ExchangingTrainerOperator op1 = new ExchangingTrainerOperator(settings());
        try (var h0 = harness(op0, 2, 0); var h1 = harness(op1, 2, 1)) {
            h0.open();
            h1.open();

            round(h0, op0, round1, 0, 1);
            round(h1, op1, round1, 1, 1);
            List<ExchangeMessage> d0 = drainDeltas(h0);
            List<ExchangeMessage> d1 = drainDeltas(h1);
            assertThat(d0).isNotEmpty();
            assertThat(d1).isNotEmpty();
            // Before the exchange the copies differ (each saw half the users)...
            assertThat(op0.itemRow(hot)).isNotEqualTo(op1.itemRow(hot));
            // ...after it (Kafka delivers every delta to every subtask, own ones included) they agree.
            for (var h : List.of(h0, h1)) {
                deliver(d0, h);
                deliver(d1, h);
            }
            assertSameItems(op0, op1);
            float[] afterRound1 = op0.itemRow(hot);

            // Round 2: deltas published at the barrier, not yet delivered anywhere when subtask 0 snapshots.
            round(h0, op0, round2, 0, 2);
            round(h1, op1, round2, 1, 2);
            OperatorSubtaskState s0 = h0.snapshot(2, 2);
            OperatorSubtaskState s1 = h1.snapshot(2, 2);
            List<ExchangeMessage> e0 = drainDeltas(h0);
            List<ExchangeMessage> e1 = drainDeltas(h1);
            deliver(e0, h1);
            deliver(e1, h1);
            deliver(e0, h0);
            deliver(e1, h0);
            assertSameItems(op0, op1);

            // Restore both snapshots into ONE subtask (rescale 2 -> 1): it must start from the table as of the
            // last applied deltas (round 1) and reach the same table once the in-flight deltas arrive from Kafka.
            OperatorSubtaskState merged = AbstractStreamOperatorTestHarness.repackageState(s0, s1);
            OperatorSubtaskState forOne = AbstractStreamOperatorTestHarness.repartitionOperatorState(
                    merged, MAX_PARALLELISM, 2, 1, 0);
            // A new submission from the snapshot: a new run id (an old-run delta is only valid up to what the
            // snapshot covered).
            ExchangingTrainerOperator restored = new ExchangingTrainerOperator(new TrainerSettings(settings().hyperSettings(),
                    1000, true, 1_000_000, false, TrainerSettings.DEFAULT_MAX_DIRTY_ROWS, "run-2"));
            try (var r = harness(restored, 1, 0)) {
                r.initializeState(forOne);
                r.open();
                assertThat(restored.trainedCount()).isEqualTo(op0.trainedCount() + op1.trainedCount());
                float[] start = restored.itemRow(hot);
                for (int j = 0; j < start.length; j++) {
                    assertThat(start[j]).isCloseTo(afterRound1[j], within(1e-4f));
                }
                deliver(e0, r);
                deliver(e1, r);
                assertSameItems(restored, op1);
            }
        }
    }

    @Test
    void aSubtaskThatHasLearnedNothingAdoptsTheSendersRatingsAndRows() throws Exception {
        List<Rating> ratings = SyntheticStream.planted(200, 20, ITEMS, 13);
        ExchangingTrainerOperator busy = new ExchangingTrainerOperator(settings());
        ExchangingTrainerOperator idle = new ExchangingTrainerOperator(settings());
        try (var h0 = harness(busy, 2, 0); var h1 = harness(idle, 2, 1)) {
            h0.open();
            h1.open();
            // Only subtask 0's users rate anything (a skewed stream): subtask 1 has learned nothing when deltas arrive.
            round(h0, busy, ratings, 0, 1);
            List<ExchangeMessage> deltas = drainDeltas(h0);
            // Through the wire format, as the exchange topic carries them.
            List<ExchangeMessage> wire = deltas.stream().map(d -> ItemDeltaSerde.decode(ItemDeltaSerde.encode(d))).toList();
            assertThat(wire).isEqualTo(deltas);
            deliver(wire, h1);
            deliver(wire, h0);
            assertSameItems(busy, idle);
            // The idle subtask took over the sender's count and sum (and rating range) for the global mean.
            assertThat(idle.trainedCount()).isZero();
            assertThat(busy.trainedCount()).isPositive();
            assertThat(idle.globalMean()).isCloseTo(busy.globalMean(), within(1e-6));
        }
    }
}
