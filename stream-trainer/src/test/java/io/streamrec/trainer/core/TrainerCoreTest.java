package io.streamrec.trainer.core;

import io.streamrec.ingest.synthetic.SyntheticStream;
import io.streamrec.common.event.FactorKey;
import io.streamrec.common.event.FactorKind;
import io.streamrec.common.event.PrequentialMetrics;
import io.streamrec.common.event.Rating;
import io.streamrec.model.MfHyperParameters;
import io.streamrec.model.Rows;
import io.streamrec.trainer.TrainerSettings;
import io.streamrec.trainer.exchange.Incarnation;
import io.streamrec.trainer.exchange.DenseWeights;
import io.streamrec.trainer.exchange.ExchangeMessage;
import io.streamrec.trainer.exchange.ItemDelta;
import io.streamrec.trainer.exchange.ItemDeltaSerde;
import io.streamrec.model.dense.DenseCodec;
import io.streamrec.model.dense.DenseParameters;
import io.streamrec.trainer.io.ModelUpdate;
import io.streamrec.trainer.io.FactorUpdate;
import io.streamrec.trainer.snapshot.RestorePlan;
import io.streamrec.trainer.snapshot.TrainerSnapshot;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The trainer core without Flink: a map for keyed state, a hand-driven clock, lists for outputs. */
class TrainerCoreTest {

    private static final int BATCH = 8;
    private static final long TIMEOUT_MS = 100;

    /** Everything the core is given, in memory. */
    static final class Host implements TrainerOutput, BatchClock, TrainerCounters {
        final Map<Long, float[]> userRows = new HashMap<>();
        int userReads;
        final List<FactorUpdate> factors = new ArrayList<>();
        final List<PrequentialMetrics> metrics = new ArrayList<>();
        final List<ItemDelta> deltas = new ArrayList<>();
        final List<DenseWeights> weights = new ArrayList<>();
        final List<ModelUpdate> models = new ArrayList<>();
        final List<Long> wakeUps = new ArrayList<>();
        long now = 1_000;
        long events;
        long applied;
        long discarded;

        final Rows users = new Rows() {
            @Override
            public float[] get(long id) {
                userReads++;
                return userRows.get(id);
            }

            @Override
            public void put(long id, float[] row) {
                userRows.put(id, row);
            }
        };

        @Override
        public void factor(FactorUpdate update) {
            factors.add(update);
        }

        @Override
        public void metrics(PrequentialMetrics report) {
            metrics.add(report);
        }

        @Override
        public void exchange(ExchangeMessage message) {
            if (message instanceof ItemDelta d) {
                deltas.add(d);
            } else {
                weights.add((DenseWeights) message);
            }
        }

        @Override
        public void model(ModelUpdate update) {
            models.add(update);
        }

        /** The weights published, tombstones left out. */
        List<ModelUpdate> published() {
            return models.stream().filter(m -> m.weights() != null).toList();
        }

        /** The families whose weights were retired (tombstones), in order. */
        List<String> retired() {
            return models.stream().filter(m -> m.weights() == null).map(ModelUpdate::family).toList();
        }

        @Override
        public long nowMs() {
            return now;
        }

        @Override
        public void wakeUpAt(long deadlineMs) {
            wakeUps.add(deadlineMs);
        }

        @Override
        public void batchTrained(int n) {
            events += n;
        }

        @Override
        public void deltaApplied() {
            applied++;
        }

        @Override
        public void deltaDiscarded() {
            discarded++;
        }
    }

    static TrainerSettings settings(boolean emitEveryBatch, boolean exchange, String runId) {
        Map<String, String> m = new LinkedHashMap<>(MfHyperParameters.defaults().withBatchSize(BATCH).toSettings());
        m.put(MfHyperParameters.Keys.BATCH_TIMEOUT_MS, Long.toString(TIMEOUT_MS));
        m.put(MfHyperParameters.Keys.DIM, "4");
        m.put(MfHyperParameters.Keys.TYPE, "mf");
        return new TrainerSettings(m, 1_000, exchange, 1_000_000, emitEveryBatch, TrainerSettings.DEFAULT_MAX_DIRTY_ROWS, runId);
    }

