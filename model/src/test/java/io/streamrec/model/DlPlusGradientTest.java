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
                    io.streamrec.common.event.RatingScale.ZERO_TO_FIVE, BATCH, 100, 9, 0.9f, 0.999f, 0.1f,
                    UpdateMode.BATCH);
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

    private static DlPlusHyperParameters sgdParams(boolean sigmoid, boolean product, UpdateMode update) {
        return new DlPlusHyperParameters(DIM, List.of(4, 3), product, 0f, 1e-3f, 0f,
                io.streamrec.model.optim.OptimizerKind.SGD, 0.5f, 0.5f, 0f, 0f, 0.5f, sigmoid,
                io.streamrec.common.event.RatingScale.ZERO_TO_FIVE, BATCH, 100, 9, 0.9f, 0.999f, 0.1f, update);
    }

    /**
     * For a batch of one event the two update modes are the same step: the sequential mode's plain-Java input gradient
     * (DlPlusScorer.rowTermsWithGradient) moves the rows exactly as DL4J's input gradient does in batch mode, and the
     * network takes the same step.
     */
    @Test
    void oneEventStepsTheRowsAlikeInBothModes() {
        for (int variant = 0; variant < 4; variant++) {
            boolean sigmoid = (variant & 1) != 0;
            boolean product = (variant & 2) != 0;
            DlPlusModel seq = new DlPlusModel(sgdParams(sigmoid, product, UpdateMode.SEQUENTIAL), DataType.DOUBLE);
            DlPlusModel bat = new DlPlusModel(sgdParams(sigmoid, product, UpdateMode.BATCH), DataType.DOUBLE);
            RowTable[] users = {new RowTable(), new RowTable()};
            RowTable[] items = {new RowTable(), new RowTable()};
            for (int m = 0; m < 2; m++) {
                float[] u = seq.layout().newRow(FactorKind.USER, 7);
                u[0] = 0.3f;
                users[m].put(7, u);
                float[] i = seq.layout().newRow(FactorKind.ITEM, 8);
                i[0] = -0.2f;
                items[m].put(8, i);
            }
            MiniBatch b1 = new MiniBatch(1);
            b1.add(7, 8, 5f, 1);
            MiniBatch b2 = new MiniBatch(1);
            b2.add(7, 8, 5f, 1);
            seq.process(b1, users[0], items[0]);
            bat.process(b2, users[1], items[1]);
            assertThat(b1.prediction(0)).isCloseTo(b2.prediction(0), org.assertj.core.api.Assertions.within(1e-5f));
            float[] us = users[0].get(7);
            float[] ub = users[1].get(7);
            float[] is = items[0].get(8);
            float[] ib = items[1].get(8);
            float[] fresh = seq.layout().newRow(FactorKind.USER, 7);
            float moved = 0f;
            for (int j = 1; j <= DIM; j++) {
                moved += Math.abs(us[j] - fresh[j]);
            }
            assertThat(moved).as("the embedding moved, variant %d", variant).isGreaterThan(1e-4f);
            for (int j = 0; j <= DIM; j++) {
                assertThat(us[j]).as("user param %d, variant %d", j, variant).isCloseTo(ub[j], org.assertj.core.api.Assertions.within(1e-5f));
                assertThat(is[j]).as("item param %d, variant %d", j, variant).isCloseTo(ib[j], org.assertj.core.api.Assertions.within(1e-5f));
            }
            assertThat(seq.network().network().params().sub(bat.network().network().params()).amaxNumber().doubleValue())
                    .isLessThan(1e-9);
        }
    }

    /**
     * Sequential mode: the second and third events of a user inside one batch are no longer cold and are predicted
     * from the rows the earlier events taught; the whole-batch mode predicts them all cold from μ.
     */
    @Test
    void laterEventsOfABatchSeeWhatEarlierEventsTaught() {
        for (UpdateMode mode : UpdateMode.values()) {
            DlPlusModel model = new DlPlusModel(sgdParams(false, true, mode), DataType.FLOAT);
            MiniBatch batch = new MiniBatch(3);
            batch.add(1, 1, 5f, 1);
            batch.add(1, 1, 5f, 2);
            batch.add(1, 1, 5f, 3);
            model.process(batch, new RowTable(), new RowTable());
            assertThat(batch.coldStart(0)).isTrue();
            if (mode == UpdateMode.SEQUENTIAL) {
                assertThat(batch.coldStart(1)).isFalse();
                assertThat(batch.coldStart(2)).isFalse();
                assertThat(batch.prediction(1)).isGreaterThan(batch.prediction(0) + 0.1f);
                assertThat(batch.prediction(2)).isGreaterThanOrEqualTo(batch.prediction(1));
            } else {
                assertThat(batch.coldStart(1)).isTrue();
                assertThat(batch.prediction(1)).isEqualTo(batch.prediction(0));
            }
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
