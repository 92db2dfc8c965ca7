package io.streamrec.model.autorec;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.updaters.AdamUpdater;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.Objects;
import java.util.SplittableRandom;

/**
 * {@link AutoencoderKernel} as plain ND4J GEMMs with a hand-written masked backward and Adam: a DL4J layer stack
 * would need a custom masked loss and copies per batch for the same four GEMMs, and the masked loss is what the
 * GPU kernel will implement too. Forward [B × width] → sigmoid [B × hidden] → identity [B × width].
 *
 * <p>Weights start as seeded uniform(±√(6 / (fan-in + fan-out))) (Glorot), biases at 0. {@code dataType} DOUBLE
 * is for gradient checks.
 */
public final class Nd4jAutoencoderKernel implements AutoencoderKernel {

    /** Adam's settings, as in the paper's reproductions (β1 0.9, β2 0.999, ε 1e-8). */
    public record Adam(double learningRate, double beta1, double beta2, double epsilon) {
        public Adam {
            if (!(learningRate > 0) || !(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(epsilon > 0)) {
                throw new IllegalArgumentException("bad Adam settings: lr " + learningRate + ", beta1 " + beta1
                        + ", beta2 " + beta2 + ", epsilon " + epsilon);
            }
        }

        public static Adam of(double learningRate) {
            return new Adam(learningRate, 0.9, 0.999, 1e-8);
        }
    }

    private final int width;
    private final int hidden;
    private final double lambda;
    private final Adam adam;
    private final DataType type;
    private INDArray v;
    private INDArray b;
    private INDArray w;
    private INDArray c;
    private final INDArray[] m;
    private final INDArray[] s;
    private long steps;