    static TrainerCore core(TrainerSettings s, Host host, int subtask) {
        return new TrainerCore(s.createModel(), s, new Incarnation(s.runId(), 0, subtask), host.users, host, host, host);
    }

    private static void feed(TrainerCore core, List<Rating> ratings) {
        ratings.forEach(core::add);
    }

    @Test
    void aBatchClosesAtTheBatchSize() {
        Host host = new Host();
        TrainerCore core = core(settings(true, false, "r"), host, 0);
        List<Rating> ratings = SyntheticStream.planted(BATCH, 5, 6, 1);
        feed(core, ratings.subList(0, BATCH - 1));
        assertThat(core.trainedCount()).isZero();
        assertThat(core.openBatchSize()).isEqualTo(BATCH - 1);
        assertThat(host.factors).isEmpty();

        core.add(ratings.get(BATCH - 1));
        assertThat(core.trainedCount()).isEqualTo(BATCH);
        assertThat(core.openBatchSize()).isZero();
        assertThat(host.events).isEqualTo(BATCH);
        long users = ratings.stream().mapToLong(Rating::user).distinct().count();
        assertThat(host.userRows).hasSize((int) users);
        // Gather reads each distinct user once, found or not.
        assertThat(host.userReads).isEqualTo((int) users);
        assertThat(host.factors.stream().filter(u -> u.key().kind() == FactorKind.GLOBAL)).hasSize(1);
        assertThat(host.factors).allSatisfy(u -> assertThat(u.row().modelVersion()).isEqualTo(BATCH));
    }

    @Test
    void aBatchClosesAtItsTimeoutAndAnEarlyWakeUpAsksAgain() {
        Host host = new Host();
        TrainerCore core = core(settings(true, false, "r"), host, 0);
        feed(core, SyntheticStream.planted(3, 5, 6, 2));
        // One wake-up for the batch's deadline, however many events it holds.
        assertThat(host.wakeUps).containsExactly(1_000 + TIMEOUT_MS);

        core.onWakeUp(1_000 + TIMEOUT_MS - 1);
        assertThat(core.trainedCount()).isZero();
        assertThat(host.wakeUps).containsExactly(1_000 + TIMEOUT_MS, 1_000 + TIMEOUT_MS);

        core.onWakeUp(1_000 + TIMEOUT_MS);
        assertThat(core.trainedCount()).isEqualTo(3);
        assertThat(core.openBatchSize()).isZero();
        // A wake-up with nothing open does nothing and asks for nothing.
        core.onWakeUp(5_000);
        assertThat(host.wakeUps).hasSize(2);
    }

    @Test
    void theBarrierClosesTheOpenBatchAndEmitsEachChangedRowOnceAtTheLatestVersion() {
        Host host = new Host();
        TrainerCore core = core(settings(false, false, "r"), host, 0);
        List<Rating> ratings = SyntheticStream.planted(BATCH * 2 + 3, 4, 5, 3);
        feed(core, ratings);
        assertThat(core.trainedCount()).isEqualTo(BATCH * 2);
        assertThat(host.factors).isEmpty();

        core.flushAll();
        assertThat(core.trainedCount()).isEqualTo(ratings.size());
        assertThat(host.factors.stream().map(FactorUpdate::key).distinct().count()).isEqualTo(host.factors.size());
        assertThat(host.factors).allSatisfy(u -> assertThat(u.row().modelVersion()).isEqualTo(ratings.size()));
        assertThat(host.factors.stream().map(FactorUpdate::key).filter(k -> k.equals(FactorKey.GLOBAL))).hasSize(1);
        assertThat(host.metrics.get(host.metrics.size() - 1).count()).isEqualTo(ratings.size());
        // Nothing new: a second barrier emits nothing and reports nothing.
        int factors = host.factors.size();
        int reports = host.metrics.size();
        core.flushAll();
        assertThat(host.factors).hasSize(factors);
        assertThat(host.metrics).hasSize(reports);
    }

    @Test
    void aSnapshotWithAnOpenBatchIsRefused() {
        Host host = new Host();
        TrainerCore core = core(settings(false, false, "r"), host, 0);
        feed(core, SyntheticStream.planted(3, 4, 5, 4));
        assertThatThrownBy(() -> core.snapshot(7)).hasMessageContaining("at snapshot 7").hasMessageContaining("prepareSnapshotPreBarrier must flush");
    }

