package io.streamrec.model.dense;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The column-major catalogue forms ({@link DlPlusScorer#itemShareColumns}, {@link DlPlusScorer#scoreAllColumns}) give
 * exactly the row-wise ones' floats ({@link DlPlusScorer#itemShare}, {@link DlPlusScorer#scoreAll}), for item counts
 * around the block size, with and without the p ⊙ q input, one and two hidden layers.
 */
class DlPlusScorerColumnsTest {

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3})
    void columnFormsEqualRowForms(int variant) {
        boolean product = (variant & 1) != 0;
        List<Integer> hidden = (variant & 2) != 0 ? List.of(12, 6) : List.of(10);
        int dim = 5;
        Random rnd = new Random(variant);
        DlPlusScorer scorer = new DlPlusScorer(weights(rnd, dim, hidden, product));
        RatingOutput output = RatingOutput.of(3.4, 100, 1f, 5f, variant % 2 == 0, 0.5f, 5f);
        for (int items : new int[]{1, 255, 256, 257, 700}) {
            int stride = items + 13;
            float[][] rows = new float[items][];
            float[] emb = new float[dim * stride];
            float[] biases = new float[items];
            float[][] shares = new float[items][];
            for (int r = 0; r < items; r++) {
                rows[r] = gaussian(rnd, 1 + dim, 0.7f);
                biases[r] = rows[r][0];
                for (int i = 0; i < dim; i++) {
                    emb[i * stride + r] = rows[r][1 + i];
                }
                shares[r] = scorer.itemShare(rows[r]);
            }
            float[] shareCols = new float[scorer.shareWidth() * stride];
            scorer.itemShareColumns(emb, stride, items, shareCols);
            for (int r = 0; r < items; r++) {
                for (int j = 0; j < scorer.shareWidth(); j++) {
                    assertThat(shareCols[j * stride + r]).isEqualTo(shares[r][j]);
                }
            }
            float[] user = gaussian(rnd, 1 + dim, 0.7f);
            float[] expected = new float[items];
            scorer.scoreAll(user, shares, biases, output, expected);
            float[] actual = new float[items];
            scorer.scoreAllColumns(user, shareCols, emb, stride, items, biases, output, actual);
            assertThat(actual).as("%d items, variant %d", items, variant).containsExactly(expected);
            assertThat(actual[items - 1]).isEqualTo(scorer.score(user, rows[items - 1], output),
                    org.assertj.core.data.Offset.offset(1e-5f));
        }
    }

    static DenseParameters weights(Random rnd, int dim, List<Integer> hidden, boolean product) {
        List<DenseParameters.Tensor> t = new ArrayList<>();
        int in = 2 * dim;
        for (int k = 0; k < hidden.size(); k++) {
            int h = hidden.get(k);
            t.add(new DenseParameters.Tensor(DlPlusScorer.weightName(k), new int[]{in, h}, gaussian(rnd, in * h, 0.5f)));
            t.add(new DenseParameters.Tensor(DlPlusScorer.biasName(k), new int[]{h}, gaussian(rnd, h, 0.2f)));
            if (k == 0 && product) {
                t.add(new DenseParameters.Tensor(DlPlusScorer.PRODUCT_WEIGHTS, new int[]{dim, h}, gaussian(rnd, dim * h, 0.5f)));
            }
            in = h;
        }
        t.add(new DenseParameters.Tensor("out.W", new int[]{in, 1}, gaussian(rnd, in, 0.5f)));
        t.add(new DenseParameters.Tensor("out.b", new int[]{1}, new float[]{0.1f}));
        return new DenseParameters("dlplus;test", 1, t);
    }

    static float[] gaussian(Random rnd, int n, float std) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rnd.nextGaussian() * std;
        }
        return v;
    }
}
