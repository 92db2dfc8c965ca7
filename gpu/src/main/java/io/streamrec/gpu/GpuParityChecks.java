package io.streamrec.gpu;

import io.streamrec.model.BiasedMf;
import io.streamrec.model.MfHyperParameters;
import io.streamrec.model.MiniBatch;
import io.streamrec.model.RowTable;
import io.streamrec.model.UpdateMode;
import io.streamrec.model.kernel.GatheredBatch;
import io.streamrec.model.kernel.JavaMfKernel;
import io.streamrec.model.kernel.KernelKind;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * The GPU-versus-Java parity checks, shared by the JUnit test (where a GPU is present) and the device-check bundle's
 * main (no JUnit on the device). Same seeded inputs through both; tolerances in {@link Tolerance}.
 */
public final class GpuParityChecks {

    private static final int[] DIMS = {0, 1, 8, 32, 33, 128};

    private GpuParityChecks() {
    }

    /** Every check; one that throws counts as failed with its exception as the detail. */
    public static List<CheckResult> runAll(CudaDevice device) {
        List<CheckResult> out = new ArrayList<>();
        try (CudaMfKernel gpu = new CudaMfKernel(retain(device))) {
            for (int dim : DIMS) {
                guarded(out, "mf kernel dim " + dim, () -> mfKernel(gpu, dim, 4096, 300, 150, 17L + dim));
            }
            guarded(out, "mf kernel one hot row", () -> mfKernel(gpu, 32, 5000, 1, 1, 3));
            guarded(out, "mf kernel deterministic", () -> mfDeterministic(gpu));
            guarded(out, "mf kernel accumulates", () -> mfAccumulates(gpu));
            for (int dim : new int[]{32, 128}) {
                guarded(out, "resident sgd step dim " + dim, () -> residentStep(gpu, dim));
            }
        }
        guarded(out, "BiasedMf batch mode, gpu vs java kernel", GpuParityChecks::biasedMf);
        for (Activation a : Activation.values()) {
            guarded(out, "dense layer " + a.name().toLowerCase(Locale.ROOT) + " 300x257->129",
                    () -> dense(device, a, 300, 257, 129));
        }
        guarded(out, "dense layer relu 64x48->32", () -> dense(device, Activation.RELU, 64, 48, 32));
        return out;
    }

    /** A second handle on the same device (the primary context is refcounted), so closing the kernel leaves it open. */
    private static CudaDevice retain(CudaDevice device) {
        return CudaDevice.open(device.info().ordinal());
    }

    private static void guarded(List<CheckResult> out, String name, Supplier<CheckResult> check) {
        try {
            CheckResult r = check.get();
            out.add(new CheckResult(name, r.passed(), r.detail()));
        } catch (RuntimeException e) {
            out.add(new CheckResult(name, false, e.toString()));
        }
    }

    static CheckResult mfKernel(CudaMfKernel gpu, int dim, int events, int users, int items, long seed) {
        GatheredBatch a = SeededBatches.gathered(dim, events, users, items, seed);
        GatheredBatch b = SeededBatches.gathered(dim, events, users, items, seed);
        float[] dl = SeededBatches.dLoss(events, seed + 1);
        float[] dotsJava = new float[events];
        float[] dotsGpu = new float[events];
        new JavaMfKernel().dots(a, dotsJava);
        new JavaMfKernel().backward(a, dl, 0.01f, 0.05f);
        gpu.dots(b, dotsGpu);
        gpu.backward(b, dl, 0.01f, 0.05f);
        int w = 1 + dim;
        double worst = Math.max(Tolerance.worst(dotsGpu, dotsJava, events),
                Math.max(Tolerance.worst(b.userGrad(), a.userGrad(), users * w), Tolerance.worst(b.itemGrad(), a.itemGrad(), items * w)));
        return new CheckResult("", worst <= Tolerance.MF, String.format(Locale.ROOT,
                "dots and gradients, worst error %.3g (bound %.0e), %d events on %d users x %d items", worst, Tolerance.MF, events, users, items));
    }

