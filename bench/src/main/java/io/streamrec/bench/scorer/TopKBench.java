package io.streamrec.bench.scorer;

import io.streamrec.common.event.FactorRow;
import io.streamrec.common.event.ScoredItem;
import io.streamrec.common.report.BenchSection;
import io.streamrec.scorer.index.ItemIndex;
import io.streamrec.scorer.index.ScoringKernel;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The scorer's exact top-K, written as the "Top-K" section of BENCHMARKS.md: single-request latency (p50/p99) and
 * batch recompute throughput over a catalogue of MovieLens-25M size, the SIMD kernel ({@code jdk.incubator.vector})
 * and the scalar one side by side in one JVM. Needs {@code --add-modules jdk.incubator.vector} for the SIMD row.
 * With {@code jmh} as the fourth argument, {@link TopKJmhBenchmark} cross-checks the single-request latency under JMH
 * and {@link HttpLoad} measures requests/s through the real HTTP server.
 * Usage: {@code TopKBench OUT.md [items] [seconds per kernel and dim] [jmh]}.
 */
public final class TopKBench {

    private static final int[] DIMS = {32, 128};
    private static final int[] BATCHES = {1, 64, 256};
    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
    private static long sink;

    record Single(int requests, long p50Nanos, long p99Nanos, long maxNanos, double cpuMsPerRequest) {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: TopKBench OUT.md [items] [seconds]");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        int items = args.length > 1 ? Integer.parseInt(args[1]) : 62_000;
        double seconds = args.length > 2 ? Double.parseDouble(args[2]) : 4;
        ScoringKernel simd = ScoringKernel.best();
        ScoringKernel scalar = ScoringKernel.scalar();
        BenchSection s = new BenchSection("Top-K recommendations (scorer kernel)", "streamrec bench --only scorer");
        s.text("Exact top-10 over " + BenchSection.count(items) + " items (MovieLens 25M's catalogue size), Gaussian "
                + "factors, 100 rated items excluded per user; every item is scored and a bounded heap keeps the best "
                + "(checked against a double-precision brute force in `ItemIndexTest`). Single = one user per call, "
                + "latency per call on one thread; CPU = that thread's CPU time per request, which takes most of the other "
                + "tenants' load out. Batch = the recompute path (a block of changed users against all items).");
        if (simd.getClass() == scalar.getClass()) {
            s.text("**The SIMD kernel was not available in this JVM** (run with `--add-modules jdk.incubator.vector`): "
                    + "both rows below are the scalar kernel.");
        }
        BenchSection.Table single = s.table("dim", "kernel", "requests", "p50 ms", "p99 ms", "max ms", "CPU ms/request", "requests per CPU-s");
        BenchSection.Table batch = s.table("dim", "kernel", "batch 1 users/s", "batch 64 users/s", "batch 256 users/s", "256 vs 1");
        double[][] simdVsScalar = new double[DIMS.length][2];
        for (int di = 0; di < DIMS.length; di++) {
            int dim = DIMS[di];
            for (ScoringKernel kernel : List.of(simd, scalar)) {
                System.err.println("bench scorer: dim " + dim + ", " + name(kernel) + " ...");
                Random rnd = new Random(1);
                ItemIndex index = new ItemIndex(kernel);
                for (int i = 0; i < items; i++) {
                    index.upsert(i, new FactorRow(1, (float) rnd.nextGaussian(), gaussian(rnd, dim), 0));
                }
                long[] seen = rnd.longs(100, 0, items).toArray();
                float[][] users = new float[1024][];
                for (int i = 0; i < users.length; i++) {
                    users[i] = gaussian(rnd, dim);
                }
                Single r = single(index, users, seen, seconds / 2);
                single.row(dim, name(kernel), BenchSection.count(r.requests()), ms(r.p50Nanos()), ms(r.p99Nanos()), ms(r.maxNanos()),
                        BenchSection.fixed(r.cpuMsPerRequest(), 3), BenchSection.count(1000 / r.cpuMsPerRequest()));
                double[] perSecond = new double[BATCHES.length];
                for (int b = 0; b < BATCHES.length; b++) {
                    perSecond[b] = batch(index, users, seen, BATCHES[b], seconds / 2 / BATCHES.length);
                }
                batch.row(dim, name(kernel), BenchSection.count(perSecond[0]), BenchSection.count(perSecond[1]),
                        BenchSection.count(perSecond[2]), BenchSection.fixed(perSecond[2] / perSecond[0], 1) + "×");
                simdVsScalar[di][kernel == simd ? 0 : 1] = perSecond[2];
            }
        }
        s.heading("Single request");
        single.end();
        s.heading("Batch recompute");
        batch.end();
        StringBuilder ratios = new StringBuilder("SIMD ÷ scalar, batch recompute at 256 users, same run:");
        for (int di = 0; di < DIMS.length; di++) {
            ratios.append(di == 0 ? " " : ", ").append("dim ").append(DIMS[di]).append(' ')
                    .append(BenchSection.fixed(simdVsScalar[di][0] / simdVsScalar[di][1], 1)).append('×');
        }
        s.text(ratios + ".");
        dense(s, items, seconds);
        if (args.length > 3 && args[3].equals("jmh")) {
            jmh(s, items);
            HttpLoad.measure(s, items, 15);
        }
        s.writeTo(out);
        System.out.println("wrote " + out + " (checksum " + sink + ")");
    }

