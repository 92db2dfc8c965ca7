package io.streamrec.model.dense;

import java.util.Objects;
import java.util.function.LongFunction;

/**
 * U-AutoRec's one implementation of scoring, in plain Java (the scorer depends on it without ND4J; the trainer's
 * predictions use it too, so both agree by construction): a user's code is
 * {@code a = sigmoid(b + Σ_{j rated} V_j (r_j − μ))} over the user's most recent ratings (unscaled, as in the paper:
 * scaling by 1/√n, as SVD++ does, measured 0.002 worse prequentially on ml-100k), and the predicted rating of
 * item i is {@code μ + o_u + c_i + W_i · a}, o_u the user's shrunk mean offset ({@link #userOffset}).
 *
 * <p>Item rows (as stored and as published) hold the decoder bias c_i at 0 and the vector [V_i | W_i] (encoder
 * column, then decoder row, {@code hidden} floats each) at 1..2·hidden. So a whole-catalogue scan is the existing
 * dot-product top-K: the query vector is [0 | a] ({@link #query}), the item's bias is c_i, the offset μ.
 *
 * <p>A user's history is a flat float vector ({@link UserHistory}): the user row the trainer keeps and publishes.
 * Tensor {@value #ENCODER_BIAS} [hidden] carries b. Immutable and thread-safe.
 */
public final class UAutoRecScorer {

    public static final String ENCODER_BIAS = "encoder.b";
    /** Pseudo-ratings at μ that shrink a user's offset ({@link #userOffset}). */
    public static final float OFFSET_PRIOR = 5f;

    private final String fingerprint;
    private final float[] encoderBias;

    public UAutoRecScorer(DenseParameters params) {
        Objects.requireNonNull(params, "params");
        if (!params.has(ENCODER_BIAS)) {
            throw new IllegalArgumentException("dense parameters '" + params.fingerprint() + "' hold no U-AutoRec encoder bias ("
                    + ENCODER_BIAS + ")");
        }
        this.fingerprint = params.fingerprint();
        this.encoderBias = params.tensor(ENCODER_BIAS).values();
    }

    public String fingerprint() {
        return fingerprint;
    }

    public int hidden() {
        return encoderBias.length;
    }

    /**
     * The user's code into {@code out} ({@link #hidden()} floats), from their history and the item rows it names.
     * Items whose row is missing (never learned, or not yet received) add nothing.
     *
     * @param items item id → row as {@code RowLayout} stores it (c_i at 0, [V_i | W_i] from 1), or null
     */
    public void code(float[] history, LongFunction<float[]> items, float mean, float[] out) {
        code(encoderBias, history, items, mean, out);
    }

    /** {@link #code} for a given encoder bias: the trainer's live parameters use the same arithmetic. */
    public static void code(float[] encoderBias, float[] history, LongFunction<float[]> items, float mean, float[] out) {
        int h = encoderBias.length;
        System.arraycopy(encoderBias, 0, out, 0, h);
        int n = UserHistory.size(history);
        for (int k = 0; k < n; k++) {
            float[] row = items.apply(UserHistory.item(history, k));
            if (row == null) {
                continue;
            }
            float x = UserHistory.rating(history, k) - mean;
            for (int j = 0; j < h; j++) {
                out[j] += row[1 + j] * x;
            }
        }
        for (int j = 0; j < h; j++) {
            out[j] = sigmoid(out[j]);
        }
    }

    /** μ + c_i + W_i · code, unclamped; {@code itemRow} as in {@link #code}. */
    public float score(float[] code, float[] itemRow, float mean) {
        return score(encoderBias.length, code, itemRow, mean);
    }

    /** {@link #score(float[], float[], float)} for a given code width. */
    public static float score(int h, float[] code, float[] itemRow, float mean) {
        double s = itemRow[0];
        for (int j = 0; j < h; j++) {
            s += itemRow[1 + h + j] * code[j];
        }
        return (float) (mean + s);
    }

    /** The query vector [0 | code] (2·hidden) whose dot with an item's published vector is W_i · code. */
    public float[] query(float[] code) {
        int h = encoderBias.length;
        float[] q = new float[2 * h];
        System.arraycopy(code, 0, q, h, h);
        return q;
    }

    /**
     * Cosine similarity of two items' decoder rows W (the part of the item that turns a user's code into that item's
     * score): what "similar items" and "also liked" rank by for this family.
     */
    public float similarity(float[] itemRowA, float[] itemRowB) {
        int h = encoderBias.length;
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int j = 0; j < h; j++) {
            float a = itemRowA[1 + h + j];
            float b = itemRowB[1 + h + j];
            dot += a * b;
            na += a * a;
            nb += b * b;
        }
        return na == 0 || nb == 0 ? 0f : (float) (dot / Math.sqrt(na * nb));
    }

    /**
     * The user's offset: their mean residual r_j − μ − c_j over the history (c_j the item's decoder bias, 0 for an
     * item without a row), shrunk towards 0 by {@value #OFFSET_PRIOR} pseudo-ratings. Not in the paper (its U-AutoRec
     * learns offsets through the code); here it carries what MF's user bias carries, which the code alone learned too
     * slowly online (measured: prequential ml-100k 1.01 without, against the biases-only baseline's 0.951).
     */
    public static float userOffset(float[] history, LongFunction<float[]> items, float mean) {
        int n = UserHistory.size(history);
        double sum = 0;
        for (int k = 0; k < n; k++) {
            float[] row = items.apply(UserHistory.item(history, k));
            sum += UserHistory.rating(history, k) - mean - (row == null ? 0f : row[0]);
        }
        return (float) (sum / (n + OFFSET_PRIOR));
    }

    public static float sigmoid(float z) {
        return (float) (1.0 / (1.0 + Math.exp(-z)));
    }
}
