package io.streamrec.model.features;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gradients {@link FeatureTower#stepItem}/{@link FeatureTower#stepUser} step along are the derivatives of
 * c · vector(f) with respect to every table entry, checked against central finite differences for the bag of words
 * and for the text CNN (convolutions, ReLU, max-pooling), with randomised tables so every path carries signal.
 */
class FeatureTowerGradientTest {

    private static final int DIM = 6;

    @ParameterizedTest
    @EnumSource(FeatureSpec.TextEncoder.class)
    void itemGradientMatchesFiniteDifferences(FeatureSpec.TextEncoder text) {
        FeatureSpec spec = new FeatureSpec(8, 32, 8, 6, text, 5, 4, List.of(1, 2, 3));
        FeatureTower tower = new FeatureTower(spec, DIM, 3);
        Random rnd = new Random(11);
        randomise(tower, rnd);
        ItemFeatures f = new ItemFeatures(new int[]{1, 4, 6}, 9, new int[]{3, 17, 30, 3});
        float[] c = gaussian(rnd, DIM + 1);
        Map<String, float[]> grads = tower.itemGradients(f, c);
        int checked = check(tower, grads, () -> {
            float[] out = new float[DIM + 1];
            tower.item(f, out);
            return dot(c, out);
        });
        // Every table the item reads gets a gradient (and the CNN's filters, when it is on).
        assertThat(nonZero(grads.get("hybrid.genre"))).isEqualTo(3 * (DIM + 1));
        assertThat(nonZero(grads.get("hybrid.year"))).isEqualTo(DIM + 1);
        assertThat(nonZero(grads.get("hybrid.word"))).isPositive();
        if (text == FeatureSpec.TextEncoder.CNN) {
            assertThat(nonZero(grads.get("hybrid.conv2.W"))).isPositive();
            assertThat(nonZero(grads.get("hybrid.text.W"))).isPositive();
        }
        assertThat(nonZero(grads.get("hybrid.gender"))).isZero();
        assertThat(checked).isGreaterThan(50);
    }

    @ParameterizedTest
    @EnumSource(FeatureSpec.TextEncoder.class)
    void userGradientMatchesFiniteDifferences(FeatureSpec.TextEncoder text) {
        FeatureTower tower = new FeatureTower(FeatureSpec.defaults().withText(text), DIM, 3);
        Random rnd = new Random(12);
        randomise(tower, rnd);
        UserFeatures f = new UserFeatures(1, 3, 17);
        float[] c = gaussian(rnd, DIM + 1);
        Map<String, float[]> grads = tower.userGradients(f, c);
        check(tower, grads, () -> {
            float[] out = new float[DIM + 1];
            tower.user(f, out);
            return dot(c, out);
        });
        assertThat(nonZero(grads.get("hybrid.occupation"))).isEqualTo(DIM + 1);
        assertThat(nonZero(grads.get("hybrid.genre"))).isZero();
    }

    @ParameterizedTest
    @EnumSource(FeatureSpec.TextEncoder.class)
    void aStepAlongTheGradientLowersTheLoss(FeatureSpec.TextEncoder text) {
        FeatureTower tower = new FeatureTower(FeatureSpec.defaults().withText(text), DIM, 3);
        ItemFeatures f = new ItemFeatures(new int[]{2}, 5, new int[]{7, 8, 9});
        float[] target = gaussian(new Random(5), DIM + 1);
        float before = squaredDistance(tower, f, target);
        for (int k = 0; k < 200; k++) {
            float[] out = new float[DIM + 1];
            tower.item(f, out);
            float[] g = new float[DIM + 1];
            for (int j = 0; j <= DIM; j++) {
                g[j] = out[j] - target[j];
            }
            tower.stepItem(f, g, 0.05f, 0f);
        }
        assertThat(squaredDistance(tower, f, target)).isLessThan(before * 0.05f);
    }

    private static float squaredDistance(FeatureTower tower, ItemFeatures f, float[] target) {
        float[] out = new float[DIM + 1];
        tower.item(f, out);
        float s = 0;
        for (int j = 0; j <= DIM; j++) {
            s += (out[j] - target[j]) * (out[j] - target[j]);
        }
        return s;
    }

    private interface Loss {
        float value();
    }

    /** Central differences on every entry with a non-zero analytic gradient plus a sample of the zero ones. */
    private static int check(FeatureTower tower, Map<String, float[]> grads, Loss loss) {
        int checked = 0;
        float eps = 1e-2f;
        for (Map.Entry<String, float[]> e : grads.entrySet()) {
            float[] v = tower.values(e.getKey());
            float[] g = e.getValue();
            for (int i = 0; i < v.length; i++) {
                if (g[i] == 0f && i % 17 != 0) {
                    continue;
                }
                float keep = v[i];
                v[i] = keep + eps;
                float up = loss.value();
                v[i] = keep - eps;
                float down = loss.value();
                v[i] = keep;
                double numeric = (up - down) / (2.0 * eps);
                assertThat(g[i]).as("%s[%d]", e.getKey(), i).isCloseTo((float) numeric,
                        org.assertj.core.data.Offset.offset((float) (2e-3 + 2e-2 * Math.abs(numeric))));
                checked++;
            }
        }
        return checked;
    }

    private static void randomise(FeatureTower tower, Random rnd) {
        for (var t : tower.tensors(false)) {
            float[] v = tower.values(t.name());
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) rnd.nextGaussian() * 0.5f;
            }
        }
    }

    private static float[] gaussian(Random rnd, int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) rnd.nextGaussian();
        }
        return out;
    }

    private static float dot(float[] a, float[] b) {
        float s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static int nonZero(float[] g) {
        int n = 0;
        for (float x : g) {
            if (x != 0f) {
                n++;
            }
        }
        return n;
    }
}