    /**
     * DL+ beside MF, one user's exact top-10 on one thread: DL+ scores every item through its network from precomputed
     * item shares of the first layer (refreshed whenever the weights change, timed too), MF with its dot-product scan.
     * Random weights of the default network (hidden 32, p⊙q input) and a wider one; the cost does not depend on values.
     */
    private static void dense(BenchSection s, int items, double seconds) {
        System.err.println("bench scorer: DL+ top-K ...");
        int dim = 32;
        Random rnd = new Random(1);
        List<FactorRow> rows = new java.util.ArrayList<>(items);
        for (int i = 0; i < items; i++) {
            rows.add(new FactorRow(1, (float) rnd.nextGaussian() * 0.3f, scaled(rnd, dim, 0.1f), 0));
        }
        float[] published = new io.streamrec.common.model.RatingOutput(io.streamrec.common.event.RatingScale.MOVIELENS_HALF_STARS, false)
                .globalVector(1000, 0.5f, 5f);
        int users = 64;
        float[][] vectors = new float[users][];
        float[] biases = new float[users];
        long[][] rated = new long[users][];
        for (int u = 0; u < users; u++) {
            vectors[u] = scaled(rnd, dim, 0.1f);
            biases[u] = (float) rnd.nextGaussian() * 0.3f;
            rated[u] = rnd.longs(100, 0, items).toArray();
        }
        s.heading("DL+ beside MF (single request, dim 32)");
        s.text("The same exact top-10 over " + BenchSection.count(items) + " items with 100 rated items excluded, one thread. "
                + "DL+ ranks by its own prediction out(μ + b_u + b_i + MLP([p_u, q_i, p_u⊙q_i])) for every item: each item's "
                + "share of the first layer is precomputed (refreshed for the whole catalogue when new weights arrive: the "
                + "last column), so a request is the user's share plus, per item, the p⊙q term, ReLU and the remaining small "
                + "layers, over column-major item blocks. Target (issue 13): p99 ≤ 20 ms.");
        BenchSection.Table t = s.table("scoring", "requests", "p50 ms", "p99 ms", "max ms", "CPU ms/request", "weight refresh ms");
        ItemIndex mf = new ItemIndex();
        load(mf, rows, published);
        mf.warmUp();
        Single m = timed(seconds / 2, users, u -> mf.topK(vectors[u], 1f, 3.5f + biases[u], 10, rated[u]));
        t.row("MF dot product (" + mf.kernelName() + ")", BenchSection.count(m.requests()), ms(m.p50Nanos()), ms(m.p99Nanos()),
                ms(m.maxNanos()), BenchSection.fixed(m.cpuMsPerRequest(), 3), "–");
        double[] p99 = new double[2];
        int h = 0;
        for (List<Integer> hidden : List.of(List.of(32), List.of(64, 32))) {
            ItemIndex dl = new ItemIndex();
            load(dl, rows, published);
            io.streamrec.model.dense.DlPlusScorer scorer = new io.streamrec.model.dense.DlPlusScorer(denseWeights(rnd, dim, hidden));
            double refreshMs = 0;
            for (int w = 0; w < 4; w++) {
                long t0 = System.nanoTime();
                dl.setDense(scorer, "dlplus", 1 + w);
                refreshMs = (System.nanoTime() - t0) / 1e6; // the last of 4, once compiled
            }
            float[] one = new float[1];
            Single d = timed(seconds / 2, users, u -> {
                one[0] = biases[u];
                return dl.topKDense(one, new float[][]{vectors[u]}, 10, new long[][]{rated[u]}).lists().get(0);
            });
            p99[h++] = d.p99Nanos() / 1e6;
            t.row("DL+ hidden " + hidden + ", p⊙q (" + dl.kernelName() + ")", BenchSection.count(d.requests()), ms(d.p50Nanos()),
                    ms(d.p99Nanos()), ms(d.maxNanos()), BenchSection.fixed(d.cpuMsPerRequest(), 3), BenchSection.fixed(refreshMs, 1));
        }
        t.end();
        s.text("DL+ (default network) ÷ MF, p99 latency, same run: " + BenchSection.fixed(p99[0] / (m.p99Nanos() / 1e6), 1) + "×.");
    }