    @Test
    void aCheckpointOfAnotherOptimizerIsRefusedNamingBoth() {
        // AdaGrad and RMSProp rows have the same width: only the fingerprint tells their state apart.
        TrainerSettings adagrad = withSetting(settings(false, false, "r"), MfHyperParameters.Keys.OPTIMIZER, "adagrad");
        TrainerSettings rmsprop = withSetting(settings(false, false, "r2"), MfHyperParameters.Keys.OPTIMIZER, "rmsprop");
        assertThat(adagrad.createModel().layout().width()).isEqualTo(rmsprop.createModel().layout().width());
        Host a = new Host();
        TrainerCore written = core(adagrad, a, 0);
        feed(written, SyntheticStream.planted(BATCH * 3, 10, 10, 9));
        written.flushAll();
        TrainerSnapshot snapshot = written.snapshot(1);
        assertThat(snapshot.fingerprint()).contains("adagrad");

        TrainerCore other = core(rmsprop, new Host(), 0);
        assertThatThrownBy(() -> other.restore(RestorePlan.of(List.of(snapshot), 0, 1).orElseThrow()))
                .isInstanceOf(io.streamrec.trainer.snapshot.ModelCompatibility.IncompatibleCheckpointException.class)
                .hasMessageContaining(snapshot.fingerprint())
                .hasMessageContaining(rmsprop.createModel().fingerprint())
                .hasMessageContaining("--fresh");
        // The same configuration restores.
        core(withSetting(settings(false, false, "r3"), MfHyperParameters.Keys.OPTIMIZER, "adagrad"), new Host(), 0)
                .restore(RestorePlan.of(List.of(snapshot), 0, 1).orElseThrow());
    }

    @Test
    void aDenseModelsWeightsTravelInTheCheckpointAndAreAveragedAcrossSubtasks() throws IOException {
        TrainerSettings dl = withSetting(settings(false, false, "d"), MfHyperParameters.Keys.TYPE, "dlplus");
        Host a = new Host();
        TrainerCore written = core(dl, a, 0);
        feed(written, SyntheticStream.planted(BATCH * 6, 20, 20, 11));
        written.flushAll();
        TrainerSnapshot snapshot = TrainerSnapshot.decode(written.snapshot(1).encode());
        assertThat(snapshot.dense()).isNotEmpty();
        var weights = written.model().denseParameters().orElseThrow();

        TrainerCore restored = core(withSetting(settings(false, false, "d2"), MfHyperParameters.Keys.TYPE, "dlplus"), new Host(), 0);
        restored.restore(RestorePlan.of(List.of(snapshot), 0, 1).orElseThrow());
        assertThat(restored.model().denseParameters().orElseThrow()).isEqualTo(weights);
        // Two identical copies (as after a rescale of a job whose subtasks agreed) average to themselves.
        TrainerSnapshot twin = new TrainerSnapshot(1, "d/0/1", 0, 0, 0, snapshot.global(), new long[0], new float[0][],
                null, snapshot.fingerprint(), snapshot.dense());
        assertThat(RestorePlan.of(List.of(snapshot, twin), 0, 1).orElseThrow().dense().orElseThrow()).isEqualTo(weights);
    }

    private static TrainerSettings dlplus(boolean exchange, String runId) {
        TrainerSettings s = withSetting(settings(false, exchange, runId), MfHyperParameters.Keys.TYPE, "dlplus");
        s = withSetting(s, "model.dlplus.hidden", "8");
        return withSetting(s, "model.dlplus.dim", "4");
    }

    private static DenseParameters weightsOf(TrainerCore c) {
        return c.model().denseParameters().orElseThrow().weightsOnly();
    }

    private static List<DenseParameters.Tensor> optimizerStateOf(TrainerCore c) {
        return c.model().denseParameters().orElseThrow().tensors().stream()
                .filter(t -> t.name().startsWith(DenseParameters.OPTIMIZER_STATE_PREFIX)).toList();
    }