    static CheckResult mfDeterministic(CudaMfKernel gpu) {
        float[][] runs = new float[2][];
        for (int r = 0; r < 2; r++) {
            GatheredBatch g = SeededBatches.gathered(32, 8192, 500, 200, 99);
            gpu.dots(g, new float[8192]);
            gpu.backward(g, SeededBatches.dLoss(8192, 100), 0.01f, 0.05f);
            runs[r] = Arrays.copyOf(g.userGrad(), 500 * 33);
        }
        boolean same = Arrays.equals(runs[0], runs[1]);
        return new CheckResult("", same, same ? "two runs bitwise identical" : "two runs of one batch differ");
    }

    static CheckResult mfAccumulates(CudaMfKernel gpu) {
        GatheredBatch a = SeededBatches.gathered(16, 1000, 50, 40, 7);
        GatheredBatch b = SeededBatches.gathered(16, 1000, 50, 40, 7);
        float[] dl = SeededBatches.dLoss(1000, 8);
        JavaMfKernel java = new JavaMfKernel();
        for (int r = 0; r < 2; r++) {
            java.backward(a, dl, 0.01f, 0.05f);
            gpu.backward(b, dl, 0.01f, 0.05f);
        }
        return Tolerance.check("", b.userGrad(), a.userGrad(), 50 * 17, 1e-5);
    }

    static CheckResult residentStep(CudaMfKernel gpu, int dim) {
        int w = 1 + dim;
        int users = 2000;
        int items = 700;
        int n = 20000;
        float[] ut = SeededBatches.gaussian(users * w, 0.1f, 1);
        float[] it = SeededBatches.gaussian(items * w, 0.1f, 2);
        SplittableRandom rnd = new SplittableRandom(3);
        int[] ui = new int[n];
        int[] ii = new int[n];
        float[] r = new float[n];
        for (int e = 0; e < n; e++) {
            ui[e] = SeededBatches.skewed(rnd, users);
            ii[e] = SeededBatches.skewed(rnd, items);
            r[e] = 1 + rnd.nextInt(5);
        }
        CpuMfStep cpu = new CpuMfStep(ut, users, it, items, w, ui, ii, r, n);
        float[] gu = new float[users * w];
        float[] gi = new float[items * w];
        try (ResidentMfStep step = new ResidentMfStep(gpu, ut, users, it, items, w)) {
            step.loadBatch(ui, ii, r, n);
            for (int s = 0; s < 3; s++) {
                cpu.step(3.5f, 0.005f, 0.005f, 0.01f, 0.05f);
                step.step(3.5f, 0.005f, 0.005f, 0.01f, 0.05f);
            }
            step.downloadTables(gu, gi);
        }
        double worst = Math.max(Tolerance.worst(gu, cpu.userTable(), users * w), Tolerance.worst(gi, cpu.itemTable(), items * w));
        return new CheckResult("", worst <= 1e-5, String.format(Locale.ROOT,
                "tables after 3 steps, worst error %.3g (bound 1e-5)", worst));
    }

    static CheckResult biasedMf() {
        MfHyperParameters base = MfHyperParameters.defaults().withDim(32).withBatchSize(512);
        BiasedMf cpu = new BiasedMf(base.withKernel(KernelKind.JAVA).withUpdate(UpdateMode.BATCH));
        BiasedMf gpu = new BiasedMf(base.withKernel(KernelKind.GPU));
        RowTable ju = new RowTable();
        RowTable ji = new RowTable();
        RowTable gu = new RowTable();
        RowTable gi = new RowTable();
        SplittableRandom rnd = new SplittableRandom(42);
        double worst = 0;
        for (int batch = 0; batch < 6; batch++) {
            MiniBatch a = new MiniBatch(512);
            MiniBatch b = new MiniBatch(512);
            for (int e = 0; e < 512; e++) {
                long u = SeededBatches.skewed(rnd, 400);
                long i = SeededBatches.skewed(rnd, 150);
                float rating = 1 + rnd.nextInt(5);
                a.add(u, i, rating, batch * 1000L + e);
                b.add(u, i, rating, batch * 1000L + e);
            }
            cpu.process(a, ju, ji);
            gpu.process(b, gu, gi);
            for (int e = 0; e < 512; e++) {
                worst = Math.max(worst, Math.abs(a.prediction(e) - b.prediction(e)) / (1 + Math.abs(a.prediction(e))));
            }
        }
        for (long u = 0; u < 400; u++) {
            float[] x = ju.get(u);
            float[] y = gu.get(u);
            if ((x == null) != (y == null)) {
                return new CheckResult("", false, "user " + u + " exists on one side only");
            }
            if (x != null) {
                worst = Math.max(worst, Tolerance.worst(y, x, x.length));
            }
        }
        // BiasedMf has no close (OnlineModel is not AutoCloseable): its kernel's device buffers live until the JVM ends.
        return new CheckResult("", worst <= 1e-5, String.format(Locale.ROOT,
                "predictions and user rows over 6 batches of 512, worst error %.3g (bound 1e-5)", worst));
    }

