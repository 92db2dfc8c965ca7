package io.streamrec.gpu;

import io.streamrec.model.kernel.GatheredBatch;
import io.streamrec.model.kernel.JavaMfKernel;
import io.streamrec.model.kernel.MfKernel;

import java.io.PrintStream;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The device check's throughput figures, each beside the CPU Java kernel's from the same run: MF SGD updates/s at k=32
 * and k=128 (device-resident step; and the {@link MfKernel} path the trainer uses, with its per-batch transfers), and
 * the dense layer step's GFLOP/s. Sized to finish in about two minutes on an H200 plus its host CPU.
 */
public final class GpuBenchmark {

    private static final int USERS = 100_000;
    private static final int ITEMS = 20_000;
    private static final int EVENTS = 1 << 20;

    private final PrintStream out;
    private final CudaDevice device;

    public GpuBenchmark(CudaDevice device, PrintStream out) {
        this.device = device;
        this.out = out;
    }

    public void runAll() {
        try (CudaMfKernel gpu = new CudaMfKernel(CudaDevice.open(device.info().ordinal()))) {
            for (int dim : new int[]{32, 128}) {
                mfResident(gpu, dim);
                mfInterface(gpu, dim);
            }
        }
        dense();
    }

    /** Plain SGD over 2^20 events on 100,000 × 20,000 resident tables, against the same step on the CPU. */
    void mfResident(CudaMfKernel gpu, int dim) {
        int w = 1 + dim;
        float[] ut = SeededBatches.gaussian(USERS * w, 0.1f, 1);
        float[] it = SeededBatches.gaussian(ITEMS * w, 0.1f, 2);
        SplittableRandom rnd = new SplittableRandom(3);
        int[] ui = new int[EVENTS];
        int[] ii = new int[EVENTS];
        float[] r = new float[EVENTS];
        for (int e = 0; e < EVENTS; e++) {
            ui[e] = SeededBatches.skewed(rnd, USERS);
            ii[e] = SeededBatches.skewed(rnd, ITEMS);
            r[e] = 1 + rnd.nextInt(5);
        }
        double gpuRate;
        try (ResidentMfStep step = new ResidentMfStep(gpu, ut, USERS, it, ITEMS, w)) {
            step.loadBatch(ui, ii, r, EVENTS);
            for (int s = 0; s < 3; s++) {
                step.step(3.5f, 0.001f, 0.001f, 0.01f, 0.05f);
            }
            step.synchronize();
            int reps = 30;
            long t0 = System.nanoTime();
            for (int s = 0; s < reps; s++) {
                step.step(3.5f, 0.001f, 0.001f, 0.01f, 0.05f);
            }
            step.synchronize();
            gpuRate = (double) EVENTS * reps / ((System.nanoTime() - t0) / 1e9);
        }
        CpuMfStep cpu = new CpuMfStep(ut, USERS, it, ITEMS, w, ui, ii, r, EVENTS);
        cpu.step(3.5f, 0.001f, 0.001f, 0.01f, 0.05f);
        int reps = 3;
        long t0 = System.nanoTime();
        for (int s = 0; s < reps; s++) {
            cpu.step(3.5f, 0.001f, 0.001f, 0.01f, 0.05f);
        }
        double cpuRate = (double) EVENTS * reps / ((System.nanoTime() - t0) / 1e9);
        out.printf(Locale.ROOT, "bench mf-sgd resident k=%d: gpu %.1f M updates/s, cpu java %.1f M updates/s (1 thread), ratio %.1fx "
                + "(2^20 events per batch, %,d users x %,d items)%n", dim, gpuRate / 1e6, cpuRate / 1e6, gpuRate / cpuRate, USERS, ITEMS);
    }