    @Test
    void exchangingDenseCoresAverageTheirWeightsAndKeepTheirOwnOptimizerState() {
        Host h0 = new Host();
        Host h1 = new Host();
        TrainerCore c0 = core(dlplus(true, "run-1"), h0, 0);
        TrainerCore c1 = core(dlplus(true, "run-1"), h1, 1);
        // Each subtask learns from its own users: their copies of the network drift apart.
        feed(c0, SyntheticStream.planted(BATCH * 6, 20, 20, 11));
        feed(c1, SyntheticStream.planted(BATCH * 6, 20, 20, 12));
        c0.flushAll();
        c1.flushAll();
        // The first batch publishes at once, the barrier again: the latest copy is the one as of the barrier.
        assertThat(h0.weights).hasSize(2);
        assertThat(h1.weights).hasSize(2);
        DenseParameters w0 = weightsOf(c0);
        DenseParameters w1 = weightsOf(c1);
        assertThat(w0).isNotEqualTo(w1);
        String fp = c0.model().fingerprint();
        DenseWeights latest0 = h0.weights.get(1);
        DenseWeights latest1 = h1.weights.get(1);
        assertThat(latest0.parameters(fp)).isEqualTo(w0);
        List<DenseParameters.Tensor> adam0 = optimizerStateOf(c0);
        assertThat(adam0).isNotEmpty();

        // Through the wire format, as the exchange topic carries them.
        c1.applyDelta(ItemDeltaSerde.decode(ItemDeltaSerde.encode(latest0)));
        c0.applyDelta(ItemDeltaSerde.decode(ItemDeltaSerde.encode(latest1)));
        assertThat(h0.applied).isEqualTo(1);
        assertThat(h1.applied).isEqualTo(1);
        DenseParameters mean = DenseParameters.average(List.of(w0, w1));
        assertThat(weightsOf(c0)).isEqualTo(mean).isEqualTo(weightsOf(c1));
        // restoreDense with weights only: the weights are replaced, the subtask's own Adam state stays.
        assertThat(optimizerStateOf(c0)).isEqualTo(adam0);

        // Own weights coming back change nothing; a failed earlier run's weights are discarded.
        c0.applyDelta(latest0);
        c0.applyDelta(new DenseWeights("run-0/0/1", 7, latest1.encoded()));
        assertThat(h0.applied).isEqualTo(1);
        assertThat(h0.discarded).isEqualTo(1);
        assertThat(weightsOf(c0)).isEqualTo(mean);

        // Idle subtasks do not echo each other's weights: averaging is not learning.
        h0.weights.clear();
        c0.flushAll();
        assertThat(h0.weights).isEmpty();
    }

    @Test
    void atParallelismThreeASubtaskAveragesItsOwnWithTheLatestCopyOfEveryOther() {
        Host[] h = {new Host(), new Host(), new Host()};
        TrainerCore[] c = new TrainerCore[3];
        for (int i = 0; i < 3; i++) {
            c[i] = core(dlplus(true, "run-3"), h[i], i);
            feed(c[i], SyntheticStream.planted(BATCH * 3, 20, 20, 30 + i));
            c[i].flushAll();
        }
        DenseParameters[] w = {weightsOf(c[0]), weightsOf(c[1]), weightsOf(c[2])};
        // Subtask 0 hears from 1 first: mean of its own and 1's; then from 2: mean of its own (already averaged), 1's
        // latest and 2's.
        c[0].applyDelta(h[1].weights.get(h[1].weights.size() - 1));
        DenseParameters after1 = DenseParameters.average(List.of(w[0], w[1]));
        assertThat(weightsOf(c[0])).isEqualTo(after1);
        c[0].applyDelta(h[2].weights.get(h[2].weights.size() - 1));
        assertThat(weightsOf(c[0])).isEqualTo(DenseParameters.average(List.of(after1, w[1], w[2])));
    }

    @Test
    void weightsOfAnotherModelAreRefusedNamingBoth() {
        Host h0 = new Host();
        Host h1 = new Host();
        TrainerCore c0 = core(dlplus(true, "run-1"), h0, 0);
        TrainerCore other = core(withSetting(dlplus(true, "run-1"), "model.dlplus.hidden", "6"), h1, 1);
        feed(other, SyntheticStream.planted(BATCH * 2, 10, 10, 3));
        other.flushAll();
        assertThat(h1.weights).isNotEmpty();
        assertThatThrownBy(() -> c0.applyDelta(h1.weights.get(0)))
                .hasMessageContaining(c0.model().fingerprint())
                .hasMessageContaining(other.model().fingerprint());
    }