    /**
     * Forward and backward from the same parameters on both sides (three rounds of fresh dyadic inputs, see {@link
     * SeededBatches#dyadic}), then Adam over three steps checked on the GPU's own gradients: comparing Adam through two
     * sets of GEMM-rounded gradients would turn a rounding difference near zero into a full ±lr step.
     */
    static CheckResult dense(CudaDevice device, Activation act, int n, int in, int out) {
        try (JavaDenseLayer cpu = new JavaDenseLayer(in, out, act); CudaDenseLayer gpu = new CudaDenseLayer(device, in, out, act)) {
            double worst = 0;
            for (int round = 0; round < 3; round++) {
                float[] w = SeededBatches.dyadic(in * out, 16, 16, 11 + round);
                float[] b = SeededBatches.dyadic(out, 16, 16, 21 + round);
                float[] x = SeededBatches.dyadic(n * in, 2, 1, 31 + round);
                float[] dy = SeededBatches.dyadic(n * out, 16, 16, 41 + round);
                cpu.setParameters(w, b);
                gpu.setParameters(w, b);
                worst = Math.max(worst, Tolerance.worst(gpu.forward(x, n), cpu.forward(x, n), n * out));
                worst = Math.max(worst, Tolerance.worst(gpu.backward(dy), cpu.backward(dy), n * in));
                worst = Math.max(worst, Tolerance.worst(gpu.weightGradient(), cpu.weightGradient(), in * out));
                worst = Math.max(worst, Tolerance.worst(gpu.biasGradient(), cpu.biasGradient(), out));
            }
            float[] x = SeededBatches.gaussian(n * in, 1f, 51);
            float[] dy = SeededBatches.gaussian(n * out, 0.1f, 52);
            gpu.setParameters(SeededBatches.gaussian(in * out, (float) Math.sqrt(2.0 / in), 53), SeededBatches.gaussian(out, 0.1f, 54));
            float[] mw = new float[in * out];
            float[] vw = new float[in * out];
            float[] mb = new float[out];
            float[] vb = new float[out];
            double worstAdam = 0;
            for (int step = 1; step <= 3; step++) {
                gpu.forward(x, n);
                gpu.backward(dy);
                float[] expectW = gpu.weights();
                float[] expectB = gpu.bias();
                float c1 = (float) (1 - Math.pow(0.9f, step));
                float c2 = (float) (1 - Math.pow(0.999f, step));
                JavaDenseLayer.adam(expectW, gpu.weightGradient(), mw, vw, 0.001f, 0.9f, 0.999f, 1e-8f, c1, c2);
                JavaDenseLayer.adam(expectB, gpu.biasGradient(), mb, vb, 0.001f, 0.9f, 0.999f, 1e-8f, c1, c2);
                gpu.adamStep(0.001f, 0.9f, 0.999f, 1e-8f);
                worstAdam = Math.max(worstAdam, Math.max(Tolerance.worst(gpu.weights(), expectW, in * out),
                        Tolerance.worst(gpu.bias(), expectB, out)));
            }
            boolean ok = worst <= Tolerance.DENSE && worstAdam <= Tolerance.MF;
            return new CheckResult("", ok, String.format(Locale.ROOT,
                    "forward/backward (y, dx, dW, db) worst error %.3g (bound %.0e); Adam over 3 steps worst %.3g (bound %.0e)",
                    worst, Tolerance.DENSE, worstAdam, Tolerance.MF));
        }
    }
}
