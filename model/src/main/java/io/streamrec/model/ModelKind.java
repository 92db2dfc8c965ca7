package io.streamrec.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The model families: biased MF, the two rating baselines it must beat, the DL+ MLP, the popularity ranking baseline
 * and AutoRec's two variants (U-AutoRec online behind {@link OnlineModel}, I-AutoRec trained offline as a
 * {@link io.streamrec.model.eval.BatchTrainedModel}).
 */
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
    POPULAR,
    /** U-AutoRec: r̂(u, i) = W_i·sigmoid(Σ_{j rated by u} V_j r_uj + b) + c_i, online; see {@link UAutoRecModel}. */
    U_AUTOREC,
    /** I-AutoRec: each item's rating vector reconstructed through a sigmoid code, trained offline; see {@link IAutoRec}. */
    I_AUTOREC,
    /** DL+ with side features (genres, year, title words; gender, age, occupation); see {@link HybridModel}. */
    HYBRID;

    /** The family's id as used in settings, flags, fingerprints and reports. */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static ModelKind parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown model '" + text + "', expected one of " + validNames(), e);
        }
    }

    /** "mf, baseline, mean, dlplus, popular, u-autorec, i-autorec, hybrid": for error messages and help texts. */
    public static String validNames() {
        return Arrays.stream(values()).map(ModelKind::id).collect(Collectors.joining(", "));
    }
}