    @Test
    void subtaskZeroPublishesTheDenseWeightsAtABarrierWhenTheyChanged() {
        Host h0 = new Host();
        Host h1 = new Host();
        TrainerCore c0 = core(dlplus(false, "m"), h0, 0);
        TrainerCore c1 = core(dlplus(false, "m"), h1, 1);
        c0.flushAll();
        assertThat(h0.published()).as("nothing learned yet").isEmpty();
        // Every other family's weights are retired once per run, by subtask 0 alone, before anything is published.
        List<String> others = java.util.Arrays.stream(io.streamrec.model.ModelKind.values())
                .filter(k -> k != io.streamrec.model.ModelKind.DLPLUS).map(io.streamrec.model.ModelKind::id).toList();
        assertThat(h0.retired()).containsExactlyElementsOf(others);
        List<Rating> ratings = SyntheticStream.planted(BATCH * 4, 10, 10, 5);
        feed(c0, ratings);
        feed(c1, ratings);
        assertThat(h0.published()).as("only at barriers").isEmpty();
        c0.flushAll();
        c1.flushAll();
        assertThat(h0.published()).hasSize(1);
        ModelUpdate m = h0.published().get(0);
        assertThat(m.family()).isEqualTo("dlplus");
        assertThat(DenseCodec.decode(m.weights(), c0.model().fingerprint())).isEqualTo(weightsOf(c0));
        assertThat(h1.models).as("subtask 0 publishes for all").isEmpty();
        // Unchanged since: nothing new; changed: published again.
        c0.flushAll();
        assertThat(h0.published()).hasSize(1);
        feed(c0, ratings.subList(0, BATCH));
        c0.flushAll();
        assertThat(h0.published()).hasSize(2);

        // MF has no dense parameters: it publishes nothing.
        Host mf = new Host();
        TrainerCore plain = core(settings(false, false, "m"), mf, 0);
        feed(plain, ratings);
        plain.flushAll();
        assertThat(mf.published()).isEmpty();
        // ...but retires DL+'s weights: a scorer must stop ranking MF rows through the DL+ network.
        assertThat(mf.retired()).contains("dlplus").doesNotContain("mf");
        plain.flushAll();
        assertThat(mf.retired()).as("once per run").containsOnlyOnce("dlplus");
        assertThat(mf.weights).isEmpty();
    }

    private static TrainerSettings withSetting(TrainerSettings s, String key, String value) {
        Map<String, String> m = new LinkedHashMap<>(s.hyperSettings());
        m.put(key, value);
        return new TrainerSettings(m, s.metricsEvery(), s.exchangeItems(), s.exchangeIntervalMs(), s.emitEveryBatch(),
                s.maxDirtyRows(), s.runId());
    }

    @Test
    void snapshotAndRestoreContinueBitForBit() throws IOException {
        List<Rating> ratings = SyntheticStream.planted(BATCH * 20, 30, 40, 5);
        List<Rating> first = ratings.subList(0, BATCH * 10 + 5);
        List<Rating> second = ratings.subList(BATCH * 10 + 5, ratings.size());

        Host a = new Host();
        TrainerCore uninterrupted = core(settings(false, false, "r"), a, 0);
        feed(uninterrupted, first);
        uninterrupted.flushAll();
        byte[] blob = uninterrupted.snapshot(1).encode();
        Map<Long, float[]> usersAtSnapshot = new HashMap<>();
        a.userRows.forEach((id, row) -> usersAtSnapshot.put(id, row.clone()));
        feed(uninterrupted, second);
        uninterrupted.flushAll();

        Host b = new Host();
        b.userRows.putAll(usersAtSnapshot);
        TrainerCore restored = core(settings(false, false, "r2"), b, 0);
        restored.restore(RestorePlan.of(List.of(TrainerSnapshot.decode(blob)), 0, 1).orElseThrow());
        assertThat(restored.trainedCount()).isEqualTo(first.size());
        feed(restored, second);
        restored.flushAll();

        assertThat(restored.trainedCount()).isEqualTo(ratings.size());
        for (long i = 0; i < 40; i++) {
            assertThat(restored.itemRow(i)).as("item %d", i).isEqualTo(uninterrupted.itemRow(i));
        }
        assertThat(b.userRows.keySet()).isEqualTo(a.userRows.keySet());
        a.userRows.forEach((id, row) -> assertThat(b.userRows.get(id)).as("user %d", id).isEqualTo(row));
        PrequentialMetrics m = b.metrics.get(b.metrics.size() - 1);
        PrequentialMetrics n = a.metrics.get(a.metrics.size() - 1);
        assertThat(m.count()).isEqualTo(n.count()).isEqualTo(ratings.size());
        assertThat(m.cumulativeRmse()).isEqualTo(n.cumulativeRmse());
    }

