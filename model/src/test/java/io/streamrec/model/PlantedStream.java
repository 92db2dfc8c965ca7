package io.streamrec.model;

import io.streamrec.model.eval.OfflineEvaluation.Columns;

import java.util.SplittableRandom;

/**
 * A synthetic rating stream with planted biased-MF ground truth: r = μ + b_u + b_i + p_u·q_i + N(0, σ²), users and
 * items drawn uniformly. Optionally, from event {@code driftAt} on, every item's planted vector is redrawn (a sudden
 * concept drift the model must detect and recover from).
 */
final class PlantedStream {

    static Columns generate(int users, int items, int dim, int events, double noise, int driftAt, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[][] p = gaussian(rnd, users, dim, 0.6);
        double[][] q = gaussian(rnd, items, dim, 0.6);
        double[] bu = gaussian(rnd, 1, users, 0.3)[0];
        double[] bi = gaussian(rnd, 1, items, 0.3)[0];
        long[] u = new long[events];
        long[] it = new long[events];
        float[] r = new float[events];
        long[] t = new long[events];
        for (int e = 0; e < events; e++) {
            if (e == driftAt) {
                q = gaussian(rnd, items, dim, 0.6);
            }
            int a = rnd.nextInt(users);
            int b = rnd.nextInt(items);
            double dot = 0;
            for (int j = 0; j < dim; j++) {
                dot += p[a][j] * q[b][j];
            }
            u[e] = a + 1;
            it[e] = b + 1_000_000L;
            r[e] = (float) (3.5 + bu[a] + bi[b] + dot + rnd.nextGaussian() * noise);
            t[e] = 1_600_000_000_000L + e * 1000L;
        }
        return new Columns(u, it, r, t);
    }

    private static double[][] gaussian(SplittableRandom rnd, int rows, int cols, double std) {
        double[][] m = new double[rows][cols];
        for (double[] row : m) {
            for (int j = 0; j < cols; j++) {
                row[j] = rnd.nextGaussian() * std;
            }
        }
        return m;
    }

    private PlantedStream() {
    }
}
