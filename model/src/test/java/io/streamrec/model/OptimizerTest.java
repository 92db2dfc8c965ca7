package io.streamrec.model;

import io.streamrec.model.optim.Optimizer;
import io.streamrec.model.optim.OptimizerKind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

/** Each update rule against values computed by hand: dim 1, so a row is [bias, v, state…, count]. */
class OptimizerTest {

    private static final float LR = 0.1f;
    private static final float LR_BIAS = 0.2f;

    private static Optimizer optimizer(OptimizerKind kind, RowLayout layout) {
        return new Optimizer(layout, LR, LR_BIAS, 0.9f, 0.99f, 1e-8f, 0f);
    }

    private static float[] row(RowLayout layout) {
        float[] row = new float[layout.width()];
        row[0] = 1f;
        row[1] = 2f;
        return row;
    }

    @Test
    void sgd() {
        RowLayout layout = new RowLayout(1, OptimizerKind.SGD, 0f, 1);
        float[] row = row(layout);
        optimizer(OptimizerKind.SGD, layout).apply(row, new float[]{0.5f, -1f}, 0, 3);
        assertThat(row[0]).isCloseTo(1f - 0.2f * 0.5f, offset(1e-7f));
        assertThat(row[1]).isCloseTo(2f + 0.1f, offset(1e-7f));
        assertThat(layout.count(row)).isEqualTo(3f);
    }

    @Test
    void momentum() {
        RowLayout layout = new RowLayout(1, OptimizerKind.MOMENTUM, 0f, 1);
        float[] row = row(layout);
        Optimizer o = optimizer(OptimizerKind.MOMENTUM, layout);
        o.apply(row, new float[]{0.5f, -1f}, 0, 1);
        // v = g; θ -= lr·v
        assertThat(row[1]).isCloseTo(2.1f, offset(1e-6f));
        o.apply(row, new float[]{0.5f, -1f}, 0, 1);
        // v = 0.9·(−1) + (−1) = −1.9; θ = 2.1 + 0.19
        assertThat(row[1]).isCloseTo(2.29f, offset(1e-6f));
        assertThat(row[0]).isCloseTo(1f - 0.2f * 0.5f - 0.2f * 0.95f, offset(1e-6f));
    }

    @Test
    void adagrad() {
        RowLayout layout = new RowLayout(1, OptimizerKind.ADAGRAD, 0f, 1);
        float[] row = row(layout);
        Optimizer o = optimizer(OptimizerKind.ADAGRAD, layout);
        o.apply(row, new float[]{0.5f, -2f}, 0, 1);
        // G = 4; θ += 0.1·2/2
        assertThat(row[1]).isCloseTo(2.1f, offset(1e-6f));
        o.apply(row, new float[]{0.5f, 1f}, 0, 1);
        // G = 5; θ −= 0.1·1/√5
        assertThat(row[1]).isCloseTo(2.1f - 0.1f / (float) Math.sqrt(5), offset(1e-6f));
        assertThat(row[layout.stateOffset(0) + 1]).isCloseTo(5f, offset(1e-6f));
        assertThat(row[0]).isCloseTo(1f - 0.2f - 0.2f * 0.5f / (float) Math.sqrt(0.5), offset(1e-6f));
    }

    @Test
    void rmsprop() {
        RowLayout layout = new RowLayout(1, OptimizerKind.RMSPROP, 0f, 1);
        float[] row = row(layout);
        Optimizer o = optimizer(OptimizerKind.RMSPROP, layout);
        o.apply(row, new float[]{0f, -2f}, 0, 1);
        // s = 0.01·4 = 0.04; θ += 0.1·2/0.2 = 1
        assertThat(row[1]).isCloseTo(3f, offset(1e-5f));
        o.apply(row, new float[]{0f, 1f}, 0, 1);
        // s = 0.99·0.04 + 0.01 = 0.0496; θ −= 0.1/√0.0496
        assertThat(row[1]).isCloseTo(3f - 0.1f / (float) Math.sqrt(0.0496), offset(1e-5f));
        assertThat(row[0]).as("zero gradient, bias unchanged").isEqualTo(1f);
    }

