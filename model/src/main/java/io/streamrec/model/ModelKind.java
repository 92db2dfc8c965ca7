package io.streamrec.model;

import java.util.Locale;

/** The models behind {@link OnlineModel}: biased MF and the two baselines it must beat. */
public enum ModelKind {
    /** Biased matrix factorization: μ + b_u + b_i + p_u·q_i. */
    MF,
    /** Biases only: μ + b_u + b_i (MF with dimension 0, same optimizer and regularization). */
    BASELINE,
    /** The running global mean μ. */
    MEAN;

    public static ModelKind parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown model '" + text + "', expected mf, baseline or mean", e);
        }
    }
}
