package io.streamrec.model;

import io.streamrec.model.dense.ColumnOps;
import io.streamrec.model.dense.DlPlusScorer;
import io.streamrec.model.dense.RatingOutput;
import io.streamrec.model.features.HybridScorer;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

/**
 * The whole-catalogue ranking of the dense families (what the trainer's prequential ranking runs once per sampled
 * event) scores every item exactly as the row-by-row reference does: the column-major, blocked, possibly SIMD path
 * that replaced it must change the time, never the floats, so recall and MRR mean what they meant. Catalogue sizes
 * that end inside a block of 256 and on its edge; a cold user falls back to the item biases.
 */
class CatalogueRankerTest {

    private static final RatingOutput RAW = new RatingOutput(0f, false, 0f, 0f, 0f, Float.NEGATIVE_INFINITY,
            Float.POSITIVE_INFINITY);

    @Test
    void theBuildRunsTheSimdLoops() {
        // The parent pom's argLine adds jdk.incubator.vector, as every streamrec JVM does: the tests below then pin
        // the SIMD path against the scalar reference (VectorColumnOpsTest pins its loops one by one).
        assertThat(ColumnOps.best().toString()).isEqualTo("simd-256");
    }

    @Test
    void dlPlusRanksEveryItemWithTheFloatsOfTheRowByRowReference() {
        DlPlusModel model = new DlPlusModel(DlPlusHyperParameters.defaults());
        DlPlusScorer net = new DlPlusScorer(model.denseParameters().orElseThrow());
        SplittableRandom rnd = new SplittableRandom(11);
        for (int count : new int[]{1, 255, 256, 700}) {
            float[][] rows = rows(rnd, count, model.layout().width());
            float[] user = rows(rnd, 1, model.layout().width())[0];
            CatalogueRanker ranker = model.catalogueRanker(rows, count);
            float[] out = new float[count];
            ranker.score(user, out);
            float[] reference = rowByRow(net, user, rows, count);
            assertThat(out).as("%d items", count).containsExactly(reference);
            for (int k = 0; k < count; k++) {
                // The prediction path (rowTerms) sums in another order: equal to rounding, so the order is the same.
                assertThat(out[k]).isCloseTo(net.rowTerms(user, rows[k]), offset(1e-4f));
            }
            ranker.score(null, out);
            for (int k = 0; k < count; k++) {
                assertThat(out[k]).as("a cold user is ranked by b_i").isEqualTo(rows[k][0]);
            }
        }
    }

    @Test
    void hybridRanksItsEffectiveVectorsWithTheFloatsOfTheRowByRowReference() {
        HybridModel model = new HybridModel(HybridHyperParameters.defaults());
        HybridScorer s = model.scorer();
        SplittableRandom rnd = new SplittableRandom(12);
        int count = 300;
        float[][] rows = rows(rnd, count, model.layout().width());
        float[] user = rows(rnd, 1, model.layout().width())[0];
        float[][] vectors = new float[count][];
        for (int k = 0; k < count; k++) {
            vectors[k] = s.itemVector(rows[k], null);
        }
        float[] out = new float[count];
        model.catalogueRanker(rows, count).score(user, out);
        float[] uv = java.util.Arrays.copyOf(user, vectors[0].length);
        assertThat(out).containsExactly(rowByRow(s.network(), uv, vectors, count));
    }

    private static float[] rowByRow(DlPlusScorer net, float[] user, float[][] itemRows, int count) {
        float[][] shares = new float[count][];
        float[] biases = new float[count];
        for (int k = 0; k < count; k++) {
            shares[k] = net.itemShare(itemRows[k]);
            biases[k] = itemRows[k][0];
        }
        float[] out = new float[count];
        net.scoreAll(user, shares, biases, RAW, out);
        return out;
    }

    private static float[][] rows(SplittableRandom rnd, int count, int width) {
        float[][] rows = new float[count][width];
        for (float[] row : rows) {
            for (int i = 0; i < width; i++) {
                row[i] = (float) (rnd.nextGaussian() * 0.3);
            }
        }
        return rows;
    }
}
