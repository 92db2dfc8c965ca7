package io.streamrec.scorer.index;

import io.streamrec.model.dense.ColumnOps;
import io.streamrec.model.dense.DenseParameters;
import io.streamrec.model.dense.DlPlusScorer;
import io.streamrec.model.dense.RatingOutput;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** DL+'s SIMD item loops give exactly the scalar loops' floats: served scores do not depend on the kernel. */
class VectorColumnOpsTest {

    @Test
    void simdScoresAndSharesEqualScalarBitForBit() {
        ColumnOps simd = ScoringKernel.best().columnOps();
        assertThat(simd.toString()).as("surefire adds jdk.incubator.vector").isEqualTo("simd-256");
        Random rnd = new Random(4);
        int dim = 9;
        for (List<Integer> hidden : List.of(List.of(13), List.of(20, 7))) {
            DenseParameters p = RandomDlPlusWeights.of(rnd, dim, hidden);
            DlPlusScorer scorer = new DlPlusScorer(p);
            RatingOutput out = RatingOutput.of(3.3, 10, 1f, 5f, true, 0.5f, 5f);
            for (int items : new int[]{1, 7, 8, 31, 32, 33, 255, 256, 300, 1000}) {
                int stride = items + 5;
                float[] emb = new float[dim * stride];
                float[] biases = new float[items];
                for (int k = 0; k < emb.length; k++) {
                    emb[k] = (float) rnd.nextGaussian();
                }
                for (int k = 0; k < items; k++) {
                    biases[k] = (float) rnd.nextGaussian() * 0.3f;
                }
                float[] sharesScalar = new float[scorer.shareWidth() * stride];
                float[] sharesSimd = new float[scorer.shareWidth() * stride];
                scorer.itemShareColumns(emb, stride, items, sharesScalar, ColumnOps.SCALAR);
                scorer.itemShareColumns(emb, stride, items, sharesSimd, simd);
                assertThat(sharesSimd).containsExactly(sharesScalar);
                float[] user = new float[1 + dim];
                for (int k = 0; k < user.length; k++) {
                    user[k] = (float) rnd.nextGaussian();
                }
                float[] a = new float[items];
                float[] b = new float[items];
                scorer.scoreAllColumns(user, sharesScalar, emb, stride, items, biases, out, a, ColumnOps.SCALAR);
                scorer.scoreAllColumns(user, sharesScalar, emb, stride, items, biases, out, b, simd);
                assertThat(b).as("%d items, hidden %s", items, hidden).containsExactly(a);
            }
        }
    }
}
