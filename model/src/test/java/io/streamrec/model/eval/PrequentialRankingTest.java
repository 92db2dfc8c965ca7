package io.streamrec.model.eval;

import io.streamrec.common.config.Settings;
import io.streamrec.common.event.RankingMetrics;
import io.streamrec.model.MfHyperParameters;
import io.streamrec.model.OnlineModel;
import io.streamrec.model.OnlineModels;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrequentialRankingTest {

    private static OnlineModel popular(String batchSize) {
        return OnlineModels.fromSettings(Settings.builder().flags(Map.of("model.type", "popular",
                MfHyperParameters.Keys.BATCH_SIZE, batchSize)).build());
    }

    /**
     * Hand-computed: with popularity and every event ranked, the ranks are
     * e0 u1·i10: i10 unknown → miss; e1 u2·i10: only item → 1; e2 u2·i20: i20 unknown → miss;
     * e3 u3·i20: i10 (2 ratings) ahead of i20 (1) → 2; e4 u1·i20: u1 rated i10, excluded → 1.
     */
    @Test
    void goldenTinyStreamGivesTheHandComputedFigures() {
        OfflineEvaluation.Columns data = new OfflineEvaluation.Columns(new long[]{1, 2, 2, 3, 1},
                new long[]{10, 10, 20, 20, 20}, new float[]{4, 4, 4, 4, 4}, new long[]{1, 2, 3, 4, 5});
        OfflineEvaluation.Result r = OfflineEvaluation.prequential(popular("1"), data, 0, null,
                new OfflineEvaluation.RankingSampling(1, 7));
        RankingMetrics m = r.ranking();
        assertEquals(5, m.samples());
        assertEquals(2, r.rankingUnknownItems());
        assertEquals(3 / 5.0, m.hitAt10(), 1e-12);
        assertEquals(3 / 5.0, m.hitAt50(), 1e-12);
        assertEquals((1 + 0.5 + 1) / 5.0, m.mrr(), 1e-12);
        assertEquals((1 + 1 / (Math.log(3) / Math.log(2)) + 1) / 5.0, m.ndcgAt10(), 1e-12);
        assertEquals(m.hitAt10(), m.windowHitAt10(), 1e-12);
    }

    @Test
    void dcgAndHitsFollowTheRankThresholds() {
        RankingEvaluator ev = new RankingEvaluator(1, 1, 3);
        ev.record(10);
        ev.record(11);
        ev.record(50);
        ev.record(51);
        RankingMetrics m = ev.snapshot();
        assertEquals(0.25, m.hitAt10(), 1e-12);
        assertEquals(0.75, m.hitAt50(), 1e-12);
        assertEquals((1 / 10.0 + 1 / 11.0 + 1 / 50.0 + 1 / 51.0) / 4, m.mrr(), 1e-12);
        assertEquals(1 / (Math.log(11) / Math.log(2)) / 4, m.ndcgAt10(), 1e-12);
        // The window keeps the last three samples: 11, 50, 51.
        assertEquals(3, m.windowSamples());
        assertEquals(0, m.windowHitAt10(), 1e-12);
        assertEquals(2 / 3.0, m.windowHitAt50(), 1e-12);
    }

    @Test
    void samplingTakesExactlyOneEventPerBlockAtASeededPlace() {
        RankingEvaluator a = new RankingEvaluator(7, 3, 10);
        RankingEvaluator b = new RankingEvaluator(7, 3, 10);
        List<Integer> picked = new ArrayList<>();
        for (int e = 0; e < 700; e++) {
            boolean s = a.nextEventSampled();
            assertEquals(s, b.nextEventSampled(), "same seed, same sample");
            if (s) {
                picked.add(e);
            }
        }
        assertEquals(100, picked.size());
        for (int k = 0; k < picked.size(); k++) {
            assertEquals(k, picked.get(k) / 7, "one sample in block " + k);
        }
        RankingEvaluator c = new RankingEvaluator(7, 4, 10);
        List<Integer> other = new ArrayList<>();
        for (int e = 0; e < 700; e++) {
            if (c.nextEventSampled()) {
                other.add(e);
            }
        }
        assertTrue(!other.equals(picked), "another seed picks other events");
    }

    /** The counting rank against sorting the candidates (score descending, catalogue position ascending). */
    @Test
    void rankMatchesABruteForceSortWithTiesAndExclusions() {
        SplittableRandom rnd = new SplittableRandom(11);
        for (int round = 0; round < 2000; round++) {
            int n = 1 + rnd.nextInt(60);
            float[] scores = new float[n];
            for (int j = 0; j < n; j++) {
                scores[j] = rnd.nextInt(8); // few distinct values: many ties
            }
            int target = rnd.nextInt(n);
            int[] excluded = new int[n];
            int ex = 0;
            for (int j = 0; j < n; j++) {
                if (j != target && rnd.nextInt(3) == 0) {
                    excluded[ex++] = j;
                }
            }
            List<Integer> candidates = new ArrayList<>();
            for (int j = 0; j < n; j++) {
                final int jj = j;
                if (Arrays.stream(excluded, 0, ex).noneMatch(x -> x == jj)) {
                    candidates.add(j);
                }
            }
            candidates.sort(Comparator.<Integer>comparingDouble(j -> -scores[j]).thenComparingInt(j -> j));
            assertEquals(candidates.indexOf(target) + 1, PrequentialRanking.rank(scores, n, target, excluded, ex));
        }
    }

    /** Whole pipeline against a brute-force reference: MF rows after a prefix, every event ranked by hand. */
    @Test
    void mfRankingOfAStreamMatchesABruteForceReference() {
        SplittableRandom rnd = new SplittableRandom(5);
        int n = 3000;
        long[] users = new long[n];
        long[] items = new long[n];
        float[] ratings = new float[n];
        long[] ts = new long[n];
        for (int e = 0; e < n; e++) {
            users[e] = rnd.nextInt(40);
            items[e] = rnd.nextInt(120);
            ratings[e] = 1 + rnd.nextInt(5);
            ts[e] = e;
        }
        OfflineEvaluation.Columns data = new OfflineEvaluation.Columns(users, items, ratings, ts);
        // Run the pipeline, then replay the same model by hand (batch size 1, every event ranked) for the reference.
        OfflineEvaluation.Result r = OfflineEvaluation.prequential(mf(), data, 0, null, new OfflineEvaluation.RankingSampling(1, 1));
        OnlineModel ref = mf();
        io.streamrec.model.RowTable u = new io.streamrec.model.RowTable();
        io.streamrec.model.RowTable it = new io.streamrec.model.RowTable();
        io.streamrec.model.MiniBatch batch = new io.streamrec.model.MiniBatch(1);
        java.util.Map<Long, java.util.Set<Long>> rated = new java.util.HashMap<>();
        double rr = 0;
        int hits = 0;
        for (int e = 0; e < n; e++) {
            float[] ur = u.get(users[e]);
            float[] target = it.get(items[e]);
            int rank = 0;
            if (target != null) {
                float st = rankScore(ref, ur, target);
                rank = 1;
                List<Long> ids = new ArrayList<>();
                it.forEach((id, row) -> ids.add(id));
                // Catalogue order is the table's iteration order: count ties ahead by that order.
                int targetPos = ids.indexOf(items[e]);
                for (int p = 0; p < ids.size(); p++) {
                    long id = ids.get(p);
                    if (id == items[e] || rated.getOrDefault(users[e], java.util.Set.of()).contains(id)) {
                        continue;
                    }
                    float s = rankScore(ref, ur, it.get(id));
                    if (s > st || (s == st && p < targetPos)) {
                        rank++;
                    }
                }
            }
            if (rank >= 1 && rank <= 10) {
                hits++;
            }
            rr += rank == 0 ? 0 : 1.0 / rank;
            rated.computeIfAbsent(users[e], k -> new java.util.HashSet<>()).add(items[e]);
            batch.add(users[e], items[e], ratings[e], ts[e]);
            ref.process(batch, u, it);
            batch.clear();
        }
        assertEquals(n, r.ranking().samples());
        assertEquals((double) hits / n, r.ranking().hitAt10(), 1e-12);
        assertEquals(rr / n, r.ranking().mrr(), 1e-9);
        assertTrue(r.ranking().hitAt10() > 0 && r.ranking().hitAt10() < 1, "a non-trivial figure: " + r.ranking());
    }

    /**
     * A planted stream whose next item is predictable from taste: 20 groups of 10 items, 60 users per group; each user
     * rates its group's 10 items 5 stars and 10 items of other groups 1 star, in random order, users interleaved. Once
     * MF has learned the groups, a user's unrated group items fill its top 10, so recall@10 nears the share of in-group
     * events (one half); popularity, flat across items here, stays near chance (10 of 200). Measured on the last 1,000
     * events.
     */
    @Test
    void mfThatLearnedThePlantedTastesRecallsTheNextItemAndPopularityDoesNot() {
        SplittableRandom rnd = new SplittableRandom(8);
        int groups = 20;
        int perGroup = 10;
        int usersPerGroup = 60;
        int negatives = 10;
        List<long[]> events = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            for (int k = 0; k < usersPerGroup; k++) {
                long u = g * usersPerGroup + k;
                List<long[]> mine = new ArrayList<>();
                for (int i = 0; i < perGroup; i++) {
                    mine.add(new long[]{u, g * perGroup + i, 5});
                }
                for (int n = 0; n < negatives; n++) {
                    int other = (g + 1 + rnd.nextInt(groups - 1)) % groups;
                    mine.add(new long[]{u, other * perGroup + rnd.nextInt(perGroup), 1});
                }
                java.util.Collections.shuffle(mine, new java.util.Random(u));
                events.addAll(mine);
            }
        }
        // Interleave users while keeping each user's own order: sort by (a random key per event, sorted per user).
        List<List<long[]>> byUser = new ArrayList<>();
        for (int s = 0; s < events.size(); s += perGroup + negatives) {
            byUser.add(new ArrayList<>(events.subList(s, s + perGroup + negatives)));
        }
        List<long[]> stream = new ArrayList<>();
        while (!byUser.isEmpty()) {
            int pick = rnd.nextInt(byUser.size());
            stream.add(byUser.get(pick).remove(0));
            if (byUser.get(pick).isEmpty()) {
                byUser.remove(pick);
            }
        }
        int n = stream.size();
        long[] u = new long[n];
        long[] i = new long[n];
        float[] r = new float[n];
        long[] t = new long[n];
        for (int e = 0; e < n; e++) {
            u[e] = stream.get(e)[0];
            i[e] = stream.get(e)[1];
            r[e] = stream.get(e)[2];
            t[e] = e;
        }
        OfflineEvaluation.Columns data = new OfflineEvaluation.Columns(u, i, r, t);
        OfflineEvaluation.RankingSampling all = new OfflineEvaluation.RankingSampling(1, 1);
        OnlineModel mf = OnlineModels.fromSettings(Settings.builder().flags(Map.of(MfHyperParameters.Keys.BATCH_SIZE, "32",
                MfHyperParameters.Keys.DIM, "16")).build());
        RankingMetrics mfRank = OfflineEvaluation.prequential(mf, data, 0, null, all).ranking();
        RankingMetrics popRank = OfflineEvaluation.prequential(popular("32"), data, 0, null, all).ranking();
        assertTrue(mfRank.windowHitAt10() > 0.35, "mf recall@10 over the last 1,000 events: " + mfRank.windowHitAt10());
        assertTrue(popRank.windowHitAt10() < 0.12, "popularity recall@10 over the last 1,000 events: " + popRank.windowHitAt10());
    }

    private static OnlineModel mf() {
        return OnlineModels.fromSettings(Settings.builder().flags(Map.of(MfHyperParameters.Keys.BATCH_SIZE, "1",
                MfHyperParameters.Keys.DIM, "8")).build());
    }

    /** MF's ranking score from its definition: b_u + b_i + p·q, or b_i for a cold user. */
    private static float rankScore(OnlineModel mf, float[] user, float[] item) {
        if (user == null) {
            return item[0];
        }
        float dot = 0;
        for (int j = 1; j <= mf.layout().dim(); j++) {
            dot += user[j] * item[j];
        }
        return user[0] + item[0] + dot;
    }
}
