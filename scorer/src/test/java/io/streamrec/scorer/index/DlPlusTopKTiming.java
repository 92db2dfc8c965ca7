package io.streamrec.scorer.index;

import io.streamrec.common.event.FactorRow;
import io.streamrec.common.event.ScoredItem;
import io.streamrec.common.model.RatingOutput;
import io.streamrec.common.event.RatingScale;
import io.streamrec.model.dense.DenseParameters;
import io.streamrec.model.dense.DlPlusScorer;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Times one user's exact top-10 over a catalogue of MovieLens-25M size (62 k items, dim 32, 100 rated items excluded),
 * DL+ (precomputed item shares + {@link DlPlusScorer#scoreAll}) beside MF's SIMD dot-product scan, on one thread:
 * p50/p99/max wall latency and CPU per request; plus the cost of refreshing every item's share when new weights
 * arrive. Random weights of the default network (hidden 32, p⊙q input) and of a wider one; the cost does not depend
 * on the values. Run with {@code --add-modules jdk.incubator.vector} for the SIMD MF kernel.
 * Usage: {@code DlPlusTopKTiming [items] [seconds per row]}.
 */
public final class DlPlusTopKTiming {

    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
    private static long sink;

    public static void main(String[] args) {
        int items = args.length > 0 ? Integer.parseInt(args[0]) : 62_000;
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 4;
        int dim = 32;
        Random rnd = new Random(1);
        List<FactorRow> rows = new ArrayList<>(items);
        for (int i = 0; i < items; i++) {
            rows.add(new FactorRow(1, (float) rnd.nextGaussian() * 0.3f, gaussian(rnd, dim, 0.1f), 0));
        }
        float[] published = new RatingOutput(RatingScale.MOVIELENS_HALF_STARS, false).globalVector(1000, 0.5f, 5f);
        int users = 64;
        float[][] vectors = new float[users][];
        float[] biases = new float[users];
        long[][] rated = new long[users][];
        for (int u = 0; u < users; u++) {
            vectors[u] = gaussian(rnd, dim, 0.1f);
            biases[u] = (float) rnd.nextGaussian() * 0.3f;
            rated[u] = rnd.longs(100, 0, items).toArray();
        }
        System.out.printf("exact top-10 over %,d items, dim %d, 100 rated excluded, one thread, %.0f s per row%n", items, dim, seconds);
        System.out.println("| scoring | requests | p50 ms | p99 ms | max ms | CPU ms/request |");
        System.out.println("|---|---:|---:|---:|---:|---:|");

        ItemIndex mf = new ItemIndex();
        load(mf, rows, published);
        mf.warmUp();
        time("MF dot product (" + mf.kernelName() + ")", seconds, users, u -> mf.topK(vectors[u], 1f, 3.5f + biases[u], 10, rated[u]));

        for (List<Integer> hidden : List.of(List.of(32), List.of(64, 32))) {
            ItemIndex dl = new ItemIndex();
            load(dl, rows, published);
            DlPlusScorer scorer = new DlPlusScorer(weights(rnd, dim, hidden));
            long t0 = System.nanoTime();
            dl.setDense(scorer, "dlplus", 1);
            double refreshMs = (System.nanoTime() - t0) / 1e6;
            for (int w = 0; w < 3; w++) {
                t0 = System.nanoTime();
                dl.setDense(scorer, "dlplus", 2 + w);
                refreshMs = (System.nanoTime() - t0) / 1e6;
            }
            float[] one = new float[1];
            time("DL+ hidden " + hidden + ", p⊙q (shares + scoreAll)", seconds, users, u -> {
                one[0] = biases[u];
                return dl.topKDense(one, new float[][]{vectors[u]}, 10, new long[][]{rated[u]}).lists().get(0);
            });
            System.out.printf("  (DL+ hidden %s: refreshing all %,d item shares on new weights takes %.1f ms)%n", hidden,
                    items, refreshMs);
        }
        System.out.println("sink " + sink);
    }

    interface Call {
        List<ScoredItem> run(int user);
    }

    private static void time(String name, double seconds, int users, Call call) {
        long warmEnd = System.nanoTime() + 2_000_000_000L;
        int u = 0;
        while (System.nanoTime() < warmEnd) {
            sink += call.run(u++ % users).size();
        }
        long[] lat = new long[1 << 16];
        int n = 0;
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long cpu0 = MX.getCurrentThreadCpuTime();
        while (System.nanoTime() < end && n < lat.length) {
            long t0 = System.nanoTime();
            List<ScoredItem> top = call.run(u++ % users);
            lat[n++] = System.nanoTime() - t0;
            sink += top.get(0).item();
        }
        double cpuMs = (MX.getCurrentThreadCpuTime() - cpu0) / 1e6 / n;
        long[] s = Arrays.copyOf(lat, n);
        Arrays.sort(s);
        System.out.printf("| %s | %,d | %.2f | %.2f | %.2f | %.2f |%n", name, n, s[n / 2] / 1e6,
                s[(int) Math.min(n - 1, Math.ceil(n * 0.99) - 1)] / 1e6, s[n - 1] / 1e6, cpuMs);
    }

    private static void load(ItemIndex index, List<FactorRow> rows, float[] published) {
        index.setGlobal(3.5f, 1, RatingOutput.fromGlobalVector(published));
        for (int i = 0; i < rows.size(); i++) {
            index.upsert(i, rows.get(i));
        }
    }

    static DenseParameters weights(Random rnd, int dim, List<Integer> hidden) {
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
        return new DenseParameters("dlplus;timing", 1, t);
    }

    private static float[] gaussian(Random rnd, int n, float std) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rnd.nextGaussian() * std;
        }
        return v;
    }
}
