package io.streamrec.model;

import io.streamrec.common.event.FactorKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The analytic gradient the learner applies equals a central finite difference of the per-event loss
 * ½(r̂ − r)² + l2b/2 (b_u² + b_i²) + l2f/2 (|p_u|² + |q_i|²), for every parameter, with and without squashing.
 * The applied gradient is read back from one plain-SGD step: g = (θ_before − θ_after) / η.
 */
class GradientCheckTest {

    private static final int DIM = 5;
    private static final float LR = 1e-3f;
    private static final float L2B = 0.03f;
    private static final float L2F = 0.07f;

    @ParameterizedTest(name = "sigmoid={0}, update={1}")
    @CsvSource({"false,batch", "true,batch", "false,sequential", "true,sequential"})
    void analyticGradientMatchesFiniteDifferences(boolean sigmoid, String update) {
        MfHyperParameters p = TestParams.of("dim=" + DIM, "optimizer=sgd", "learning-rate=" + LR, "bias-learning-rate=" + LR,
                "l2-bias=" + L2B, "l2-factors=" + L2F, "init-std=0.4", "sigmoid-range=" + sigmoid, "update=" + update,
                "rating-scale=-100:100");
        OnlineModel model = OnlineModels.create(ModelKind.MF, p);
        RowLayout layout = model.layout();
        float[] user = layout.newRow(FactorKind.USER, 1);
        float[] item = layout.newRow(FactorKind.ITEM, 2);
        user[0] = 0.3f;
        item[0] = -0.2f;
        float rating = sigmoid ? 40f : 4.5f;
        float[] userBefore = user.clone();
        float[] itemBefore = item.clone();

        double[] numericUser = new double[1 + DIM];
        double[] numericItem = new double[1 + DIM];
        for (int j = 0; j <= DIM; j++) {
            numericUser[j] = numeric(model, user, item, rating, user, j);
            numericItem[j] = numeric(model, user, item, rating, item, j);
        }

        RowTable users = new RowTable();
        RowTable items = new RowTable();
        users.put(1, user);
        items.put(2, item);
        MiniBatch batch = new MiniBatch(4);
        batch.add(1, 2, rating, 0L);
        model.learn(batch, users, items);

        for (int j = 0; j <= DIM; j++) {
            double analyticUser = (userBefore[j] - user[j]) / LR;
            double analyticItem = (itemBefore[j] - item[j]) / LR;
            assertThat(analyticUser).as("user parameter %d", j).isCloseTo(numericUser[j], org.assertj.core.data.Offset.offset(2e-3 + 2e-3 * Math.abs(numericUser[j])));
            assertThat(analyticItem).as("item parameter %d", j).isCloseTo(numericItem[j], org.assertj.core.data.Offset.offset(2e-3 + 2e-3 * Math.abs(numericItem[j])));
        }
    }

    private static double numeric(OnlineModel model, float[] user, float[] item, float rating, float[] row, int j) {
        float h = 1e-2f;
        float saved = row[j];
        row[j] = saved + h;
        double plus = loss(model, user, item, rating);
        row[j] = saved - h;
        double minus = loss(model, user, item, rating);
        row[j] = saved;
        return (plus - minus) / (2 * h);
    }

    private static double loss(OnlineModel model, float[] user, float[] item, float rating) {
        double e = model.score(user, item) - rating;
        double reg = L2B / 2.0 * (user[0] * user[0] + item[0] * item[0]);
        for (int j = 1; j <= DIM; j++) {
            reg += L2F / 2.0 * (user[j] * user[j] + item[j] * item[j]);
        }
        return 0.5 * e * e + reg;
    }
}
