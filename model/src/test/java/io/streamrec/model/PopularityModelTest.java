package io.streamrec.model;

import io.streamrec.common.config.ConfigException;
import io.streamrec.common.config.Settings;
import io.streamrec.model.eval.OfflineEvaluation;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PopularityModelTest {

    private static final long HOUR = 3_600_000L;

    private static PopularityModel model(double halfLifeHours) {
        return new PopularityModel(new PopularityHyperParameters(TestParams.of("batch-size=4"), halfLifeHours));
    }

    private static float[] rank(OnlineModel m, RowTable items, long... ids) {
        float[][] rows = new float[ids.length][];
        for (int k = 0; k < ids.length; k++) {
            rows[k] = items.get(ids[k]);
        }
        float[] out = new float[ids.length];
        m.catalogueRanker(rows, ids.length).score(null, out);
        return out;
    }

    private static void learn(OnlineModel m, RowTable users, RowTable items, long[][] events) {
        MiniBatch b = new MiniBatch(64);
        for (long[] e : events) {
            b.add(e[0], e[1], 3f, e[2]);
        }
        m.process(b, users, items);
    }

    @Test
    void ranksItemsByHowOftenTheyWereRated() {
        PopularityModel m = model(0);
        RowTable users = new RowTable();
        RowTable items = new RowTable();
        learn(m, users, items, new long[][]{{1, 7, 0}, {2, 7, 0}, {3, 7, 0}, {1, 8, 0}, {2, 9, 0}, {3, 9, 0}});
        float[] s = rank(m, items, 7, 8, 9);
        assertEquals(3f, s[0]);
        assertEquals(1f, s[1]);
        assertEquals(2f, s[2]);
        assertEquals(0, users.size() == 3 ? 0 : 1, "presence markers for cold-start flags only");
    }

    @Test
    void decayPrefersRecentRatingsAndHalvesPerHalfLife() {
        PopularityModel m = model(24);
        RowTable users = new RowTable();
        RowTable items = new RowTable();
        // Item 7: two ratings a day (one half-life) before item 8's single rating: 2·½ = 1, a tie at log2 scale.
        learn(m, users, items, new long[][]{{1, 7, 0}, {2, 7, 0}, {3, 8, 24 * HOUR}, {4, 9, 25 * HOUR}});
        float[] s = rank(m, items, 7, 8, 9);
        assertEquals(s[0], s[1], 1e-4f, "2 ratings one half-life older weigh as much as 1 now");
        assertTrue(s[2] > s[1], "a later single rating ranks above an earlier one");
        // Order of arrival does not matter: the log-sum is commutative.
        PopularityModel m2 = model(24);
        RowTable items2 = new RowTable();
        learn(m2, new RowTable(), items2, new long[][]{{4, 9, 25 * HOUR}, {3, 8, 24 * HOUR}, {2, 7, 0}, {1, 7, 0}});
        assertEquals(s[0], rank(m2, items2, 7, 8, 9)[0], 1e-5f);
    }

    @Test
    void predictsTheRunningMeanExactlyLikeTheMeanModel() {
        SplittableRandom rnd = new SplittableRandom(3);
        int n = 5000;
        long[] u = new long[n];
        long[] i = new long[n];
        float[] r = new float[n];
        long[] t = new long[n];
        for (int e = 0; e < n; e++) {
            u[e] = rnd.nextInt(100);
            i[e] = rnd.nextInt(200);
            r[e] = 1 + rnd.nextInt(5);
            t[e] = e;
        }
        OfflineEvaluation.Columns data = new OfflineEvaluation.Columns(u, i, r, t);
        MfHyperParameters p = TestParams.of("batch-size=50");
        OfflineEvaluation.Result pop = OfflineEvaluation.prequential(new PopularityModel(new PopularityHyperParameters(p, 0)), data, 0, null);
        OfflineEvaluation.Result mean = OfflineEvaluation.prequential(OnlineModels.create(ModelKind.MEAN, p), data, 0, null);
        assertEquals(mean.rmse(), pop.rmse(), 0);
        assertEquals(mean.coldStartShare(), pop.coldStartShare(), 0);
    }

    @Test
    void changedRowsNameEachTouchedItemOnceWithItsRow() {
        PopularityModel m = model(0);
        RowTable items = new RowTable();
        MiniBatch b = new MiniBatch(8);
        b.add(1, 7, 3f, 0);
        b.add(2, 7, 3f, 0);
        b.add(2, 8, 3f, 0);
        ChangedRows c = m.process(b, new RowTable(), items);
        assertEquals(0, c.userCount(), "popularity writes no user rows");
        assertEquals(2, c.itemCount());
        for (int k = 0; k < c.itemCount(); k++) {
            assertEquals(items.get(c.itemId(k))[0], c.itemRow(k)[0]);
            assertEquals(items.get(c.itemId(k))[m.layout().countOffset()], c.itemRow(k)[0], "count slot = plain count");
        }
    }

    @Test
    void settingsAreValidatedAndPartOfTheFingerprint() {
        OnlineModel m = OnlineModels.fromSettings(Settings.builder().flags(Map.of("model.type", "popular",
                PopularityHyperParameters.Keys.HALF_LIFE_HOURS, "48")).build());
        assertEquals(ModelKind.POPULAR, m.kind());
        assertEquals("48.0", m.settings().get(PopularityHyperParameters.Keys.HALF_LIFE_HOURS));
        assertNotEquals(model(0).fingerprint(), m.fingerprint());
        ConfigException e = assertThrows(ConfigException.class, () -> OnlineModels.fromSettings(Settings.builder()
                .flags(Map.of("model.type", "popular", PopularityHyperParameters.Keys.HALF_LIFE_HOURS, "-1")).build()));
        assertTrue(e.getMessage().contains(PopularityHyperParameters.Keys.HALF_LIFE_HOURS), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new PopularityHyperParameters(MfHyperParameters.defaults(), Double.NaN));
        assertEquals(0, new PopularityHyperParameters(MfHyperParameters.defaults(), 0).rows().dim(), "dimension forced to 0");
    }
}
