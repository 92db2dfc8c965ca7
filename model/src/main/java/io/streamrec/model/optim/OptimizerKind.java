package io.streamrec.model.optim;

import java.util.Locale;

/** The update rules a row's parameters can follow. Each keeps its own per-parameter state inside the row. */
public enum OptimizerKind {
    /** Plain stochastic gradient descent: no state. */
    SGD(0, false),
    /** Heavy-ball momentum: one velocity per parameter. */
    MOMENTUM(1, false),
    /** AdaGrad: one accumulated squared gradient per parameter. */
    ADAGRAD(1, false),
    /** RMSProp: one decaying mean squared gradient per parameter. */
    RMSPROP(1, false),
    /** Adam: first and second moments per parameter, plus the row's own step count for bias correction. */
    ADAM(2, true);

    private final int slotsPerParameter;
    private final boolean stepCounter;

    OptimizerKind(int slotsPerParameter, boolean stepCounter) {
        this.slotsPerParameter = slotsPerParameter;
        this.stepCounter = stepCounter;
    }

    /** How many floats of state this optimizer keeps per learnable parameter. */
    public int slotsPerParameter() {
        return slotsPerParameter;
    }

    /** Whether the row also stores a step counter (one extra float). */
    public boolean hasStepCounter() {
        return stepCounter;
    }

    public static OptimizerKind parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown optimizer '" + text + "', expected one of sgd, momentum, adagrad, rmsprop, adam", e);
        }
    }
}
