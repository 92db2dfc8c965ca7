package io.streamrec.gpu;

/**
 * The {@code mf_row_grad} kernel of {@link MfKernelSource}, statement for statement, run on the host one (row, column)
 * "thread" at a time: it checks the segment preparation where there is no GPU (its sums must equal the Java kernel's
 * exactly), which is the arithmetic the device is then asked to repeat.
 */
public final class RowGradReference {

    private RowGradReference() {
    }

    public static float[] rowGrad(float[] self, float[] other, int[] otherIndex, RowSegments seg, float[] dLoss, int rows, int w,
                                  float l2Bias, float l2Factors) {
        float[] grad = new float[rows * w];
        int[] start = seg.start();
        int[] events = seg.events();
        for (int t = 0; t < rows * w; t++) {
            int k = t / w;
            int j = t - k * w;
            float own = self[t];
            float l2 = j == 0 ? l2Bias : l2Factors;
            float g = 0.0f;
            for (int s = start[k]; s < start[k + 1]; s++) {
                int e = events[s];
                float dir = j == 0 ? 1.0f : other[otherIndex[e] * w + j];
                g += dLoss[e] * dir + l2 * own;
            }
            grad[t] = g;
        }
        return grad;
    }
}