    public Nd4jAutoencoderKernel(int width, int hidden, double lambda, Adam adam, long seed, DataType type) {
        if (width < 1 || hidden < 1) {
            throw new IllegalArgumentException("width and hidden must be >= 1, got " + width + ", " + hidden);
        }
        if (!(lambda >= 0) || !Double.isFinite(lambda)) {
            throw new IllegalArgumentException("lambda must be a finite number >= 0, got " + lambda);
        }
        this.width = width;
        this.hidden = hidden;
        this.lambda = lambda;
        this.adam = Objects.requireNonNull(adam, "adam");
        this.type = Objects.requireNonNull(type, "type");
        // Per-op thread hand-offs cost more than they gain on shared cores (measured 32 ms per 64-item step with one
        // thread against 380 ms with two under load); OMP_NUM_THREADS, when set, decides instead.
        if (System.getenv("OMP_NUM_THREADS") == null) {
            Nd4j.getEnvironment().setMaxThreads(1);
            Nd4j.getEnvironment().setMaxMasterThreads(1);
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        double limit = Math.sqrt(6.0 / (width + hidden));
        this.v = Nd4j.create(uniform(rnd, hidden * width, limit), new long[]{hidden, width}, 'c').castTo(type);
        this.w = Nd4j.create(uniform(rnd, width * hidden, limit), new long[]{width, hidden}, 'c').castTo(type);
        this.b = Nd4j.zeros(type, 1, hidden);
        this.c = Nd4j.zeros(type, 1, width);
        INDArray[] params = {v, b, w, c};
        this.m = new INDArray[4];
        this.s = new INDArray[4];
        for (int k = 0; k < 4; k++) {
            m[k] = Nd4j.zerosLike(params[k]);
            s[k] = Nd4j.zerosLike(params[k]);
        }
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public int hidden() {
        return hidden;
    }

    @Override
    public double step(float[] input, float[] mask, int rows, double regularizationShare) {
        Pass p = backward(input, mask, rows, regularizationShare);
        INDArray[] params = {v, b, w, c};
        INDArray[] grads = {p.dv, p.db, p.dw, p.dc};
        for (int k = 0; k < 4; k++) {
            // ND4J's fused Adam op (one native pass, in place: the gradient becomes the update); a chain of
            // element-wise ops costs 10× more on the 1M-parameter matrices. Iteration is 0-based in the op.
            INDArray g = grads[k].ordering() == 'c' ? grads[k] : grads[k].dup('c');
            Nd4j.exec(new AdamUpdater(g, s[k], m[k], adam.learningRate(), adam.beta1(), adam.beta2(), adam.epsilon(),
                    (int) Math.min(steps, Integer.MAX_VALUE)));
            params[k].subi(g);
        }
        steps++;
        return p.squaredError;
    }

    @Override
    public Gradients gradients(float[] input, float[] mask, int rows, double regularizationShare) {
        Pass p = backward(input, mask, rows, regularizationShare);
        return new Gradients(flatDouble(p.dv), flatDouble(p.db), flatDouble(p.dw), flatDouble(p.dc));
    }

    @Override
    public double loss(float[] input, float[] mask, int rows, double regularizationShare) {
        INDArray x = batch(input, rows);
        INDArray mk = batch(mask, rows);
        INDArray out = forward(x).out;
        double se = out.subi(x).muli(mk).norm2Number().doubleValue();
        return se * se + regularizationShare * lambda / 2 * (sq(v) + sq(w));
    }

    @Override
    public void reconstruct(float[] input, int rows, float[] out) {
        INDArray o = forward(batch(input, rows)).out;
        float[] flat = Nd4j.toFlattened('c', o.castTo(DataType.FLOAT)).toFloatVector();
        System.arraycopy(flat, 0, out, 0, rows * width);
    }

    @Override
    public Weights weights() {
        return new Weights(flat(v), flat(b), flat(w), flat(c));
    }

    @Override
    public void setWeights(Weights weights) {
        v = Nd4j.create(weights.encoder(), new long[]{hidden, width}, 'c').castTo(type);
        b = Nd4j.create(weights.encoderBias(), new long[]{1, hidden}, 'c').castTo(type);
        w = Nd4j.create(weights.decoder(), new long[]{width, hidden}, 'c').castTo(type);
        c = Nd4j.create(weights.decoderBias(), new long[]{1, width}, 'c').castTo(type);
    }

    private record Forward(INDArray code, INDArray out) {
    }

    private record Pass(INDArray dv, INDArray db, INDArray dw, INDArray dc, double squaredError) {
    }

    private Forward forward(INDArray x) {
        INDArray code = Transforms.sigmoid(x.mmul(v.transpose()).addiRowVector(b), false);
        INDArray out = code.mmul(w.transpose()).addiRowVector(c);
        return new Forward(code, out);
    }

    private Pass backward(float[] input, float[] mask, int rows, double share) {
        INDArray x = batch(input, rows);
        INDArray mk = batch(mask, rows);
        Forward f = forward(x);
        INDArray err = f.out.subi(x).muli(mk);
        double norm = err.norm2Number().doubleValue();
        INDArray dOut = err.muli(2.0);
        INDArray dw = dOut.transpose().mmul(f.code);
        INDArray dc = dOut.sum(true, 0);
        INDArray dCode = dOut.mmul(w);
        // σ' = σ (1 − σ): the code layer's own output gives the derivative.
        INDArray dz = dCode.muli(f.code.mul(f.code.rsub(1.0)));
        INDArray dv = dz.transpose().mmul(x);
        INDArray db = dz.sum(true, 0);
        if (lambda > 0) {
            dw.addi(w.mul(share * lambda));
            dv.addi(v.mul(share * lambda));
        }
        return new Pass(dv, db, dw, dc, norm * norm);
    }

    private INDArray batch(float[] values, int rows) {
        if (values.length < rows * width) {
            throw new IllegalArgumentException("batch of " + rows + " rows needs " + rows * width + " values, got " + values.length);
        }
        // The caller's arrays are sized for its largest batch; the last batch of an epoch uses a prefix.
        float[] exact = values.length == rows * width ? values : java.util.Arrays.copyOf(values, rows * width);
        INDArray a = Nd4j.create(exact, new long[]{rows, width}, 'c');
        return type == DataType.FLOAT ? a : a.castTo(type);
    }

    private static double sq(INDArray a) {
        double n = a.norm2Number().doubleValue();
        return n * n;
    }

    private static double[] flatDouble(INDArray a) {
        return Nd4j.toFlattened('c', a).castTo(DataType.DOUBLE).toDoubleVector();
    }

    private static float[] flat(INDArray a) {
        return Nd4j.toFlattened('c', a).castTo(DataType.FLOAT).toFloatVector();
    }

    private static float[] uniform(SplittableRandom rnd, int n, double limit) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) ((rnd.nextDouble() * 2 - 1) * limit);
        }
        return out;
    }
}