    /**
     * DL+ through a snapshot and restore against the same run uninterrupted: how close they stay says whether the
     * checkpoint holds everything the model learns from (rows, weights, Adam state, μ), or only most of it.
     */
    @Test
    void aDenseModelContinuesAfterARestoreAsIfUninterrupted() throws IOException {
        List<Rating> ratings = SyntheticStream.planted(BATCH * 400, 60, 40, 15);
        List<Rating> first = ratings.subList(0, BATCH * 200);
        List<Rating> second = ratings.subList(BATCH * 200, ratings.size());
        Host a = new Host();
        TrainerCore uninterrupted = core(dlplus(false, "r"), a, 0);
        feed(uninterrupted, first);
        uninterrupted.flushAll();
        byte[] blob = uninterrupted.snapshot(1).encode();
        Map<Long, float[]> usersAtSnapshot = new HashMap<>();
        a.userRows.forEach((id, row) -> usersAtSnapshot.put(id, row.clone()));
        feed(uninterrupted, second);
        uninterrupted.flushAll();

        Host b = new Host();
        b.userRows.putAll(usersAtSnapshot);
        TrainerCore restored = core(dlplus(false, "r2"), b, 0);
        restored.restore(RestorePlan.of(List.of(TrainerSnapshot.decode(blob)), 0, 1).orElseThrow());
        feed(restored, second);
        restored.flushAll();

        PrequentialMetrics m = b.metrics.get(b.metrics.size() - 1);
        PrequentialMetrics n = a.metrics.get(a.metrics.size() - 1);
        System.out.printf("dlplus restore: uninterrupted prequential RMSE %.5f, restored %.5f; weights equal: %s%n",
                n.cumulativeRmse(), m.cumulativeRmse(), weightsOf(restored).equals(weightsOf(uninterrupted)));
        assertThat(m.count()).isEqualTo(n.count()).isEqualTo(ratings.size());
        assertThat(m.cumulativeRmse()).isCloseTo(n.cumulativeRmse(), org.assertj.core.data.Offset.offset(1e-3));
    }

    @Test
    void exchangingCoresPublishTheirChangesAndIgnoreOtherRunsDeltas() {
        Host h0 = new Host();
        Host h1 = new Host();
        TrainerCore c0 = core(settings(false, true, "run-1"), h0, 0);
        TrainerCore c1 = core(settings(false, true, "run-1"), h1, 1);
        List<Rating> ratings = SyntheticStream.planted(BATCH * 4, 10, 6, 6);
        feed(c0, ratings);
        c0.flushAll();
        assertThat(h0.deltas).isNotEmpty();
        // The first batch publishes at once (no interval has started), the rest wait for the barrier.
        assertThat(h0.deltas.stream().mapToLong(ItemDelta::ratingCount).sum()).isEqualTo(ratings.size());

        h0.deltas.forEach(c1::applyDelta);
        assertThat(h1.applied).isEqualTo(h0.deltas.size());
        for (long i = 0; i < 6; i++) {
            float[] x = c0.itemRow(i);
            float[] y = c1.itemRow(i);
            assertThat(y == null).isEqualTo(x == null);
            for (int j = 0; x != null && j < x.length; j++) {
                assertThat(y[j]).isCloseTo(x[j], org.assertj.core.data.Offset.offset(1e-5f));
            }
        }
        assertThat(c1.globalMean()).isCloseTo(c0.globalMean(), org.assertj.core.data.Offset.offset(1e-9));

        // The same changes from a failed earlier run are recomputed after the restore: dropped, counted, not applied.
        float[] before = c1.itemRow(1);
        for (ItemDelta d : h0.deltas) {
            c1.applyDelta(ItemDelta.of("run-0/0/0", d.sequence(), d.width(), d.items(), d.deltas(), d.ratings()));
        }
        assertThat(h1.discarded).isEqualTo(h0.deltas.size());
        assertThat(before).as("item 1 was learned").isNotNull();
        assertThat(c1.itemRow(1)).isEqualTo(before);

        // Own deltas coming back are settled, neither applied nor discarded.
        h0.deltas.forEach(c0::applyDelta);
        assertThat(h0.applied + h0.discarded).isZero();
    }

