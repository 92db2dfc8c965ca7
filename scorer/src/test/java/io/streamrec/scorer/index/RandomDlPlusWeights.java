package io.streamrec.scorer.index;

import io.streamrec.model.dense.DenseParameters;
import io.streamrec.model.dense.DlPlusScorer;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Seeded random DL+ weights (p⊙q input, the given hidden layers) for scorer tests that need a network of some shape. */
final class RandomDlPlusWeights {

    static DenseParameters of(Random rnd, int dim, List<Integer> hidden) {
        List<DenseParameters.Tensor> t = new ArrayList<>();
        int in = 2 * dim;
        for (int k = 0; k < hidden.size(); k++) {
            int h = hidden.get(k);
            t.add(new DenseParameters.Tensor(DlPlusScorer.weightName(k), new int[]{in, h}, gaussian(rnd, in * h, 0.2f)));
            t.add(new DenseParameters.Tensor(DlPlusScorer.biasName(k), new int[]{h}, gaussian(rnd, h, 0.1f)));
            if (k == 0) {
                t.add(new DenseParameters.Tensor(DlPlusScorer.PRODUCT_WEIGHTS, new int[]{dim, h}, gaussian(rnd, dim * h, 0.2f)));
            }
            in = h;
        }
        t.add(new DenseParameters.Tensor("out.W", new int[]{in, 1}, gaussian(rnd, in, 0.2f)));
        t.add(new DenseParameters.Tensor("out.b", new int[]{1}, new float[]{0f}));
        return new DenseParameters("dlplus;test", 1, t);
    }

    private static float[] gaussian(Random rnd, int n, float std) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rnd.nextGaussian() * std;
        }
        return v;
    }

    private RandomDlPlusWeights() {
    }
}
