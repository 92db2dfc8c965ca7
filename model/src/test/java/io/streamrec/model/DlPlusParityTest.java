package io.streamrec.model;

import io.streamrec.common.event.FactorKind;
import io.streamrec.model.dense.DenseCodec;
import io.streamrec.model.dense.DenseParameters;
import io.streamrec.model.dense.DlPlusScorer;
import io.streamrec.model.dense.RatingOutput;
import io.streamrec.model.nn.DlPlusNetwork;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * One implementation of scoring: the plain-Java forward equals DL4J's own inference output, the catalogue split
 * (user share + precomputed item shares) equals per-pair scoring, and a restored snapshot scores identically.
 */
class DlPlusParityTest {

    private static DlPlusModel trainedModel(boolean sigmoid) {
        return trainedModel(sigmoid, false);
    }

    private static DlPlusModel trainedModel(boolean sigmoid, boolean product) {
        DlPlusHyperParameters p = DlPlusHyperParameters.defaults().withShape(8, List.of(16, 8)).withSigmoidRange(sigmoid)
                .withProduct(product);
        DlPlusModel m = new DlPlusModel(p);
        // A few batches so weights, biases and rows are no longer at their initial values.
        RowTable users = new RowTable();
        RowTable items = new RowTable();
        MiniBatch b = new MiniBatch(p.batchSize());
        SplittableRandom rnd = new SplittableRandom(3);
        for (int step = 0; step < 20; step++) {
            b.clear();
            for (int e = 0; e < p.batchSize(); e++) {
                b.add(rnd.nextInt(50), rnd.nextInt(40), 1 + rnd.nextInt(5), e);
            }
            m.process(b, users, items);
        }
        return m;
    }

    @Test
    void javaForwardEqualsDl4jInferenceOutput() {
        for (int variant = 0; variant < 4; variant++) {
            boolean sigmoid = (variant & 1) != 0;
            boolean product = (variant & 2) != 0;
            DlPlusModel m = trainedModel(sigmoid, product);
            DlPlusNetwork net = m.network();
            DlPlusScorer scorer = new DlPlusScorer(net.weights());
            assertThat(scorer.product()).isEqualTo(product);
            int d = scorer.dim();
            int in = net.inputs();
            SplittableRandom rnd = new SplittableRandom(11);
            int n = 64;
            float[] input = new float[n * in];
            for (int k = 0; k < input.length; k++) {
                input[k] = (float) rnd.nextGaussian() * 0.5f;
            }
            if (product) {
                for (int e = 0; e < n; e++) {
                    for (int j = 0; j < d; j++) {
                        input[e * in + 2 * d + j] = input[e * in + j] * input[e * in + d + j];
                    }
                }
            }
            float[] z = net.output(input, n);
            for (int e = 0; e < n; e++) {
                float[] u = new float[1 + d];
                float[] i = new float[1 + d];
                System.arraycopy(input, e * in, u, 1, d);
                System.arraycopy(input, e * in + d, i, 1, d);
                // Biases 0: rowTerms is then exactly the network output.
                assertThat(scorer.rowTerms(u, i)).as("event %d, sigmoid %s", e, sigmoid).isCloseTo(z[e], within(1e-4f));
            }
        }
    }

    @Test
    void catalogueSplitEqualsPerPairScores() {
        for (boolean product : new boolean[]{false, true}) {
            catalogueSplit(trainedModel(true, product));
        }
    }

    private static void catalogueSplit(DlPlusModel m) {
        DlPlusScorer s = m.scorer();
        RatingOutput out = m.output();
        RowLayout layout = m.layout();
        int items = 300;
        float[][] shares = new float[items][];
        float[] biases = new float[items];
        float[][] rows = new float[items][];
        for (int k = 0; k < items; k++) {
            rows[k] = layout.newRow(FactorKind.ITEM, k);
            rows[k][0] = 0.01f * (k % 17) - 0.08f;
            shares[k] = s.itemShare(rows[k]);
            biases[k] = rows[k][0];
        }
        for (long user = 0; user < 5; user++) {
            float[] u = layout.newRow(FactorKind.USER, user);
            u[0] = 0.1f * user;
            float[] all = new float[items];
            s.scoreAll(u, shares, biases, out, all);
            for (int k = 0; k < items; k++) {
                assertThat(all[k]).isCloseTo(m.score(u, rows[k]), within(1e-4f));
            }
        }
    }

    @Test
    void snapshotRestoreAndCodecKeepScoresAndRefuseOtherModels() {
        DlPlusModel a = trainedModel(false, true);
        DenseParameters snap = a.denseParameters().orElseThrow();
        assertThat(snap.fingerprint()).isEqualTo(a.fingerprint()).contains("dlplus;dim=8;input=concat+product;hidden=16,8");
        assertThat(snap.has(DlPlusNetwork.ADAM_STATE)).isTrue();
        DlPlusModel b = new DlPlusModel(a.dlPlusHyperParameters());
        b.restoreGlobal(a.global());
        b.restoreDense(DenseCodec.decode(DenseCodec.encode(snap), b.fingerprint()));
        assertThat(b.denseParameters().orElseThrow()).isEqualTo(snap);
        float[] u = a.layout().newRow(FactorKind.USER, 1);
        float[] i = a.layout().newRow(FactorKind.ITEM, 2);
        assertThat(b.score(u, i)).isEqualTo(a.score(u, i));

        DlPlusModel other = new DlPlusModel(a.dlPlusHyperParameters().withShape(8, List.of(32, 8)));
        assertThatThrownBy(() -> other.restoreDense(snap)).hasMessageContaining("hidden=16,8").hasMessageContaining("hidden=32,8");
        OnlineModel mf = OnlineModels.create(ModelKind.MF, MfHyperParameters.defaults());
        assertThat(mf.denseParameters()).isEmpty();
        assertThatThrownBy(() -> mf.restoreDense(snap)).hasMessageContaining(mf.fingerprint()).hasMessageContaining("dlplus");
    }

    @Test
    void mfFingerprintTellsOptimizersOfEqualRowWidthApart() {
        OnlineModel adagrad = OnlineModels.create(ModelKind.MF, MfHyperParameters.defaults());
        OnlineModel rmsprop = OnlineModels.create(ModelKind.MF, MfHyperParameters.defaults().withOptimizer(io.streamrec.model.optim.OptimizerKind.RMSPROP));
        assertThat(adagrad.layout().width()).isEqualTo(rmsprop.layout().width());
        assertThat(adagrad.fingerprint()).isEqualTo("mf;dim=32;optimizer=adagrad;row-width=" + adagrad.layout().width());
        assertThat(rmsprop.fingerprint()).isNotEqualTo(adagrad.fingerprint());
    }
}
