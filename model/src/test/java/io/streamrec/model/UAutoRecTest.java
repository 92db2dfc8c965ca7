package io.streamrec.model;

import io.streamrec.common.event.FactorRow;
import io.streamrec.model.dense.DenseCodec;
import io.streamrec.model.dense.DenseParameters;
import io.streamrec.model.dense.UAutoRecScorer;
import io.streamrec.model.dense.UserHistory;
import io.streamrec.model.eval.OfflineEvaluation;
import io.streamrec.model.eval.OfflineEvaluation.Columns;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * U-AutoRec online: it learns a planted stream prequentially (beats the global mean and the cold start), the scorer's
 * arithmetic over the PUBLISHED state (factor rows, dense parameters through their codec, μ) reproduces the
 * trainer's predictions, and state of another shape or fingerprint is refused.
 */
class UAutoRecTest {

    private static UAutoRecHyperParameters small() {
        return UAutoRecHyperParameters.defaults().withShape(16, 30).withBatchSize(64);
    }

    @Test
    void prequentialBeatsTheGlobalMeanOnAPlantedStream() {
        Columns data = PlantedStream.generate(300, 200, 4, 60_000, 0.3, -1, 17);
        OfflineEvaluation.Result ae = OfflineEvaluation.prequential(new UAutoRecModel(small()), data, 0, null);
        OfflineEvaluation.Result mean = OfflineEvaluation.prequential(
                OnlineModels.create(ModelKind.MEAN, MfHyperParameters.defaults()), data, 0, null);
        System.out.printf("planted prequential: u-autorec %.4f, mean %.4f%n", ae.rmse(), mean.rmse());
        assertThat(ae.rmse()).isLessThan(mean.rmse() - 0.05);
    }

    @Test
    void publishedStateScoresAsTheTrainerPredicts() {
        UAutoRecHyperParameters p = small();
        UAutoRecModel model = new UAutoRecModel(p);
        RowTable users = new RowTable();
        RowTable items = new RowTable();
        MiniBatch b = new MiniBatch(p.batchSize());
        SplittableRandom rnd = new SplittableRandom(8);
        for (int step = 0; step < 40; step++) {
            b.clear();
            for (int e = 0; e < p.batchSize(); e++) {
                b.add(rnd.nextInt(60), 5_000_000_000L + rnd.nextInt(80), 1 + rnd.nextInt(5), e);
            }
            model.process(b, users, items);
        }
        // What a reader holds: user and item factor rows, the dense record through its wire codec, μ.
        Map<Long, FactorRow> publishedItems = new HashMap<>();
        items.forEach((id, row) -> publishedItems.put(id, model.layout().toFactorRow(row, 1, 0)));
        Map<Long, FactorRow> publishedUsers = new HashMap<>();
        users.forEach((id, row) -> publishedUsers.put(id, model.userFactorRow(row, 1, 0)));
        DenseParameters dense = DenseCodec.decode(DenseCodec.encode(model.denseParameters().orElseThrow().weightsOnly()),
                model.fingerprint());
        UAutoRecScorer scorer = new UAutoRecScorer(dense);
        float mean = (float) model.global().mean();

        b.clear();
        for (int e = 0; e < p.batchSize(); e++) {
            b.add(rnd.nextInt(60), 5_000_000_000L + rnd.nextInt(80), 3, e);
        }
        model.predict(b, users, items);
        int compared = 0;
        for (int e = 0; e < b.size(); e++) {
            FactorRow user = publishedUsers.get(b.user(e));
            FactorRow item = publishedItems.get(b.item(e));
            if (user == null || item == null) {
                continue;
            }
            float[] code = new float[p.hidden()];
            java.util.function.LongFunction<float[]> lookup = id -> {
                FactorRow r = publishedItems.get(id);
                return r == null ? null : rowOf(r);
            };
            scorer.code(user.vector(), lookup, mean, code);
            float base = mean + UAutoRecScorer.userOffset(user.vector(), lookup, mean);
            float served = p.ratingScale().clamp(scorer.score(code, rowOf(item), base));
            assertThat(served).as("event " + e).isCloseTo(b.prediction(e), within(1e-4f));
            // The catalogue scan's form: bias + [V|W]·[0|code] + offset is the same score.
            float[] q = scorer.query(code);
            double dot = item.bias();
            for (int j = 0; j < q.length; j++) {
                dot += q[j] * item.vector()[j];
            }
            assertThat(p.ratingScale().clamp((float) (base + dot))).isCloseTo(b.prediction(e), within(1e-4f));
            assertThat(model.score(users.get(b.user(e)), items.get(b.item(e)), items)).isCloseTo(b.prediction(e), within(1e-4f));
            compared++;
        }
        assertThat(compared).isGreaterThan(p.batchSize() / 2);
    }

