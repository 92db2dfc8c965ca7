package io.streamrec.gpu;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reference the GPU layer is held to: its forward and backward against the textbook formulas computed independently
 * in double. On dyadic inputs both must agree exactly, which is also what makes the GPU parity check order-independent.
 */
class JavaDenseLayerTest {

    @Test
    void reluLayerOnDyadicInputsIsExactAgainstDoubleFormulas() {
        int n = 37;
        int in = 257;
        int out = 29;
        float[] w = SeededBatches.dyadic(in * out, 16, 16, 1);
        float[] b = SeededBatches.dyadic(out, 16, 16, 2);
        float[] x = SeededBatches.dyadic(n * in, 2, 1, 3);
        float[] dy = SeededBatches.dyadic(n * out, 16, 16, 4);
        JavaDenseLayer layer = new JavaDenseLayer(in, out, Activation.RELU);
        layer.setParameters(w, b);
        float[] y = layer.forward(x, n);
        float[] dx = layer.backward(dy);
        float[] dw = layer.weightGradient();
        float[] db = layer.biasGradient();

        double[] dz = new double[n * out];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < out; c++) {
                double z = b[c];
                for (int k = 0; k < in; k++) {
                    z += (double) x[r * in + k] * w[k * out + c];
                }
                assertThat((double) y[r * out + c]).isEqualTo(Math.max(0, z));
                dz[r * out + c] = z > 0 ? dy[r * out + c] : 0;
            }
        }
        for (int k = 0; k < in; k++) {
            for (int c = 0; c < out; c++) {
                double s = 0;
                for (int r = 0; r < n; r++) {
                    s += x[r * in + k] * dz[r * out + c];
                }
                assertThat((double) dw[k * out + c]).isEqualTo(s);
            }
        }
        for (int c = 0; c < out; c++) {
            double s = 0;
            for (int r = 0; r < n; r++) {
                s += dz[r * out + c];
            }
            assertThat((double) db[c]).isEqualTo(s);
        }
        for (int r = 0; r < n; r++) {
            for (int k = 0; k < in; k++) {
                double s = 0;
                for (int c = 0; c < out; c++) {
                    s += dz[r * out + c] * w[k * out + c];
                }
                assertThat((double) dx[r * in + k]).isEqualTo(s);
            }
        }
    }

    @Test
    void adamMovesAgainstTheGradientByAboutTheLearningRateOnItsFirstStep() {
        JavaDenseLayer layer = new JavaDenseLayer(2, 1, Activation.IDENTITY);
        layer.setParameters(new float[]{1f, 1f}, new float[]{0f});
        layer.forward(new float[]{1f, -1f}, 1);
        layer.backward(new float[]{0.5f}); // dW = (0.5, -0.5), db = 0.5
        layer.adamStep(0.01f, 0.9f, 0.999f, 1e-8f);
        assertThat(layer.weights()[0]).isCloseTo(0.99f, org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(layer.weights()[1]).isCloseTo(1.01f, org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(layer.bias()[0]).isCloseTo(-0.01f, org.assertj.core.data.Offset.offset(1e-6f));
    }
}
