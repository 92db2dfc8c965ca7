package io.streamrec.gpu;

import io.streamrec.model.kernel.GatheredBatch;
import io.streamrec.model.kernel.JavaMfKernel;

import java.util.Arrays;

/**
 * The CPU twin of {@link ResidentMfStep}: the same plain-SGD batch step (dots, dLoss around μ, per-row gradient sums,
 * θ −= lr·∂θ) over the same packed tables, through the Java kernel. Parity reference for the resident step and the
 * CPU figure in the benchmark's ratio.
 */
public final class CpuMfStep {

    private final JavaMfKernel kernel = new JavaMfKernel();
    private final GatheredBatch g;
    private final int users;
    private final int items;
    private final float[] ratings;
    private final float[] dots;
    private final float[] dLoss;

    /** Copies the tables and the batch (events index table rows directly; needs events ≥ users and ≥ items). */
    public CpuMfStep(float[] userRows, int users, float[] itemRows, int items, int width, int[] ui, int[] ii, float[] rating, int n) {
        this.g = new GatheredBatch(width);
        this.users = users;
        this.items = items;
        g.reset(n, users, items);
        System.arraycopy(userRows, 0, g.userParams(), 0, users * width);
        System.arraycopy(itemRows, 0, g.itemParams(), 0, items * width);
        System.arraycopy(ui, 0, g.userIndex(), 0, n);
        System.arraycopy(ii, 0, g.itemIndex(), 0, n);
        this.ratings = Arrays.copyOf(rating, n);
        this.dots = new float[n];
        this.dLoss = new float[n];
    }

    public void step(float mean, float lrBias, float lrFactors, float l2Bias, float l2Factors) {
        int n = g.events();
        int w = g.width();
        g.reset(n, users, items); // zeroes the gradients; tables and indices stay
        kernel.dots(g, dots);
        float[] up = g.userParams();
        float[] ip = g.itemParams();
        int[] ui = g.userIndex();
        int[] ii = g.itemIndex();
        for (int e = 0; e < n; e++) {
            float x = up[ui[e] * w] + ip[ii[e] * w] + dots[e];
            dLoss[e] = mean + x - ratings[e];
        }
        kernel.backward(g, dLoss, l2Bias, l2Factors);
        sgd(up, g.userGrad(), users * w, w, lrBias, lrFactors);
        sgd(ip, g.itemGrad(), items * w, w, lrBias, lrFactors);
    }

    private static void sgd(float[] p, float[] grad, int count, int w, float lrBias, float lrFactors) {
        for (int t = 0; t < count; t++) {
            p[t] -= (t % w == 0 ? lrBias : lrFactors) * grad[t];
        }
    }

    public float[] userTable() {
        return Arrays.copyOf(g.userParams(), users * g.width());
    }

    public float[] itemTable() {
        return Arrays.copyOf(g.itemParams(), items * g.width());
    }
}