    @Test
    void adamWithPerRowBiasCorrection() {
        RowLayout layout = new RowLayout(1, OptimizerKind.ADAM, 0f, 1);
        float[] row = row(layout);
        Optimizer o = optimizer(OptimizerKind.ADAM, layout);
        o.apply(row, new float[]{0f, -2f}, 0, 1);
        // t=1: m̂ = g, v̂ = g², step = lr·sign(g)
        assertThat(row[1]).isCloseTo(2.1f, offset(1e-5f));
        assertThat(row[layout.stepOffset()]).isEqualTo(1f);
        o.apply(row, new float[]{0f, 1f}, 0, 1);
        double m = 0.9 * (0.1 * -2) + 0.1 * 1;
        double v = 0.99 * (0.01 * 4) + 0.01 * 1;
        double mHat = m / (1 - 0.81);
        double vHat = v / (1 - 0.9801);
        assertThat(row[1]).isCloseTo((float) (2.1 - 0.1 * mHat / Math.sqrt(vHat)), offset(1e-5f));
        assertThat(row[layout.stepOffset()]).isEqualTo(2f);
    }

    @Test
    void biasPriorKeepsTheShrunkRunningMean() {
        RowLayout layout = new RowLayout(1, OptimizerKind.ADAGRAD, 0f, 1);
        Optimizer o = new Optimizer(layout, LR, LR_BIAS, 0.9f, 0.99f, 1e-8f, 2f);
        float[] row = new float[layout.width()];
        // Residuals 1.0 then 0.4 (gradient = bias − residual): shrunk means 1/(1+2) then 1.4/(2+2).
        o.apply(row, new float[]{row[0] - 1f, 0f}, 0, 1);
        assertThat(row[0]).isCloseTo(1f / 3f, offset(1e-6f));
        o.apply(row, new float[]{row[0] - 0.4f, 0f}, 0, 1);
        assertThat(row[0]).isCloseTo(1.4f / 4f, offset(1e-6f));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(OptimizerKind.class)
    void oneEventStepEqualsTheGradientsAppliedToEachRow(OptimizerKind kind) {
        RowLayout layout = new RowLayout(3, kind, 0.3f, 5);
        Optimizer o = optimizer(kind, layout);
        float[] user = layout.newRow(io.streamrec.common.event.FactorKind.USER, 1);
        float[] item = layout.newRow(io.streamrec.common.event.FactorKind.ITEM, 2);
        user[0] = 0.2f;
        item[0] = -0.1f;
        float[] userRef = user.clone();
        float[] itemRef = item.clone();
        float d = 0.7f;
        float l2b = 0.02f;
        float l2f = 0.05f;
        float[] gu = new float[4];
        float[] gi = new float[4];
        gu[0] = d + l2b * userRef[0];
        gi[0] = d + l2b * itemRef[0];
        for (int j = 1; j <= 3; j++) {
            gu[j] = d * itemRef[j] + l2f * userRef[j];
            gi[j] = d * userRef[j] + l2f * itemRef[j];
        }
        o.apply(userRef, gu, 0, 1);
        o.apply(itemRef, gi, 0, 1);
        for (int step = 0; step < 2; step++) {
            o.applyEvent(user, item, d, l2b, l2f, new float[4], new float[4]);
            if (step == 0) {
                for (int j = 0; j < user.length; j++) {
                    assertThat(user[j]).as("user[%d]", j).isCloseTo(userRef[j], offset(1e-6f));
                    assertThat(item[j]).as("item[%d]", j).isCloseTo(itemRef[j], offset(1e-6f));
                }
            }
        }
        assertThat(layout.count(user)).isEqualTo(2f);
    }
}
