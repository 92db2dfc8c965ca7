package io.streamrec.trainer.core;

import io.streamrec.common.event.PrequentialMetrics;
import io.streamrec.common.event.Rating;
import io.streamrec.common.event.RankingMetrics;
import io.streamrec.common.serde.JsonSerde;
import io.streamrec.ingest.synthetic.SyntheticStream;
import io.streamrec.model.MfHyperParameters;
import io.streamrec.model.OnlineModels;
import io.streamrec.model.PopularityHyperParameters;
import io.streamrec.model.eval.OfflineEvaluation;
import io.streamrec.trainer.TrainerSettings;
import io.streamrec.trainer.exchange.Incarnation;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The trainer core ranks sampled events before learning them and reports the figures in its metrics records. */
class TrainerRankingTest {

    private static TrainerSettings settings(String type, int rankingEvery, boolean exchange, String... extra) {
        Map<String, String> m = new LinkedHashMap<>(MfHyperParameters.defaults().withBatchSize(8).toSettings());
        m.put(MfHyperParameters.Keys.DIM, "4");
        m.put(MfHyperParameters.Keys.TYPE, type);
        for (int k = 0; k < extra.length; k += 2) {
            m.put(extra[k], extra[k + 1]);
        }
        return new TrainerSettings(m, 500, exchange, 1_000_000, true, TrainerSettings.DEFAULT_MAX_DIRTY_ROWS, "r")
                .withRankingEvery(rankingEvery).withRankingUserPanel(1);
    }

    private static TrainerCoreTest.Host run(TrainerSettings s, List<Rating> ratings) {
        TrainerCoreTest.Host host = new TrainerCoreTest.Host();
        TrainerCore core = new TrainerCore(s.createModel(), s, new Incarnation("r", 0, 0), host.users, host, host, host);
        ratings.forEach(core::add);
        core.flushAll();
        return host;
    }

    @Test
    void everyEventRankedGivesTheFiguresOfflineEvaluationComputesForTheSameStream() {
        List<Rating> ratings = SyntheticStream.planted(4000, 60, 150, 3);
        TrainerSettings s = settings("mf", 1, false);
        TrainerCoreTest.Host host = run(s, ratings);
        PrequentialMetrics last = host.metrics.get(host.metrics.size() - 1);
        RankingMetrics r = last.ranking();
        assertThat(r).isNotNull();
        assertThat(r.samples()).isEqualTo(4000);
        assertThat(r.sampleEvery()).isEqualTo(1);
        assertThat(host.metrics).allSatisfy(m -> assertThat(m.ranking()).isNotNull());

        OfflineEvaluation.Columns cols = new OfflineEvaluation.Columns(
                ratings.stream().mapToLong(Rating::user).toArray(), ratings.stream().mapToLong(Rating::item).toArray(),
                toFloats(ratings), ratings.stream().mapToLong(Rating::timestampMs).toArray());
        RankingMetrics offline = OfflineEvaluation.prequential(s.createModel(), cols, 0, null,
                new OfflineEvaluation.RankingSampling(1, 1)).ranking();
        assertThat(r.hitAt10()).isCloseTo(offline.hitAt10(), within(1e-9));
        assertThat(r.mrr()).isCloseTo(offline.mrr(), within(1e-9));
        assertThat(r.hitAt10()).isGreaterThan(10.0 / 150).as("better than a random list on a planted stream");

        // The record as it goes to the metrics topic keeps the figures.
        JsonSerde<PrequentialMetrics> serde = new JsonSerde<>(PrequentialMetrics.class);
        assertThat(serde.decode(serde.encode(last)).ranking().samples()).isEqualTo(4000);
    }

    @Test
    void sampledRankingTakesOneEventPerIntervalAndOffReportsNone() {
        List<Rating> ratings = SyntheticStream.planted(3000, 60, 150, 4);
        RankingMetrics r = last(run(settings("popular", 100, false), ratings)).ranking();
        assertThat(r.samples()).isEqualTo(30);
        assertThat(r.hitAt50()).isGreaterThan(0);
        assertThat(last(run(settings("mf", 0, false), ratings)).ranking()).isNull();
    }

