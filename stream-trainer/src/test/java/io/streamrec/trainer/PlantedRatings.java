package io.streamrec.trainer;

import io.streamrec.common.event.Rating;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Seeded synthetic ratings for the trainer tests (a stand-in for MovieLens) with planted structure (biases + 4 latent factors), on MovieLens' half-star scale. The benchmark harness keeps its own copy in trainer-bench. */
public final class PlantedRatings {

    private PlantedRatings() {
    }

    public static List<Rating> generate(int count, int users, int items, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] bu = new double[users];
        double[] bi = new double[items];
        double[][] pu = new double[users][4];
        double[][] qi = new double[items][4];
        for (int u = 0; u < users; u++) {
            bu[u] = rnd.nextGaussian() * 0.4;
            for (int k = 0; k < 4; k++) {
                pu[u][k] = rnd.nextGaussian() * 0.5;
            }
        }
        for (int i = 0; i < items; i++) {
            bi[i] = rnd.nextGaussian() * 0.5;
            for (int k = 0; k < 4; k++) {
                qi[i][k] = rnd.nextGaussian() * 0.5;
            }
        }
        List<Rating> out = new ArrayList<>(count);
        long ts = 1_000_000_000_000L;
        for (int n = 0; n < count; n++) {
            int u = rnd.nextInt(users);
            // popularity skew: low item ids are rated more often
            int i = (int) Math.min(items - 1, Math.abs(rnd.nextGaussian()) * items / 3);
            double r = 3.5 + bu[u] + bi[i];
            for (int k = 0; k < 4; k++) {
                r += pu[u][k] * qi[i][k];
            }
            r += rnd.nextGaussian() * 0.3;
            float rating = (float) Math.max(0.5, Math.min(5.0, Math.round(r * 2) / 2.0));
            out.add(new Rating(u, i, rating, ts + n * 1000L));
        }
        return out;
    }
}
