package io.streamrec.ingest.synthetic;

/**
 * Walker/Vose alias table: draws index i with probability w[i]/sum(w) in O(1) with one uniform double. Used for
 * Zipf-skewed item popularity and user activity over millions of entities without a binary search per event.
 */
final class AliasTable {

    private final float[] prob;
    private final int[] alias;

    AliasTable(double[] weights) {
        int n = weights.length;
        if (n == 0) {
            throw new IllegalArgumentException("alias table needs at least one weight");
        }
        double sum = 0;
        for (double w : weights) {
            if (!(w >= 0) || !Double.isFinite(w)) {
                throw new IllegalArgumentException("weights must be finite and >= 0");
            }
            sum += w;
        }
        prob = new float[n];
        alias = new int[n];
        double[] scaled = new double[n];
        int[] small = new int[n];
        int[] large = new int[n];
        int ns = 0;
        int nl = 0;
        for (int i = 0; i < n; i++) {
            scaled[i] = weights[i] * n / sum;
            if (scaled[i] < 1) {
                small[ns++] = i;
            } else {
                large[nl++] = i;
            }
        }
        while (ns > 0 && nl > 0) {
            int s = small[--ns];
            int l = large[--nl];
            prob[s] = (float) scaled[s];
            alias[s] = l;
            scaled[l] = scaled[l] + scaled[s] - 1;
            if (scaled[l] < 1) {
                small[ns++] = l;
            } else {
                large[nl++] = l;
            }
        }
        while (nl > 0) {
            int l = large[--nl];
            prob[l] = 1f;
            alias[l] = l;
        }
        while (ns > 0) {
            int s = small[--ns]; // only from rounding error
            prob[s] = 1f;
            alias[s] = s;
        }
    }

    int size() {
        return prob.length;
    }

    int sample(double u) {
        double x = u * prob.length;
        int i = (int) x;
        if (i >= prob.length) {
            i = prob.length - 1;
        }
        return (x - i) < prob[i] ? i : alias[i];
    }
}
