package io.streamrec.model.nn;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * DL+'s loss as a DL4J loss function: ½(r̂ − r)² with r̂ = c + z (linear) or lo + span·σ(c + z) (sigmoid range),
 * where z is the network's output unit and c the event's offset (μ + b_u + b_i, or logit(μ) + b_u + b_i). The
 * offset is per event and outside the network, so labels carry it: labels are [B, 2] = (rating, offset).
 *
 * <p>The user and item biases need ∂loss/∂c = ∂loss/∂z per event, which DL4J does not return; so the most recent
 * {@link #computeGradient} result is kept for {@link #lastDelta()}. One instance per network, used by one thread.
 * The sums are per event, not averaged: DL4J's updater divides the weight gradients by the batch size itself.
 */
public final class OffsetSquaredLoss implements ILossFunction {

    private static final long serialVersionUID = 1L;

    private final boolean sigmoid;
    private final double lo;
    private final double span;
    private transient double[] lastDelta = new double[0];

    /** Linear output: r̂ = offset + z. */
    public static OffsetSquaredLoss linear() {
        return new OffsetSquaredLoss(false, 0, 1);
    }

    /** Sigmoid range: r̂ = lo + span·σ(offset + z). */
    public static OffsetSquaredLoss sigmoidRange(double lo, double span) {
        return new OffsetSquaredLoss(true, lo, span);
    }

    private OffsetSquaredLoss(boolean sigmoid, double lo, double span) {
        this.sigmoid = sigmoid;
        this.lo = lo;
        this.span = span;
    }

    /** ∂loss/∂z of every event of the last gradient computation (a copy). */
    public double[] lastDelta() {
        return lastDelta.clone();
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask, boolean average) {
        double[] s = scores(labels, preOutput, mask);
        double sum = 0;
        for (double v : s) {
            sum += v;
        }
        return average ? sum / Math.max(1, s.length) : sum;
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        double[] s = scores(labels, preOutput, mask);
        return Nd4j.create(s, new long[]{s.length, 1}, 'c').castTo(preOutput.dataType());
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        requireIdentity(activationFn);
        double[] l = flat(labels);
        double[] z = flat(preOutput);
        double[] m = mask == null ? null : flat(mask);
        double[] d = new double[z.length];
        for (int e = 0; e < z.length; e++) {
            double x = l[2 * e + 1] + z[e];
            if (sigmoid) {
                double s = 1.0 / (1.0 + Math.exp(-x));
                d[e] = (lo + span * s - l[2 * e]) * span * s * (1 - s);
            } else {
                d[e] = x - l[2 * e];
            }
            if (m != null) {
                d[e] *= m[e];
            }
        }
        lastDelta = d;
        return Nd4j.create(d, new long[]{d.length, 1}, 'c').castTo(preOutput.dataType());
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput, IActivation activationFn,
                                                          INDArray mask, boolean average) {
        return new Pair<>(computeScore(labels, preOutput, activationFn, mask, average),
                computeGradient(labels, preOutput, activationFn, mask));
    }

    private double[] scores(INDArray labels, INDArray preOutput, INDArray mask) {
        double[] l = flat(labels);
        double[] z = flat(preOutput);
        double[] m = mask == null ? null : flat(mask);
        double[] out = new double[z.length];
        for (int e = 0; e < z.length; e++) {
            double x = l[2 * e + 1] + z[e];
            double pred = sigmoid ? lo + span / (1.0 + Math.exp(-x)) : x;
            double err = pred - l[2 * e];
            out[e] = 0.5 * err * err * (m == null ? 1 : m[e]);
        }
        return out;
    }

    // One copy out of native memory, row-major (toDoubleMatrix copies row by row: one op per event, ms per batch).
    private static double[] flat(INDArray a) {
        return Nd4j.toFlattened('c', a).toDoubleVector();
    }

    private static void requireIdentity(IActivation activationFn) {
        if (!(activationFn instanceof ActivationIdentity)) {
            throw new IllegalStateException("OffsetSquaredLoss expects an identity output activation, got " + activationFn);
        }
    }

    @Override
    public String name() {
        return sigmoid ? "offset-squared-sigmoid" : "offset-squared";
    }

    @Override
    public String toString() {
        return "OffsetSquaredLoss(" + (sigmoid ? "sigmoid " + lo + "+" + span : "linear") + ")";
    }
}