    private static TrainerSettings uAutoRec(String runId) {
        TrainerSettings s = withSetting(settings(false, false, runId), MfHyperParameters.Keys.TYPE, "u-autorec");
        s = withSetting(s, "model.u-autorec.hidden", "6");
        return withSetting(s, "model.u-autorec.history", "5");
    }

    /**
     * U-AutoRec in the trainer: user rows in keyed state are rating histories (published as such, for the scorer to
     * encode), the encoder bias travels in the checkpoint, and a restore continues exactly as the uninterrupted run.
     */
    @Test
    void uAutoRecKeepsHistoriesAsUserRowsAndContinuesAfterARestore() throws IOException {
        List<Rating> ratings = SyntheticStream.planted(BATCH * 300, 40, 30, 21);
        List<Rating> first = ratings.subList(0, BATCH * 150);
        List<Rating> second = ratings.subList(BATCH * 150, ratings.size());
        Host a = new Host();
        TrainerCore uninterrupted = core(uAutoRec("u"), a, 0);
        feed(uninterrupted, first);
        uninterrupted.flushAll();
        int historyWidth = io.streamrec.model.dense.UserHistory.width(5);
        assertThat(a.userRows.values()).allSatisfy(row -> assertThat(row).hasSize(historyWidth));
        assertThat(a.factors.stream().filter(f -> f.key().kind() == FactorKind.USER))
                .isNotEmpty().allSatisfy(f -> assertThat(f.row().vector()).hasSize(historyWidth));
        assertThat(a.factors.stream().filter(f -> f.key().kind() == FactorKind.ITEM))
                .isNotEmpty().allSatisfy(f -> assertThat(f.row().vector()).hasSize(2 * 6));
        byte[] blob = uninterrupted.snapshot(1).encode();
        assertThat(TrainerSnapshot.decode(blob).dense()).isNotEmpty();
        Map<Long, float[]> usersAtSnapshot = new HashMap<>();
        a.userRows.forEach((id, row) -> usersAtSnapshot.put(id, row.clone()));
        feed(uninterrupted, second);
        uninterrupted.flushAll();

        Host b = new Host();
        b.userRows.putAll(usersAtSnapshot);
        TrainerCore restored = core(uAutoRec("u2"), b, 0);
        restored.restore(RestorePlan.of(List.of(TrainerSnapshot.decode(blob)), 0, 1).orElseThrow());
        feed(restored, second);
        restored.flushAll();
        PrequentialMetrics m = b.metrics.get(b.metrics.size() - 1);
        PrequentialMetrics n = a.metrics.get(a.metrics.size() - 1);
        assertThat(m.count()).isEqualTo(n.count()).isEqualTo(ratings.size());
        assertThat(m.cumulativeRmse()).isCloseTo(n.cumulativeRmse(), org.assertj.core.data.Offset.offset(1e-6));
        assertThat(restored.model().denseParameters()).isEqualTo(uninterrupted.model().denseParameters());
        // Another history bound is another model: its restore refuses.
        assertThatThrownBy(() -> core(withSetting(uAutoRec("u3"), "model.u-autorec.history", "6"), new Host(), 0)
                .restore(RestorePlan.of(List.of(TrainerSnapshot.decode(blob)), 0, 1).orElseThrow()))
                .hasMessageContaining("history=5");
    }
}
