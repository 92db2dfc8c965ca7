package io.streamrec.model;

import io.streamrec.model.autorec.AutoencoderKernel;
import io.streamrec.model.autorec.Nd4jAutoencoderKernel;
import io.streamrec.model.dense.UserHistory;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The AutoRec gradients equal central finite differences of their losses: the ND4J kernel's masked objective (in
 * double precision) for I-AutoRec, and U-AutoRec's per-event loss for every item-row parameter and the encoder bias.
 */
class AutoRecGradientTest {

    @Test
    void kernelGradientsMatchFiniteDifferences() {
        int width = 7;
        int hidden = 4;
        int rows = 3;
        double share = 0.5;
        Nd4jAutoencoderKernel k = new Nd4jAutoencoderKernel(width, hidden, 0.3, Nd4jAutoencoderKernel.Adam.of(0.01), 5, DataType.DOUBLE);
        SplittableRandom rnd = new SplittableRandom(9);
        float[] x = new float[rows * width];
        float[] m = new float[rows * width];
        for (int i = 0; i < x.length; i++) {
            if (rnd.nextDouble() < 0.5) {
                x[i] = 1 + rnd.nextInt(5);
                m[i] = 1;
            }
        }
        // Move off the zero biases so their gradients are not trivially symmetric.
        for (int s = 0; s < 3; s++) {
            k.step(x, m, rows, share);
        }
        AutoencoderKernel.Gradients g = k.gradients(x, m, rows, share);
        AutoencoderKernel.Weights w = k.weights();
        checkAll("V", w.encoder(), g.encoder(), () -> k.setWeights(w), () -> k.loss(x, m, rows, share));
        checkAll("b", w.encoderBias(), g.encoderBias(), () -> k.setWeights(w), () -> k.loss(x, m, rows, share));
        checkAll("W", w.decoder(), g.decoder(), () -> k.setWeights(w), () -> k.loss(x, m, rows, share));
        checkAll("c", w.decoderBias(), g.decoderBias(), () -> k.setWeights(w), () -> k.loss(x, m, rows, share));
        assertThat(g.encoder()).hasSize(hidden * width);
        assertThat(g.decoder()).hasSize(width * hidden);
    }

    private static void checkAll(String name, float[] values, double[] grad, Runnable apply, java.util.function.DoubleSupplier loss) {
        assertThat(grad).as(name + " gradient length").hasSize(values.length);
        // Small steps: the loss is evaluated in double, only the float weights round the perturbation.
        float eps = 1e-3f;
        for (int i = 0; i < values.length; i++) {
            float v = values[i];
            values[i] = v + eps;
            apply.run();
            double up = loss.getAsDouble();
            values[i] = v - eps;
            apply.run();
            double down = loss.getAsDouble();
            values[i] = v;
            apply.run();
            double numeric = (up - down) / (2 * eps);
            assertThat(grad[i]).as(name + "[" + i + "]").isCloseTo(numeric, within(1e-4 + 1e-3 * Math.abs(numeric)));
        }
    }

    @Test
    void uAutoRecEventGradientsMatchFiniteDifferences() {
        for (boolean reconstruct : new boolean[]{false, true}) {
            UAutoRecHyperParameters p = UAutoRecHyperParameters.defaults().withShape(3, 4).withReconstruct(reconstruct)
                    .withBatchSize(8);
            UAutoRecModel model = new UAutoRecModel(p);
            RowTable users = new RowTable();
            RowTable items = new RowTable();
            MiniBatch b = new MiniBatch(p.batchSize());
            SplittableRandom rnd = new SplittableRandom(4);
            for (int step = 0; step < 30; step++) {
                b.clear();
                for (int e = 0; e < p.batchSize(); e++) {
                    b.add(rnd.nextInt(5), rnd.nextInt(12), 1 + rnd.nextInt(5), e);
                }
                model.learn(b, users, items);
            }
            long user = 1;
            float[] history = users.get(user);
            assertThat(UserHistory.size(history)).isEqualTo(4);
            long target = 100; // a new item: its row is fresh, the history's rows are learned
            float[] targetRow = model.layout().newRow(io.streamrec.common.event.FactorKind.ITEM, target);
            float rating = 4.5f;
            int n = model.gatherSlots(history, target, targetRow, items);
            model.gradients(n, rating);
            int w = model.layout().parameters();
            float[] analytic = model.gradientBuffer().clone();
            float[] dz = model.dzBuffer().clone();
            java.util.function.DoubleSupplier loss = () -> {
                int m = model.gatherSlots(history, target, targetRow, items);
                return model.gradients(m, rating);
            };
            for (int k = 0; k <= n; k++) {
                float[] row = k == n ? targetRow : items.get(UserHistory.item(history, k));
                for (int q = 0; q < w; q++) {
                    double numeric = numeric(row, q, loss);
                    assertThat((double) analytic[k * w + q]).as("reconstruct=" + reconstruct + " slot " + k + " param " + q)
                            .isCloseTo(numeric, within(2e-3 + 2e-2 * Math.abs(numeric)));
                }
            }
            float[] bias = model.encoderBias();
            for (int j = 0; j < bias.length; j++) {
                double numeric = numeric(bias, j, loss);
                assertThat((double) dz[j]).as("encoder bias " + j).isCloseTo(numeric, within(2e-3 + 2e-2 * Math.abs(numeric)));
            }
        }
    }

    private static double numeric(float[] values, int i, java.util.function.DoubleSupplier loss) {
        float eps = 1e-2f;
        float v = values[i];
        values[i] = v + eps;
        double up = loss.getAsDouble();
        values[i] = v - eps;
        double down = loss.getAsDouble();
        values[i] = v;
        return (up - down) / (2 * eps);
    }
}