    @Test
    void aUserPanelRanksOnlyItsUsersEventsAndRemembersOnlyTheirItems() {
        List<Rating> ratings = SyntheticStream.planted(6000, 400, 150, 5);
        TrainerSettings s = settings("mf", 1, false).withRankingUserPanel(10);
        java.util.Set<Long> remembered = new java.util.HashSet<>();
        io.streamrec.model.eval.RatedItems spy = new io.streamrec.model.eval.RatedItems() {
            final io.streamrec.model.eval.InMemoryRatedItems inner = new io.streamrec.model.eval.InMemoryRatedItems();

            @Override
            public void forEach(long user, java.util.function.LongConsumer action) {
                inner.forEach(user, action);
            }

            @Override
            public void add(long user, long item) {
                remembered.add(user);
                inner.add(user, item);
            }
        };
        TrainerCoreTest.Host host = new TrainerCoreTest.Host();
        TrainerCore core = new TrainerCore(s.createModel(), s, new Incarnation("r", 0, 0), host.users, spy, host, host, host);
        ratings.forEach(core::add);
        core.flushAll();
        io.streamrec.model.eval.PrequentialRanking panel = new io.streamrec.model.eval.PrequentialRanking(null,
                new io.streamrec.model.eval.RankingEvaluator(1, 0, 1), 10, MfHyperParameters.defaults().seed());
        long panelEvents = ratings.stream().filter(r -> panel.inPanel(r.user())).count();
        long panelUsers = ratings.stream().mapToLong(Rating::user).distinct().filter(panel::inPanel).count();
        RankingMetrics r = last(host).ranking();
        assertThat(r.userPanel()).isEqualTo(10);
        assertThat(r.samples()).isEqualTo(panelEvents);
        assertThat(remembered).hasSize((int) panelUsers).allMatch(panel::inPanel);
        // About one user in ten: the hash spreads consecutive ids.
        assertThat(panelUsers).isBetween(20L, 60L);
    }

    @Test
    void decayedPopularityCannotExchangeItemRows() {
        TrainerSettings s = settings("popular", 10, true, PopularityHyperParameters.Keys.HALF_LIFE_HOURS, "24");
        assertThatThrownBy(() -> new TrainerCore(s.createModel(), s, new Incarnation("r", 0, 0),
                new TrainerCoreTest.Host().users, new TrainerCoreTest.Host(), new TrainerCoreTest.Host(), new TrainerCoreTest.Host()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("half-life");
        // Plain counts add up across subtasks: allowed.
        TrainerSettings counts = settings("popular", 10, true);
        TrainerCoreTest.Host h = new TrainerCoreTest.Host();
        new TrainerCore(counts.createModel(), counts, new Incarnation("r", 0, 0), h.users, h, h, h);
        assertThat(OnlineModels.fromSettings(io.streamrec.common.config.Settings.builder()
                .flags(new LinkedHashMap<>(s.hyperSettings())).build()).settings())
                .containsEntry(PopularityHyperParameters.Keys.HALF_LIFE_HOURS, "24.0");
    }

    /** Popularity counts are item rows whose deltas add: two subtasks that swap deltas both hold the total counts. */
    @Test
    void popularityCountsAddUpAcrossExchangingSubtasks() {
        TrainerSettings s = settings("popular", 0, true);
        TrainerCoreTest.Host h0 = new TrainerCoreTest.Host();
        TrainerCoreTest.Host h1 = new TrainerCoreTest.Host();
        TrainerCore c0 = new TrainerCore(s.createModel(), s, new Incarnation("r", 0, 0), h0.users, h0, h0, h0);
        TrainerCore c1 = new TrainerCore(s.createModel(), s, new Incarnation("r", 0, 1), h1.users, h1, h1, h1);
        List<Rating> ratings = SyntheticStream.planted(64, 20, 6, 9);
        for (int k = 0; k < ratings.size(); k++) {
            (k % 2 == 0 ? c0 : c1).add(ratings.get(k));
        }
        c0.flushAll();
        c1.flushAll();
        h0.deltas.forEach(c1::applyDelta);
        h1.deltas.forEach(c0::applyDelta);
        for (long item = 0; item < 6; item++) {
            final long id = item;
            long count = ratings.stream().filter(r -> r.item() == id).count();
            float[] a = c0.itemRow(item);
            float[] b = c1.itemRow(item);
            assertThat(a == null ? 0f : a[0]).as("item %d on subtask 0", item).isEqualTo((float) count);
            assertThat(b == null ? 0f : b[0]).as("item %d on subtask 1", item).isEqualTo((float) count);
        }
    }

    private static PrequentialMetrics last(TrainerCoreTest.Host h) {
        return h.metrics.get(h.metrics.size() - 1);
    }

    private static float[] toFloats(List<Rating> ratings) {
        float[] f = new float[ratings.size()];
        for (int k = 0; k < f.length; k++) {
            f[k] = ratings.get(k).rating();
        }
        return f;
    }
}
