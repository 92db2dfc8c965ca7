package io.streamrec.trainer.operator;

import io.streamrec.ingest.synthetic.SyntheticStream;
import io.streamrec.common.event.FactorKind;
import io.streamrec.common.event.PrequentialMetrics;
import io.streamrec.common.event.Rating;
import io.streamrec.model.MfHyperParameters;
import io.streamrec.model.ModelKind;
import io.streamrec.trainer.TrainerSettings;
import io.streamrec.trainer.io.FactorUpdate;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MiniBatchTrainerOperatorTest {

    private static final int BATCH = 8;
    private static final long TIMEOUT_MS = 100;

    private static TrainerSettings settings(boolean emitEveryBatch) {
        MfHyperParameters hp = MfHyperParameters.defaults().withBatchSize(BATCH);
        Map<String, String> m = new java.util.LinkedHashMap<>(hp.toSettings());
        m.put(MfHyperParameters.Keys.BATCH_TIMEOUT_MS, Long.toString(TIMEOUT_MS));
        m.put(MfHyperParameters.Keys.DIM, "8");
        m.put(MfHyperParameters.Keys.TYPE, "mf");
        return new TrainerSettings(m, 10, false, 0, emitEveryBatch, TrainerSettings.DEFAULT_MAX_DIRTY_ROWS, "run-1");
    }

    private static KeyedOneInputStreamOperatorTestHarness<Long, Rating, FactorUpdate> harness(MiniBatchTrainerOperator op)
            throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(op, Rating::user, Types.LONG, 128, 1, 0);
    }

    private static void feed(KeyedOneInputStreamOperatorTestHarness<Long, Rating, FactorUpdate> h, List<Rating> ratings)
            throws Exception {
        for (Rating r : ratings) {
            h.processElement(new StreamRecord<>(r));
        }
    }

    @Test
    void batchClosesAtBatchSizeAndEmitsChangedRows() throws Exception {
        MiniBatchTrainerOperator op = new MiniBatchTrainerOperator(settings(true));
        try (var h = harness(op)) {
            h.open();
            List<Rating> ratings = SyntheticStream.planted(BATCH, 5, 6, 1);
            feed(h, ratings.subList(0, BATCH - 1));
            assertThat(op.trainedCount()).isZero();
            assertThat(op.openBatchSize()).isEqualTo(BATCH - 1);
            assertThat(h.extractOutputValues()).isEmpty();

            feed(h, ratings.subList(BATCH - 1, BATCH));
            assertThat(op.trainedCount()).isEqualTo(BATCH);
            assertThat(op.openBatchSize()).isZero();
            List<FactorUpdate> out = h.extractOutputValues();
            long users = ratings.stream().mapToLong(Rating::user).distinct().count();
            long items = ratings.stream().mapToLong(Rating::item).distinct().count();
            assertThat(out.stream().filter(u -> u.key().kind() == FactorKind.USER).count()).isEqualTo(users);
            assertThat(out.stream().filter(u -> u.key().kind() == FactorKind.ITEM).count()).isEqualTo(items);
            assertThat(out.stream().filter(u -> u.key().kind() == FactorKind.GLOBAL)).hasSize(1);
            assertThat(out).allSatisfy(u -> assertThat(u.row().modelVersion()).isEqualTo(BATCH));
            // Each user row went to keyed state, one entry per distinct user, and a rated-items list for each user of
            // the ranking's panel (ranking on by default).
            io.streamrec.model.eval.PrequentialRanking panel = new io.streamrec.model.eval.PrequentialRanking(null,
                    new io.streamrec.model.eval.RankingEvaluator(1, 0, 1), TrainerSettings.DEFAULT_RANKING_USER_PANEL,
                    MfHyperParameters.defaults().seed());
            long inPanel = ratings.stream().mapToLong(Rating::user).distinct().filter(panel::inPanel).count();
            assertThat(h.numKeyedStateEntries()).isEqualTo((int) (users + inPanel));
        }
    }

    @Test
    void batchClosesAtTimeout() throws Exception {
        MiniBatchTrainerOperator op = new MiniBatchTrainerOperator(settings(true));
        try (var h = harness(op)) {
            h.open();
            h.setProcessingTime(1_000);
            feed(h, SyntheticStream.planted(3, 5, 6, 2));
            h.setProcessingTime(1_000 + TIMEOUT_MS - 1);
            assertThat(op.trainedCount()).isZero();
            h.setProcessingTime(1_000 + TIMEOUT_MS);
            assertThat(op.trainedCount()).isEqualTo(3);
            assertThat(op.openBatchSize()).isZero();
        }
    }

    @Test
    void checkpointBarrierFlushesTheOpenBatchAndCoalescedRows() throws Exception {
        MiniBatchTrainerOperator op = new MiniBatchTrainerOperator(settings(false));
        try (var h = harness(op)) {
            h.open();
            List<Rating> ratings = SyntheticStream.planted(BATCH * 2 + 3, 4, 5, 3);
            feed(h, ratings);
            // Two full batches trained, rows coalesced (not yet emitted), three ratings still open.
            assertThat(op.trainedCount()).isEqualTo(BATCH * 2);
            assertThat(h.extractOutputValues()).isEmpty();

            op.prepareSnapshotPreBarrier(1);
            h.snapshot(1, 1);
            assertThat(op.openBatchSize()).isZero();
            assertThat(op.trainedCount()).isEqualTo(ratings.size());
            List<FactorUpdate> out = h.extractOutputValues();
            // Coalesced: each changed row once, at the latest version.
            assertThat(out.stream().map(FactorUpdate::key).distinct().count()).isEqualTo(out.size());
            assertThat(out).allSatisfy(u -> assertThat(u.row().modelVersion()).isEqualTo(ratings.size()));
            List<PrequentialMetrics> metrics = h.getSideOutput(TrainerShell.METRICS).stream()
                    .map(StreamRecord::getValue).toList();
            assertThat(metrics).isNotEmpty();
            assertThat(metrics.get(metrics.size() - 1).count()).isEqualTo(ratings.size());
        }
    }

    /**
     * Rated items live in keyed list state. With popularity known exactly (item k rated by 7, 6, 5, 3, 2, 1 users),
     * a user who rates items 0..5 in turn has each ranked first only if the items it already rated (earlier in the
     * same batch included) are excluded: the batch's eight samples then add exactly 8 to the sum of reciprocal ranks
     * (without the exclusion: 4.45). The metrics side output carries the figures.
     */
    @Test
    void rankingExcludesWhatTheUserRatedFromKeyedStateAndReportsIt() throws Exception {
        Map<String, String> m = new java.util.LinkedHashMap<>(settings(true).hyperSettings());
        m.put(MfHyperParameters.Keys.TYPE, "popular");
        TrainerSettings popular = new TrainerSettings(m, 10, false, 0, true, TrainerSettings.DEFAULT_MAX_DIRTY_ROWS, "run-1")
                .withRankingEvery(1).withRankingUserPanel(1);
        MiniBatchTrainerOperator op = new MiniBatchTrainerOperator(popular);
        try (var h = harness(op)) {
            h.open();
            List<Rating> catalogue = new java.util.ArrayList<>();
            int[] raters = {7, 6, 5, 3, 2, 1};
            long t = 0;
            for (int i = 0; i < raters.length; i++) {
                for (long u = 1; u <= raters[i]; u++) {
                    catalogue.add(new Rating(u, i, 4, t++));
                }
            }
            assertThat(catalogue).hasSize(3 * BATCH);
            feed(h, catalogue);
            op.prepareSnapshotPreBarrier(1);
            io.streamrec.common.event.RankingMetrics before = lastRanking(h);

            List<Rating> next = new java.util.ArrayList<>();
            for (long i = 0; i < 6; i++) {
                next.add(new Rating(9, i, 4, t++));
            }
            next.add(new Rating(10, 0, 4, t++));
            next.add(new Rating(11, 0, 4, t++));
            feed(h, next);
            op.prepareSnapshotPreBarrier(2);
            io.streamrec.common.event.RankingMetrics after = lastRanking(h);

            assertThat(after.samples() - before.samples()).isEqualTo(BATCH);
            double addedRr = after.mrr() * after.samples() - before.mrr() * before.samples();
            assertThat(addedRr).isCloseTo(8.0, org.assertj.core.api.Assertions.within(1e-9));
            long users = java.util.stream.Stream.concat(catalogue.stream(), next.stream()).mapToLong(Rating::user).distinct().count();
            // Keyed state: one rated-items list per user (popularity writes no user rows).
            assertThat(h.numKeyedStateEntries()).isEqualTo((int) users);
        }
    }

    private static io.streamrec.common.event.RankingMetrics lastRanking(
            KeyedOneInputStreamOperatorTestHarness<Long, Rating, FactorUpdate> h) {
        List<PrequentialMetrics> metrics = h.getSideOutput(TrainerShell.METRICS).stream().map(StreamRecord::getValue).toList();
        assertThat(metrics).isNotEmpty();
        io.streamrec.common.event.RankingMetrics r = metrics.get(metrics.size() - 1).ranking();
        assertThat(r).isNotNull();
        return r;
    }

    @Test
    void snapshotWithAnOpenBatchIsRefused() throws Exception {
        MiniBatchTrainerOperator op = new MiniBatchTrainerOperator(settings(false));
        try (var h = harness(op)) {
            h.open();
            feed(h, SyntheticStream.planted(3, 4, 5, 4));
            assertThatThrownBy(() -> h.snapshot(1, 1)).hasStackTraceContaining("prepareSnapshotPreBarrier must flush");
        }
    }

    @Test
    void restoreFromSnapshotGivesIdenticalResultsOnRocksDb() throws Exception {
        restoresIdentically(settings(false));
    }

    /** U-AutoRec's user rows (rating histories, another width than item rows) in RocksDB keyed state. */
    @Test
    void uAutoRecRestoresIdenticallyOnRocksDb() throws Exception {
        Map<String, String> m = new java.util.LinkedHashMap<>(settings(false).hyperSettings());
        m.put(MfHyperParameters.Keys.TYPE, "u-autorec");
        m.put("model.u-autorec.hidden", "4");
        m.put("model.u-autorec.history", "6");
        Map<String, FactorUpdate> rows = restoresIdentically(
                new TrainerSettings(m, 10, false, 0, false, TrainerSettings.DEFAULT_MAX_DIRTY_ROWS, "run-u"));
        assertThat(rows.values().stream().filter(u -> u.key().kind() == io.streamrec.common.event.FactorKind.USER))
                .isNotEmpty().allSatisfy(u -> assertThat(u.row().vector()).hasSize(io.streamrec.model.dense.UserHistory.width(6)));
    }

    private static Map<String, FactorUpdate> restoresIdentically(TrainerSettings settings) throws Exception {
        List<Rating> ratings = SyntheticStream.planted(BATCH * 20, 30, 40, 5);
        List<Rating> first = ratings.subList(0, BATCH * 10 + 5);
        List<Rating> second = ratings.subList(BATCH * 10 + 5, ratings.size());

        OperatorSubtaskState snapshot;
        Map<String, FactorUpdate> uninterrupted;
        PrequentialMetrics uninterruptedMetrics;
        MiniBatchTrainerOperator a = new MiniBatchTrainerOperator(settings);
        try (var h = harness(a)) {
            h.setStateBackend(new EmbeddedRocksDBStateBackend());
            h.open();
            feed(h, first);
            a.prepareSnapshotPreBarrier(1);
            snapshot = h.snapshot(1, 1);
            h.getOutput().clear();
            feed(h, second);
            a.prepareSnapshotPreBarrier(2);
            uninterrupted = latestByKey(h.extractOutputValues());
            uninterruptedMetrics = lastMetrics(h);
            assertThat(a.trainedCount()).isEqualTo(ratings.size());
        }

        MiniBatchTrainerOperator b = new MiniBatchTrainerOperator(settings);
        try (var h = harness(b)) {
            h.setStateBackend(new EmbeddedRocksDBStateBackend());
            h.initializeState(snapshot);
            h.open();
            assertThat(b.trainedCount()).isEqualTo(first.size());
            assertThat(b.itemCount()).isEqualTo((int) first.stream().mapToLong(Rating::item).distinct().count());
            feed(h, second);
            b.prepareSnapshotPreBarrier(2);
            Map<String, FactorUpdate> restored = latestByKey(h.extractOutputValues());
            assertThat(b.trainedCount()).isEqualTo(ratings.size());
            // Same state + same input + same batch boundaries = bit-identical rows.
            assertThat(restored).isEqualTo(uninterrupted);
            // The prequential curves continue too: cumulative and windowed RMSE as if nothing had happened.
            PrequentialMetrics m = lastMetrics(h);
            assertThat(m.count()).isEqualTo(uninterruptedMetrics.count()).isEqualTo(ratings.size());
            assertThat(m.cumulativeRmse()).isCloseTo(uninterruptedMetrics.cumulativeRmse(), org.assertj.core.data.Offset.offset(1e-9));
            assertThat(m.windowCount()).isEqualTo(uninterruptedMetrics.windowCount());
            assertThat(m.windowRmse()).isCloseTo(uninterruptedMetrics.windowRmse(), org.assertj.core.data.Offset.offset(1e-9));
            return restored;
        }
    }

    private static PrequentialMetrics lastMetrics(KeyedOneInputStreamOperatorTestHarness<Long, Rating, FactorUpdate> h) {
        List<PrequentialMetrics> ms = h.getSideOutput(TrainerShell.METRICS).stream().map(r -> r.getValue()).toList();
        assertThat(ms).isNotEmpty();
        return ms.get(ms.size() - 1);
    }

    private static Map<String, FactorUpdate> latestByKey(List<FactorUpdate> updates) {
        return updates.stream().collect(Collectors.toMap(u -> u.key().kind() + ":" + u.key().id(), u -> u,
                (x, y) -> y, TreeMap::new));
    }

    /**
     * With a user TTL a user not trained for longer than it comes back as a new, cold user (its row is gone), while
     * within the TTL it stays warm; without a TTL it never goes cold. TTL time is the harness's own processing clock.
     */
    @Test
    void usersNotSeenForLongerThanTheTtlComeBackCold() throws Exception {
        long[] withTtl = coldAfterEachPhase(settings(true).withRankingEvery(0).withUserTtl(java.time.Duration.ofSeconds(10)));
        long[] without = coldAfterEachPhase(settings(true).withRankingEvery(0));
        // Phase 1: every user is new. Phase 2 (1 s later): nobody is cold. Phase 3 (30 s later): only with the TTL.
        assertThat(withTtl[0]).isPositive().isEqualTo(without[0]);
        assertThat(withTtl[1]).isEqualTo(withTtl[0]);
        assertThat(without[1]).isEqualTo(without[0]);
        assertThat(withTtl[2]).as("cold events after the TTL").isGreaterThanOrEqualTo(withTtl[0] + 4);
        assertThat(without[2]).isEqualTo(without[0]);
    }

    /** The cumulative count of cold-start events after each of three phases of the same 4 users' ratings. */
    private static long[] coldAfterEachPhase(TrainerSettings s) throws Exception {
        MiniBatchTrainerOperator op = new MiniBatchTrainerOperator(s);
        long[] cold = new long[3];
        long[] ttlTimes = {0, 1_000, 30_000};
        try (var h = harness(op)) {
            h.open();
            for (int phase = 0; phase < 3; phase++) {
                h.setStateTtlProcessingTime(ttlTimes[phase]);
                for (int k = 0; k < BATCH; k++) {
                    h.processElement(new StreamRecord<>(new Rating(k % 4, k % 2, 4.0f, 1_000L * (phase * BATCH + k))));
                }
                op.prepareSnapshotPreBarrier(phase + 1);
                h.snapshot(phase + 1, phase + 1);
                List<PrequentialMetrics> reports = h.getSideOutput(TrainerShell.METRICS).stream().map(StreamRecord::getValue).toList();
                PrequentialMetrics last = reports.get(reports.size() - 1);
                assertThat(last.count()).isEqualTo((long) BATCH * (phase + 1));
                cold[phase] = Math.round(last.coldStartShare() * last.count());
            }
        }
        return cold;
    }

    /**
     * Turning the user TTL on (or off) for a job that already has a checkpoint restores on RocksDB: Flink migrates the
     * user rows between plain and TTL-stamped values, and every user restored is there (none reads as cold).
     */
    @Test
    void aCheckpointTakenWithoutTheTtlRestoresWithItAndBack() throws Exception {
        List<Rating> ratings = SyntheticStream.planted(BATCH * 4, 6, 8, 9);
        TrainerSettings plain = settings(false).withRankingEvery(0);
        TrainerSettings ttl = plain.withUserTtl(java.time.Duration.ofDays(1));
        OperatorSubtaskState snapshot = null;
        TrainerSettings[] order = {plain, ttl, plain};
        for (TrainerSettings s : order) {
            MiniBatchTrainerOperator op = new MiniBatchTrainerOperator(s);
            try (var h = harness(op)) {
                h.setStateBackend(new EmbeddedRocksDBStateBackend());
                if (snapshot != null) {
                    h.initializeState(snapshot);
                }
                h.open();
                long before = op.trainedCount();
                feed(h, ratings);
                op.prepareSnapshotPreBarrier(1);
                snapshot = h.snapshot(1, 1);
                PrequentialMetrics m = lastMetrics(h);
                assertThat(op.trainedCount()).isEqualTo(before + ratings.size());
                if (before > 0) {
                    // Every user and item of this pass was restored: the only cold events are those of the first pass.
                    assertThat(Math.round(m.coldStartShare() * m.count())).isEqualTo(coldOfFirstPass(ratings));
                }
            }
        }
    }

    /** Events of the first pass over {@code ratings} whose user or item had not been seen before, by the model's count. */
    private static long coldOfFirstPass(List<Rating> ratings) throws Exception {
        MiniBatchTrainerOperator op = new MiniBatchTrainerOperator(settings(false).withRankingEvery(0));
        try (var h = harness(op)) {
            h.open();
            feed(h, ratings);
            op.prepareSnapshotPreBarrier(1);
            h.snapshot(1, 1);
            PrequentialMetrics m = lastMetrics(h);
            return Math.round(m.coldStartShare() * m.count());
        }
    }
}
