package io.streamrec.model.dense;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

/**
 * {@link DlPlusScorer#rowTermsWithGradient} returns {@link DlPlusScorer#rowTerms}' value and its derivative with
 * respect to every embedding component, checked against central finite differences in double-rounded float math,
 * with and without the p ⊙ q input, one and two hidden layers.
 */
class DlPlusScorerGradientTest {

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3})
    void gradientMatchesFiniteDifferences(int variant) {
        boolean product = (variant & 1) != 0;
        List<Integer> hidden = (variant & 2) != 0 ? List.of(12, 6) : List.of(10);
        int dim = 5;
        Random rnd = new Random(40 + variant);
        DlPlusScorer scorer = new DlPlusScorer(DlPlusScorerColumnsTest.weights(rnd, dim, hidden, product));
        int checked = 0;
        int kinks = 0;
        for (int pair = 0; pair < 20; pair++) {
            float[] user = DlPlusScorerColumnsTest.gaussian(rnd, 1 + dim, 0.8f);
            float[] item = DlPlusScorerColumnsTest.gaussian(rnd, 1 + dim, 0.8f);
            float[] gu = new float[dim];
            float[] gi = new float[dim];
            float x = scorer.rowTermsWithGradient(user, item, gu, gi);
            assertThat(x).isEqualTo(scorer.rowTerms(user, item));
            for (int i = 0; i < 2 * dim; i++) {
                boolean inUser = i < dim;
                float analytic = inUser ? gu[i] : gi[i - dim];
                float[] sides = numeric(scorer, user, item, 1 + i % dim, inUser);
                if (Math.abs(sides[0] - sides[1]) > 1e-2f) {
                    kinks++; // a ReLU turns inside the step: the derivative is one-sided there
                    continue;
                }
                assertThat(analytic).as("component %d, pair %d", i, pair).isCloseTo((sides[0] + sides[1]) / 2, offset(1e-2f));
                checked++;
            }
        }
        // Not a vacuous pass: almost every component is checked.
        assertThat(checked).isGreaterThan(180);
        assertThat(kinks).isLessThan(20);
    }

    /** Forward and backward differences of rowTerms in one embedding component. */
    private static float[] numeric(DlPlusScorer scorer, float[] user, float[] item, int at, boolean inUser) {
        float h = 1e-3f;
        float[] row = inUser ? user : item;
        float keep = row[at];
        float mid = scorer.rowTerms(user, item);
        row[at] = keep + h;
        float up = scorer.rowTerms(user, item);
        row[at] = keep - h;
        float down = scorer.rowTerms(user, item);
        row[at] = keep;
        return new float[]{(up - mid) / h, (mid - down) / h};
    }
}
