package io.streamrec.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The model families behind {@link OnlineModel}: biased MF, the two rating baselines it must beat, the DL+ MLP and the popularity ranking baseline. */
public enum ModelKind {
    /** Biased matrix factorization: μ + b_u + b_i + p_u·q_i. */
    MF,
    /** Biases only: μ + b_u + b_i (MF with dimension 0, same optimizer and regularization). */
    BASELINE,
    /** The running global mean μ. */
    MEAN,
    /** The "DL+" embedding MLP: μ + b_u + b_i + MLP([p_u, q_i]) (fastai's EmbeddingNN); see {@link DlPlusModel}. */
    DLPLUS,
    /** The ranking baseline: items by how often they were rated so far (optionally time-decayed); predicts μ. */
    POPULAR;

    /** The family's id as used in settings, flags, fingerprints and reports. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ModelKind parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown model '" + text + "', expected one of " + validNames(), e);
        }
    }

    /** "mf, baseline, mean, dlplus, popular": for error messages and help texts. */
    public static String validNames() {
        return Arrays.stream(values()).map(ModelKind::id).collect(Collectors.joining(", "));
    }
}