    private static void load(ItemIndex index, List<FactorRow> rows, float[] published) {
        index.setGlobal(3.5f, 1, io.streamrec.common.model.RatingOutput.fromGlobalVector(published));
        for (int i = 0; i < rows.size(); i++) {
            index.upsert(i, rows.get(i));
        }
    }

    private static io.streamrec.model.dense.DenseParameters denseWeights(Random rnd, int dim, List<Integer> hidden) {
        List<io.streamrec.model.dense.DenseParameters.Tensor> t = new java.util.ArrayList<>();
        int in = 2 * dim;
        for (int k = 0; k < hidden.size(); k++) {
            int w = hidden.get(k);
            t.add(new io.streamrec.model.dense.DenseParameters.Tensor(io.streamrec.model.dense.DlPlusScorer.weightName(k),
                    new int[]{in, w}, scaled(rnd, in * w, 0.2f)));
            t.add(new io.streamrec.model.dense.DenseParameters.Tensor(io.streamrec.model.dense.DlPlusScorer.biasName(k),
                    new int[]{w}, scaled(rnd, w, 0.1f)));
            if (k == 0) {
                t.add(new io.streamrec.model.dense.DenseParameters.Tensor(io.streamrec.model.dense.DlPlusScorer.PRODUCT_WEIGHTS,
                        new int[]{dim, w}, scaled(rnd, dim * w, 0.2f)));
            }
            in = w;
        }
        t.add(new io.streamrec.model.dense.DenseParameters.Tensor("out.W", new int[]{in, 1}, scaled(rnd, in, 0.2f)));
        t.add(new io.streamrec.model.dense.DenseParameters.Tensor("out.b", new int[]{1}, new float[]{0f}));
        return new io.streamrec.model.dense.DenseParameters("dlplus;bench", 1, t);
    }