    private static float[] rowOf(FactorRow r) {
        float[] row = new float[1 + r.vector().length];
        row[0] = r.bias();
        System.arraycopy(r.vector(), 0, row, 1, r.vector().length);
        return row;
    }

    @Test
    void historyKeepsTheMostRecentRatingsAndLargeIds() {
        float[] h = UserHistory.empty(3);
        long big = (1L << 40) + 12345;
        UserHistory.add(h, 1, 4f);
        UserHistory.add(h, big, 2f);
        UserHistory.add(h, 3, 5f);
        UserHistory.add(h, 4, 1f);
        assertThat(UserHistory.size(h)).isEqualTo(3);
        assertThat(UserHistory.item(h, 0)).isEqualTo(big);
        assertThat(UserHistory.item(h, 2)).isEqualTo(4);
        UserHistory.add(h, big, 3.5f);
        assertThat(UserHistory.describe(h)).isEqualTo("[3=5.0, 4=1.0, " + big + "=3.5] of 3");
        assertThatThrownBy(() -> UserHistory.add(h, -1, 3f)).hasMessageContaining("outside [0, 2^48)");
    }

    @Test
    void stateOfAnotherShapeOrFingerprintIsRefused() {
        UAutoRecModel a = new UAutoRecModel(small());
        UAutoRecModel b = new UAutoRecModel(small().withShape(16, 31));
        assertThat(a.fingerprint()).contains("u-autorec;hidden=16;history=30").isNotEqualTo(b.fingerprint());
        assertThatThrownBy(() -> b.restoreDense(a.denseParameters().orElseThrow())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("history=30");
        assertThatThrownBy(() -> a.requireUserShape(new float[5])).hasMessageContaining("histories of 30 ratings");
        UAutoRecModel c = new UAutoRecModel(small());
        c.restoreDense(a.denseParameters().orElseThrow());
        assertThat(c.denseParameters().orElseThrow()).isEqualTo(a.denseParameters().orElseThrow());
        assertThat(a.layout().dim()).isEqualTo(32);
    }

    @Test
    void settingsRoundTripAndUnknownNamesListTheFamilies() {
        var s = io.streamrec.common.config.Settings.builder().flags(Map.of("model.type", "u-autorec",
                "model.u-autorec.hidden", "24", "model.u-autorec.history", "7")).build();
        OnlineModel m = OnlineModels.fromSettings(s);
        assertThat(m.kind()).isEqualTo(ModelKind.U_AUTOREC);
        assertThat(m.settings()).containsEntry(UAutoRecHyperParameters.Keys.HISTORY, "7");
        var again = UAutoRecHyperParameters.fromSettings(io.streamrec.common.config.Settings.builder().flags(m.settings()).build());
        assertThat(again).isEqualTo(((UAutoRecModel) m).uAutoRecHyperParameters());
        assertThatThrownBy(() -> ModelKind.parse("autorec")).hasMessageContaining("u-autorec").hasMessageContaining("i-autorec");
        assertThat(ModelKind.parse("i-autorec")).isEqualTo(ModelKind.I_AUTOREC);
        assertThatThrownBy(() -> OnlineModels.fromSettings(io.streamrec.common.config.Settings.builder()
                .flags(Map.of("model.type", "i-autorec")).build())).hasMessageContaining("--protocol holdout");
        assertThatThrownBy(() -> UAutoRecHyperParameters.fromSettings(io.streamrec.common.config.Settings.builder()
                .flags(Map.of("model.u-autorec.history", "0")).build())).hasMessageContaining("model.u-autorec.history");
    }
}
