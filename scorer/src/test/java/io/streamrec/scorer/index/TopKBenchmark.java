package io.streamrec.scorer.index;

import io.streamrec.common.event.FactorRow;
import io.streamrec.common.event.ScoredItem;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * In-process benchmark of the scoring kernel (not a test): single top-10 latency and batch recompute throughput over
 * a synthetic catalogue of MovieLens-25M size. Run with
 * {@code java -cp scorer/target/classes:scorer/target/test-classes:$(cat scorer/target/runtime-classpath.txt)
 * io.streamrec.scorer.index.TopKBenchmark [items] [dim] [seconds] [simd|scalar]}.
 */
public final class TopKBenchmark {

    public static void main(String[] args) {
        int items = args.length > 0 ? Integer.parseInt(args[0]) : 62_000;
        int dim = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        double seconds = args.length > 2 ? Double.parseDouble(args[2]) : 5;
        Random rnd = new Random(1);
        ScoringKernel kernel = args.length > 3 && args[3].equals("scalar") ? new ScalarKernel() : ScoringKernel.best();
        ItemIndex index = new ItemIndex(kernel);
        System.out.println("kernel " + index.kernelName());
        for (int i = 0; i < items; i++) {
            index.upsert(i, new FactorRow(1, (float) rnd.nextGaussian(), ItemIndexTest.gaussian(rnd, dim), 0));
        }
        long[] seen = rnd.longs(100, 0, items).toArray();
        float[][] users = new float[1024][];
        for (int i = 0; i < users.length; i++) {
            users[i] = ItemIndexTest.gaussian(rnd, dim);
        }
        // warm-up so C2 has compiled and vectorised the kernel
        long sink = 0;
        for (int i = 0; i < 2000; i++) {
            sink += index.topK(users[i % users.length], 1f, 0f, 10, seen).get(0).item();
        }
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long[] lat = new long[200_000];
        int n = 0;
        long cpu0 = mx.getCurrentThreadCpuTime();
        long end = System.nanoTime() + (long) (seconds * 1e9 / 2);
        while (System.nanoTime() < end && n < lat.length) {
            long t0 = System.nanoTime();
            List<ScoredItem> top = index.topK(users[n % users.length], 1f, 0f, 10, seen);
            lat[n++] = System.nanoTime() - t0;
            sink += top.get(0).item();
        }
        double cpuPerReq = (mx.getCurrentThreadCpuTime() - cpu0) / 1e6 / n;
        long[] sorted = Arrays.copyOf(lat, n);
        Arrays.sort(sorted);
        System.out.printf("single top-10 over %d items x %d dims: n=%d wall p50=%.3f ms p99=%.3f ms max=%.3f ms; "
                        + "CPU %.3f ms/request = %.0f requests per CPU-second%n",
                items, dim, n, sorted[n / 2] / 1e6, sorted[(int) (n * 0.99)] / 1e6, sorted[n - 1] / 1e6,
                cpuPerReq, 1000 / cpuPerReq);

        for (int batch : new int[]{1, 64, 256}) {
            float[][] bu = Arrays.copyOf(users, batch);
            float[] offsets = new float[batch];
            long[][] ex = new long[batch][];
            Arrays.fill(ex, seen);
            for (int i = 0; i < 3; i++) {
                sink += index.topKBatch(bu, 1f, offsets, 10, ex).size();
            }
            long users0 = 0;
            long c0 = mx.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            long stop = t0 + (long) (seconds * 1e9 / 6);
            while (System.nanoTime() < stop) {
                sink += index.topKBatch(bu, 1f, offsets, 10, ex).size();
                users0 += batch;
            }
            double el = (System.nanoTime() - t0) / 1e9;
            double cpu = (mx.getCurrentThreadCpuTime() - c0) / 1e9;
            System.out.printf("batch recompute (batch %d users): %.0f users/s wall, %.0f users per CPU-second (one thread)%n",
                    batch, users0 / el, users0 / cpu);
        }
        System.out.println("(sink " + sink + ")");
    }
}
