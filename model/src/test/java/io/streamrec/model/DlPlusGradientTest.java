package io.streamrec.model;

import io.streamrec.common.event.FactorKind;
import io.streamrec.model.dense.RatingOutput;
import io.streamrec.model.nn.DlPlusNetwork;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Finite differences on a tiny double-precision network (dropout off) confirm what DL4J's calculateGradients and
 * our loss hand back: the weight gradients, the input gradient (the embeddings') and ∂loss/∂z (the biases'), with
 * and without the sigmoid range; then that DlPlusModel scatters them onto the rows, summed over repeated rows,
 * through the p ⊙ q input too.
 */
class DlPlusGradientTest {

    private static final double EPS = 1e-6;
    private static final int DIM = 3;
    private static final int BATCH = 6;

    private static DlPlusNetwork tinyNetwork(boolean sigmoid) {
        RatingOutput o = RatingOutput.of(3, 0, 0, 0, sigmoid, 0f, 5f);
        return new DlPlusNetwork(new DlPlusNetwork.Spec(DIM, false, List.of(4, 3), 0.0, 1e-3, 0.0, 5, sigmoid, o.squashLo(),
                o.squashSpan(), DataType.DOUBLE), "test");
    }

    /**
     * DL4J starts biases at exactly 0: an event whose ReLU inputs are all 0 then sits on the kink of the next layer,
     * where the analytic derivative (one side) and the central difference (the mean of both) differ. Random
     * parameters move every pre-activation off the kink.
     */
    private static void jitter(MultiLayerNetwork net, SplittableRandom rnd) {
        INDArray params = net.params();
        for (int p = 0; p < params.length(); p++) {
            params.putScalar(p, params.getDouble(p) + 0.2 * rnd.nextGaussian());
        }
    }

    /** Σ ½(r̂ − r)² from DL4J's inference output in double. */
    private static double loss(MultiLayerNetwork net, double[] x, double[] offsets, float[] ratings, boolean sigmoid) {
        INDArray f = Nd4j.create(x, new long[]{BATCH, x.length / BATCH}, 'c');
        double[] z = net.output(f, false).reshape(BATCH).toDoubleVector();
        RatingOutput o = RatingOutput.of(3, 0, 0, 0, sigmoid, 0f, 5f);
        double sum = 0;
        for (int e = 0; e < BATCH; e++) {
            double a = offsets[e] + z[e];
            double pred = sigmoid ? o.squashLo() + o.squashSpan() / (1 + Math.exp(-a)) : a;
            sum += 0.5 * (pred - ratings[e]) * (pred - ratings[e]);
        }
        return sum;
    }

    private static void assertClose(double analytic, double numeric, String what) {
        double scale = Math.max(1e-3, Math.abs(analytic) + Math.abs(numeric));
        assertThat(Math.abs(analytic - numeric) / scale).as("%s: analytic %s numeric %s", what, analytic, numeric).isLessThan(1e-4);
    }

    @Test
    void weightInputAndOffsetGradientsMatchFiniteDifferences() {
        for (boolean sigmoid : new boolean[]{false, true}) {
            DlPlusNetwork net = tinyNetwork(sigmoid);
            MultiLayerNetwork mln = net.network();
            SplittableRandom rnd = new SplittableRandom(sigmoid ? 2 : 1);
            jitter(mln, rnd);
            float[] x = new float[BATCH * 2 * DIM];
            for (int k = 0; k < x.length; k++) {
                x[k] = (float) rnd.nextGaussian();
            }
            float[] ratings = new float[BATCH];
            float[] offsets = new float[BATCH];
            for (int e = 0; e < BATCH; e++) {
                ratings[e] = 1 + rnd.nextInt(5);
                offsets[e] = sigmoid ? (float) rnd.nextGaussian() * 0.3f : 3f + (float) rnd.nextGaussian() * 0.3f;
            }
            double[] xd = new double[x.length];
            for (int k = 0; k < x.length; k++) {
                xd[k] = x[k];
            }
            double[] od = new double[BATCH];
            for (int e = 0; e < BATCH; e++) {
                od[e] = offsets[e];
            }
            DlPlusNetwork.Gradients g = net.gradients(x, ratings, offsets, BATCH);

            INDArray params = mln.params();
            for (int p = 0; p < params.length(); p++) {
                double v = params.getDouble(p);
                params.putScalar(p, v + EPS);
                double up = loss(mln, xd, od, ratings, sigmoid);
                params.putScalar(p, v - EPS);
                double down = loss(mln, xd, od, ratings, sigmoid);
                params.putScalar(p, v);
                assertClose(g.weights()[p], (up - down) / (2 * EPS), "weight " + p + " sigmoid " + sigmoid);
            }
            for (int k = 0; k < xd.length; k++) {
                double v = xd[k];
                xd[k] = v + EPS;
                double up = loss(mln, xd, od, ratings, sigmoid);
                xd[k] = v - EPS;
                double down = loss(mln, xd, od, ratings, sigmoid);
                xd[k] = v;
                assertClose(g.input()[k], (up - down) / (2 * EPS), "input " + k + " sigmoid " + sigmoid);
            }
            for (int e = 0; e < BATCH; e++) {
                double v = od[e];
                od[e] = v + EPS;
                double up = loss(mln, xd, od, ratings, sigmoid);
                od[e] = v - EPS;
                double down = loss(mln, xd, od, ratings, sigmoid);
                od[e] = v;
                assertClose(g.dz()[e], (up - down) / (2 * EPS), "offset " + e + " sigmoid " + sigmoid);
            }
        }
    }

