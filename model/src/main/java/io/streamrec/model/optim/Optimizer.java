package io.streamrec.model.optim;

import io.streamrec.model.MfHyperParameters;
import io.streamrec.model.RowLayout;

/**
 * Applies one update to one row from its gradient, summed over every event of the mini-batch that touched it.
 * Lazy by construction: rows a batch does not touch are not visited, and their state does not decay meanwhile.
 * The bias (parameter 0) steps with the bias learning rate, the vector with the factor learning rate.
 */
public final class Optimizer {

    private final OptimizerKind kind;
    private final int parameters;
    private final int slot0;
    private final int slot1;
    private final int step;
    private final float lrBias;
    private final float lr;
    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private final float biasPrior;
    private final int countOffset;

    public Optimizer(RowLayout layout, float learningRate, float biasLearningRate, float beta1, float beta2, float epsilon,
                     float biasPrior) {
        this.kind = layout.optimizer();
        this.parameters = layout.parameters();
        this.slot0 = kind.slotsPerParameter() > 0 ? layout.stateOffset(0) : -1;
        this.slot1 = kind.slotsPerParameter() > 1 ? layout.stateOffset(1) : -1;
        this.step = layout.stepOffset();
        this.lr = learningRate;
        this.lrBias = biasLearningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.biasPrior = biasPrior;
        this.countOffset = layout.countOffset();
    }

    public static Optimizer of(RowLayout layout, MfHyperParameters p) {
        return new Optimizer(layout, p.learningRate(), p.biasLearningRate(), p.beta1(), p.beta2(), p.epsilon(), p.biasPrior());
    }

    public OptimizerKind kind() {
        return kind;
    }

    /**
     * Updates {@code row}'s parameters (and state) from {@code grad[gradOffset .. gradOffset + parameters)}, the sum of
     * the gradients of the {@code events} ratings of the batch that touched the row, and adds them to its count.
     */
    public void apply(float[] row, float[] grad, int gradOffset, int events) {
        float bias = row[0];
        switch (kind) {
            case SGD -> sgd(row, grad, gradOffset);
            case MOMENTUM -> momentum(row, grad, gradOffset);
            case ADAGRAD -> adagrad(row, grad, gradOffset);
            case RMSPROP -> rmsprop(row, grad, gradOffset);
            case ADAM -> adam(row, grad, gradOffset);
            default -> throw new IllegalStateException("unhandled optimizer " + kind);
        }
        float n = row[countOffset] + events;
        if (biasPrior > 0f) {
            // Shrunk running mean of the residuals: the optimizer's bias step is replaced, its state left unused.
            row[0] = bias - grad[gradOffset] / (n + biasPrior);
        }
        row[countOffset] = n;
    }

    /**
     * One event's update of its user row and item row, given ∂loss/∂r̂ = {@code dLoss}: the gradients (L2 included)
     * are taken at the rows' current values, then both rows step. Plain SGD is fused into a single pass over the two
     * rows (no gradient buffers): it is the CPU fast path the throughput target is about.
     */
    public void applyEvent(float[] user, float[] item, float dLoss, float l2Bias, float l2Factors, float[] gradU, float[] gradI) {
        if (kind == OptimizerKind.SGD && biasPrior == 0f) {
            float bu = user[0];
            float bi = item[0];
            user[0] = bu - lrBias * (dLoss + l2Bias * bu);
            item[0] = bi - lrBias * (dLoss + l2Bias * bi);
            for (int p = 1; p < parameters; p++) {
                float pu = user[p];
                float qi = item[p];
                user[p] = pu - lr * (dLoss * qi + l2Factors * pu);
                item[p] = qi - lr * (dLoss * pu + l2Factors * qi);
            }
            user[countOffset] += 1f;
            item[countOffset] += 1f;
            return;
        }
        gradU[0] = dLoss + l2Bias * user[0];
        gradI[0] = dLoss + l2Bias * item[0];
        for (int p = 1; p < parameters; p++) {
            gradU[p] = dLoss * item[p] + l2Factors * user[p];
            gradI[p] = dLoss * user[p] + l2Factors * item[p];
        }
        apply(user, gradU, 0, 1);
        apply(item, gradI, 0, 1);
    }

    private float rate(int p) {
        return p == 0 ? lrBias : lr;
    }

    private void sgd(float[] row, float[] grad, int go) {
        row[0] -= lrBias * grad[go];
        for (int p = 1; p < parameters; p++) {
            row[p] -= lr * grad[go + p];
        }
    }

    private void momentum(float[] row, float[] grad, int go) {
        for (int p = 0; p < parameters; p++) {
            float v = beta1 * row[slot0 + p] + grad[go + p];
            row[slot0 + p] = v;
            row[p] -= rate(p) * v;
        }
    }

    private void adagrad(float[] row, float[] grad, int go) {
        for (int p = 0; p < parameters; p++) {
            float g = grad[go + p];
            float acc = row[slot0 + p] + g * g;
            row[slot0 + p] = acc;
            row[p] -= rate(p) * g / ((float) Math.sqrt(acc) + epsilon);
        }
    }

    private void rmsprop(float[] row, float[] grad, int go) {
        for (int p = 0; p < parameters; p++) {
            float g = grad[go + p];
            float s = beta2 * row[slot0 + p] + (1f - beta2) * g * g;
            row[slot0 + p] = s;
            row[p] -= rate(p) * g / ((float) Math.sqrt(s) + epsilon);
        }
    }

    private void adam(float[] row, float[] grad, int go) {
        float t = row[step] + 1f;
        row[step] = t;
        float c1 = 1f - (float) Math.pow(beta1, t);
        float c2 = 1f - (float) Math.pow(beta2, t);
        for (int p = 0; p < parameters; p++) {
            float g = grad[go + p];
            float m = beta1 * row[slot0 + p] + (1f - beta1) * g;
            float v = beta2 * row[slot1 + p] + (1f - beta2) * g * g;
            row[slot0 + p] = m;
            row[slot1 + p] = v;
            row[p] -= rate(p) * (m / c1) / ((float) Math.sqrt(v / c2) + epsilon);
        }
    }
}