    private static float[] scaled(Random rnd, int n, float std) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rnd.nextGaussian() * std;
        }
        return v;
    }

    interface Call {
        List<ScoredItem> run(int user);
    }

    /** Latency and CPU per call after a 2 s warm-up; users taken round-robin. */
    private static Single timed(double seconds, int users, Call call) {
        long warmEnd = System.nanoTime() + 2_000_000_000L;
        int u = 0;
        while (System.nanoTime() < warmEnd) {
            sink += call.run(u++ % users).size();
        }
        long[] lat = new long[1 << 17];
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
        long[] sorted = Arrays.copyOf(lat, n);
        Arrays.sort(sorted);
        return new Single(n, BenchSection.percentile(sorted, 0.5), BenchSection.percentile(sorted, 0.99), sorted[n - 1], cpuMs);
    }

    /** The same single request under JMH (SampleTime: every call timed, percentiles from JMH's histogram). */
    private static void jmh(BenchSection s, int items) throws org.openjdk.jmh.runner.RunnerException {
        System.err.println("bench scorer: JMH cross-check ...");
        var opts = new org.openjdk.jmh.runner.options.OptionsBuilder()
                .include("^" + TopKJmhBenchmark.class.getName().replace(".", "\\.") + "\\.")
                .param("items", Integer.toString(items))
                .forks(1).warmupIterations(2).warmupTime(org.openjdk.jmh.runner.options.TimeValue.seconds(1))
                .measurementIterations(5).measurementTime(org.openjdk.jmh.runner.options.TimeValue.seconds(1))
                .jvmArgs("--add-modules", "jdk.incubator.vector", "-Xmx1g")
                .shouldFailOnError(true).verbosity(org.openjdk.jmh.runner.options.VerboseMode.SILENT).build();
        s.heading("JMH cross-check (single top-10, dim 32)");
        s.text("`TopKJmhBenchmark`, JMH SampleTime mode (every call timed), one fork, 2 × 1 s warm-up, 5 × 1 s measured.");
        BenchSection.Table t = s.table("kernel", "samples", "mean µs", "p50 µs", "p99 µs", "p99.9 µs");
        for (var r : new org.openjdk.jmh.runner.Runner(opts).run()) {
            var st = r.getPrimaryResult().getStatistics();
            t.row(r.getParams().getParam("kernel"), BenchSection.count(st.getN()), BenchSection.fixed(st.getMean(), 1),
                    BenchSection.fixed(st.getPercentile(50), 1), BenchSection.fixed(st.getPercentile(99), 1),
                    BenchSection.fixed(st.getPercentile(99.9), 1));
        }
        t.end();
    }

    private static Single single(ItemIndex index, float[][] users, long[] seen, double seconds) {
        return timed(seconds, users.length, u -> index.topK(users[u], 1f, 0f, 10, seen));
    }

    /** Users scored per second of wall time in blocks of {@code batch}. */
    private static double batch(ItemIndex index, float[][] users, long[] seen, int batch, double seconds) {
        float[][] block = Arrays.copyOf(users, batch);
        float[] offsets = new float[batch];
        long[][] excluded = new long[batch][];
        Arrays.fill(excluded, seen);
        sink += index.topKBatch(block, 1f, offsets, 10, excluded).size();
        long done = 0;
        long t0 = System.nanoTime();
        long stop = t0 + (long) (seconds * 1e9);
        while (System.nanoTime() < stop) {
            sink += index.topKBatch(block, 1f, offsets, 10, excluded).size();
            done += batch;
        }
        return done / ((System.nanoTime() - t0) / 1e9);
    }

    private static String name(ScoringKernel k) {
        return k.getClass().getSimpleName().startsWith("Vector") ? "SIMD (jdk.incubator.vector)" : "scalar Java";
    }

    private static String ms(long nanos) {
        return BenchSection.fixed(nanos / 1e6, 3);
    }

    /** Seeded Gaussian factors of the scale the trainer produces; shared with {@link TopKJmhBenchmark}. */
    static float[] gaussian(Random rnd, int dim) {
        float[] v = new float[dim];
        for (int i = 0; i < dim; i++) {
            v[i] = (float) rnd.nextGaussian() * 0.3f;
        }
        return v;
    }

    private TopKBench() {
    }
}