    /**
     * Model level: with SGD rows at rate 1 and no L2, a row's change after one learn() is minus the gradient of the
     * batch loss with respect to that row, every event touching it included (user 0 and item 0 appear repeatedly).
     */
    @Test
    void rowsReceiveTheSummedInputGradients() {
        for (int variant = 0; variant < 4; variant++) {
            boolean sigmoid = (variant & 1) != 0;
            boolean product = (variant & 2) != 0;
            DlPlusHyperParameters p = new DlPlusHyperParameters(DIM, List.of(4, 3), product, 0f, 1e-3f, 0f,
                    io.streamrec.model.optim.OptimizerKind.SGD, 1f, 1f, 0f, 0f, 0.5f, sigmoid,
                    io.streamrec.common.event.RatingScale.ZERO_TO_FIVE, BATCH, 100, 9, 0.9f, 0.999f, 0.1f);
            DlPlusModel model = new DlPlusModel(p, DataType.DOUBLE);
            RowTable users = new RowTable();
            RowTable items = new RowTable();
            long[] us = {0, 1, 0, 2, 0, 1};
            long[] is = {0, 0, 1, 2, 3, 0};
            float[] rs = {5, 1, 4, 2, 3, 5};
            for (int e = 0; e < BATCH; e++) {
                if (users.get(us[e]) == null) {
                    float[] row = model.layout().newRow(FactorKind.USER, us[e]);
                    row[0] = 0.1f * us[e];
                    users.put(us[e], row);
                }
                if (items.get(is[e]) == null) {
                    float[] row = model.layout().newRow(FactorKind.ITEM, is[e]);
                    row[0] = -0.05f * is[e];
                    items.put(is[e], row);
                }
            }
            MiniBatch batch = new MiniBatch(BATCH);
            for (int e = 0; e < BATCH; e++) {
                batch.add(us[e], is[e], rs[e], e);
            }
            float base = model.output().offset();
            MultiLayerNetwork mln = model.network().network();
            jitter(mln, new SplittableRandom(4));
            // Expected gradient of the user-0 and item-0 rows by finite differences over the whole batch.
            double[][] expected = new double[2][1 + DIM];
            for (int which = 0; which < 2; which++) {
                float[] row = which == 0 ? users.get(0) : items.get(0);
                for (int j = 0; j <= DIM; j++) {
                    float v = row[j];
                    row[j] = (float) (v + 1e-3);
                    double up = batchLoss(mln, users, items, us, is, rs, base, sigmoid, product);
                    row[j] = (float) (v - 1e-3);
                    double down = batchLoss(mln, users, items, us, is, rs, base, sigmoid, product);
                    row[j] = v;
                    // Divide by the perturbation actually applied in float.
                    expected[which][j] = (up - down) / ((double) (float) (v + 1e-3) - (double) (float) (v - 1e-3));
                }
            }
            float[] u0 = users.get(0).clone();
            float[] i0 = items.get(0).clone();
            model.learn(batch, users, items);
            for (int j = 0; j <= DIM; j++) {
                assertThat((double) (u0[j] - users.get(0)[j])).as("user 0 param %d sigmoid %s product %s", j, sigmoid, product)
                        .isCloseTo(expected[0][j], org.assertj.core.api.Assertions.within(2e-3 * Math.max(1, Math.abs(expected[0][j]))));
                assertThat((double) (i0[j] - items.get(0)[j])).as("item 0 param %d sigmoid %s product %s", j, sigmoid, product)
                        .isCloseTo(expected[1][j], org.assertj.core.api.Assertions.within(2e-3 * Math.max(1, Math.abs(expected[1][j]))));
            }
            assertThat(model.layout().count(users.get(0))).isEqualTo(3f);
            assertThat(model.layout().count(items.get(0))).isEqualTo(3f);
        }
    }

    private static double batchLoss(MultiLayerNetwork net, RowTable users, RowTable items, long[] us, long[] is,
                                    float[] rs, float base, boolean sigmoid, boolean product) {
        int in = (product ? 3 : 2) * DIM;
        double[] x = new double[BATCH * in];
        double[] off = new double[BATCH];
        for (int e = 0; e < BATCH; e++) {
            float[] u = users.get(us[e]);
            float[] i = items.get(is[e]);
            for (int j = 0; j < DIM; j++) {
                x[e * in + j] = u[1 + j];
                x[e * in + DIM + j] = i[1 + j];
                if (product) {
                    x[e * in + 2 * DIM + j] = (double) u[1 + j] * i[1 + j];
                }
            }
            off[e] = base + u[0] + i[0];
        }
        return loss(net, x, off, rs, sigmoid);
    }
}