    /** dots + backward through the MfKernel interface on the trainer's batch shape (4,096 events), transfers included. */
    void mfInterface(CudaMfKernel gpu, int dim) {
        int events = 4096;
        GatheredBatch g = SeededBatches.gathered(dim, events, 3000, 1500, 5);
        float[] dl = SeededBatches.dLoss(events, 6);
        float[] dots = new float[events];
        double gpuRate = rate(gpu, g, dl, dots, 200);
        double cpuRate = rate(new JavaMfKernel(), g, dl, dots, 200);
        out.printf(Locale.ROOT, "bench mf-kernel interface k=%d: gpu %.1f M events/s, cpu java %.1f M events/s, ratio %.2fx "
                + "(4,096-event gathered batches, host-device copies included)%n", dim, gpuRate / 1e6, cpuRate / 1e6, gpuRate / cpuRate);
    }

    private static double rate(MfKernel k, GatheredBatch g, float[] dl, float[] dots, int reps) {
        for (int s = 0; s < 20; s++) {
            g.reset(g.events(), g.users(), g.items());
            k.dots(g, dots);
            k.backward(g, dl, 0.01f, 0.05f);
        }
        long t0 = System.nanoTime();
        for (int s = 0; s < reps; s++) {
            g.reset(g.events(), g.users(), g.items());
            k.dots(g, dots);
            k.backward(g, dl, 0.01f, 0.05f);
        }
        return (double) g.events() * reps / ((System.nanoTime() - t0) / 1e9);
    }

    /** Forward + backward + Adam of one ReLU layer; 6·n·in·out FLOPs per step (the three GEMMs). */
    void dense() {
        int n = 4096;
        int in = 1024;
        int o = 1024;
        double gpuRate;
        try (CudaDenseLayer layer = new CudaDenseLayer(device, in, o, Activation.RELU)) {
            layer.setParameters(SeededBatches.gaussian(in * o, 0.04f, 1), SeededBatches.gaussian(o, 0.1f, 2));
            layer.loadBatch(SeededBatches.gaussian(n * in, 1f, 3), SeededBatches.gaussian(n * o, 0.1f, 4), n);
            for (int s = 0; s < 3; s++) {
                denseStep(layer, n);
            }
            layer.synchronize();
            int reps = 50;
            long t0 = System.nanoTime();
            for (int s = 0; s < reps; s++) {
                denseStep(layer, n);
            }
            layer.synchronize();
            gpuRate = 6.0 * n * in * o * reps / ((System.nanoTime() - t0) / 1e9);
        }
        int cn = 256;
        int ci = 512;
        int co = 512;
        JavaDenseLayer cpu = new JavaDenseLayer(ci, co, Activation.RELU);
        cpu.setParameters(SeededBatches.gaussian(ci * co, 0.06f, 1), SeededBatches.gaussian(co, 0.1f, 2));
        float[] x = SeededBatches.gaussian(cn * ci, 1f, 3);
        float[] dy = SeededBatches.gaussian(cn * co, 0.1f, 4);
        cpu.forward(x, cn);
        cpu.backward(dy);
        int reps = 3;
        long t0 = System.nanoTime();
        for (int s = 0; s < reps; s++) {
            cpu.forward(x, cn);
            cpu.backward(dy);
            cpu.adamStep(0.001f, 0.9f, 0.999f, 1e-8f);
        }
        double cpuRate = 6.0 * cn * ci * co * reps / ((System.nanoTime() - t0) / 1e9);
        out.printf(Locale.ROOT, "bench dense step: gpu %.1f GFLOP/s (n=%d, %dx%d, cuBLAS FP32), cpu java %.2f GFLOP/s (n=%d, %dx%d, "
                + "1 thread), ratio %.0fx%n", gpuRate / 1e9, n, in, o, cpuRate / 1e9, cn, ci, co, gpuRate / cpuRate);
    }

    private static void denseStep(CudaDenseLayer layer, int n) {
        layer.forwardResident(n);
        layer.backwardResident();
        layer.adamStep(0.001f, 0.9f, 0.999f, 1e-8f);
    }
}
