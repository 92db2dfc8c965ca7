package io.streamrec.model;

import static io.streamrec.model.HyperParameterChecks.parse;
import static io.streamrec.model.HyperParameterChecks.requireNonNegative;
import static io.streamrec.model.HyperParameterChecks.requirePositive;
import static io.streamrec.model.HyperParameterChecks.requireRange;

import io.streamrec.common.config.ConfigException;
import io.streamrec.common.config.Settings;
import io.streamrec.common.event.RatingScale;
import io.streamrec.model.kernel.KernelKind;
import io.streamrec.model.optim.OptimizerKind;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Every hyperparameter of the DL+ learner ({@link DlPlusModel}), validated once. Over 300 lines because it has 20
 * settings, each validated, read from settings and written back, plus the copies tests and benchmarks use. Rows (bias + embedding) follow the
 * per-row optimizer like MF's rows; the dense network follows Adam (β1 0.9, β2 0.999, ε 1e-8: DL4J's defaults).
 *
 * <p>Defaults were chosen on ml-100k and ml-latest-small only, with the project's two protocols (prequential, one
 * pass in event order; holdout, seeded random 80/20 with 10 shuffled passes), one configuration per run of
 * {@code io.streamrec.model.tools.Tune}: see {@code docs/notes/model-experiments.md}, "DL+ (embedding MLP)", for the
 * grid and the figures. First round (whole-batch updates, where the ml-100k holdout decided because prequential
 * RMSE was set by the batch's staleness): one hidden layer of 32 with the p ⊙ q input, rows at AdaGrad 0.1 with
 * biases at 0.3 and MF-strength L2 0.08 on the embeddings. Second round, with the {@code sequential} update mode that
 * is now the default (prequential 1.025 → 0.949 on ml-100k): Adam 0.005 and dropout 0.3. Adam 0.01 (the first
 * round's choice) ends with every ReLU dead on the ml-100k holdout in this mode (the model falls back to the biases,
 * 0.946); 0.003 does not collapse but spreads 0.926–0.934 over seeds and loses on ml-latest-small (0.893–0.901);
 * 0.005 with dropout 0.3 held on both datasets and three seeds (ml-100k 0.927–0.929, ml-latest-small 0.880).
 * Batches of 256 amortise ND4J's per-op cost of the network step; with sequential rows the batch size barely
 * moves accuracy (1024: ml-100k holdout 0.9273 against 0.9257).
 *
 * <p>Settings: each value is read from {@code model.dlplus.<name>}, falling back to the generic {@code model.<name>}
 * key of the same meaning when that is set (so {@code --dim}, {@code --batch-size}, {@code --rating-scale} apply to
 * every family), then to the default here. A bad value fails naming the key and where it came from.
 *
 * @param dim               embedding dimension of user and item rows (the network's input is 2·dim)
 * @param hidden            widths of the hidden ReLU layers, first to last
 * @param product           also feed the element-wise product p_u ⊙ q_i to the network (NeuMF's GMF signal: the
 *                          input becomes [p_u, q_i, p_u ⊙ q_i], so the MLP can represent MF's dot product)
 * @param dropout           dropout probability after each hidden layer (0 = off)
 * @param denseLearningRate Adam step size of the network weights
 * @param l2Weights         L2 penalty on the network weights (not its biases)
 * @param rowOptimizer      update rule of the user and item rows
 * @param rowLearningRate   step size of the embeddings
 * @param biasLearningRate  step size of the user and item biases
 * @param l2Rows            L2 penalty on the embeddings, per rating that touches the row
 * @param l2Bias            L2 penalty on the biases, per rating that touches the row
 * @param initStd           standard deviation of the seeded normal initial embeddings
 * @param sigmoidRange      squash predictions into the rating scale with a scaled sigmoid (fastai's y_range)
 * @param ratingScale       the range predictions are clamped (or squashed) into
 * @param batchSize         a mini-batch closes after this many events...
 * @param batchTimeoutMs    ...or after this many milliseconds (the streaming trainer)
 * @param seed              seed of the initial rows, the network's initial weights and its dropout masks
 * @param beta1             row optimizer: momentum / Adam first-moment decay
 * @param beta2             row optimizer: RMSProp / Adam second-moment decay
 * @param epsilon           row optimizer: denominator guard of the adaptive rules
 * @param update            rows event by event inside the batch with the network stepped once per batch
 *                          ({@code sequential}, the default: prequential accuracy does not depend on the batch size),
 *                          or every event predicted and learned from the state before the batch ({@code batch})
 */
public record DlPlusHyperParameters(
        int dim,
        List<Integer> hidden,
        boolean product,
        float dropout,
        float denseLearningRate,
        float l2Weights,
        OptimizerKind rowOptimizer,
        float rowLearningRate,
        float biasLearningRate,
        float l2Rows,
        float l2Bias,
        float initStd,
        boolean sigmoidRange,
        RatingScale ratingScale,
        int batchSize,
        long batchTimeoutMs,
        long seed,
        float beta1,
        float beta2,
        float epsilon,
        UpdateMode update) {

    public static final int MAX_DIM = 1024;
    public static final int MAX_LAYERS = 8;
    public static final int MAX_WIDTH = 4096;

    public static final int DEFAULT_DIM = 32;
    /** As text, for flag help (annotation values must be constants). */
    public static final String DEFAULT_HIDDEN_TEXT = "32";
    public static final List<Integer> DEFAULT_HIDDEN = List.copyOf(parseHidden(DEFAULT_HIDDEN_TEXT));
    public static final boolean DEFAULT_PRODUCT = true;
    public static final float DEFAULT_DROPOUT = 0.3f;
    public static final float DEFAULT_DENSE_LEARNING_RATE = 0.005f;
    public static final float DEFAULT_L2_WEIGHTS = 1e-4f;
    public static final OptimizerKind DEFAULT_ROW_OPTIMIZER = OptimizerKind.ADAGRAD;
    public static final float DEFAULT_ROW_LEARNING_RATE = 0.1f;
    public static final float DEFAULT_BIAS_LEARNING_RATE = 0.3f;
    public static final float DEFAULT_L2_ROWS = 0.08f;
    public static final float DEFAULT_L2_BIAS = 0.01f;
    public static final float DEFAULT_INIT_STD = 0.05f;
    public static final boolean DEFAULT_SIGMOID_RANGE = false;
    public static final int DEFAULT_BATCH_SIZE = 256;
    public static final UpdateMode DEFAULT_UPDATE = UpdateMode.SEQUENTIAL;

    public DlPlusHyperParameters {
        Objects.requireNonNull(hidden, "hidden");
        Objects.requireNonNull(rowOptimizer, "rowOptimizer");
        Objects.requireNonNull(ratingScale, "ratingScale");
        Objects.requireNonNull(update, "update");
        hidden = List.copyOf(hidden);
        requireRange("dim", dim, 1, MAX_DIM);
        if (hidden.isEmpty() || hidden.size() > MAX_LAYERS) {
            throw new IllegalArgumentException("hidden must list 1 to " + MAX_LAYERS + " layer widths, got " + hidden);
        }
        for (int w : hidden) {
            requireRange("hidden layer width", w, 1, MAX_WIDTH);
        }
        if (!(dropout >= 0f && dropout < 1f)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        }
        requirePositive("denseLearningRate", denseLearningRate);
        requireNonNegative("l2Weights", l2Weights);
        requirePositive("rowLearningRate", rowLearningRate);
        requirePositive("biasLearningRate", biasLearningRate);
        requireNonNegative("l2Rows", l2Rows);
        requireNonNegative("l2Bias", l2Bias);
        requireNonNegative("initStd", initStd);
        requireRange("batchSize", batchSize, 1, MfHyperParameters.MAX_BATCH_SIZE);
        if (batchTimeoutMs < 1) {
            throw new IllegalArgumentException("batchTimeoutMs must be >= 1, got " + batchTimeoutMs);
        }
        if (!(beta1 >= 0f && beta1 < 1f) || !(beta2 >= 0f && beta2 < 1f)) {
            throw new IllegalArgumentException("beta1 and beta2 must be in [0, 1), got " + beta1 + ", " + beta2);
        }
        requirePositive("epsilon", epsilon);
    }

    public static DlPlusHyperParameters defaults() {
        return new DlPlusHyperParameters(DEFAULT_DIM, DEFAULT_HIDDEN, DEFAULT_PRODUCT, DEFAULT_DROPOUT, DEFAULT_DENSE_LEARNING_RATE,
                DEFAULT_L2_WEIGHTS, DEFAULT_ROW_OPTIMIZER, DEFAULT_ROW_LEARNING_RATE, DEFAULT_BIAS_LEARNING_RATE,
                DEFAULT_L2_ROWS, DEFAULT_L2_BIAS, DEFAULT_INIT_STD, DEFAULT_SIGMOID_RANGE,
                MfHyperParameters.DEFAULT_RATING_SCALE, DEFAULT_BATCH_SIZE, MfHyperParameters.DEFAULT_BATCH_TIMEOUT_MS,
                MfHyperParameters.DEFAULT_SEED, MfHyperParameters.DEFAULT_BETA1, MfHyperParameters.DEFAULT_BETA2,
                MfHyperParameters.DEFAULT_EPSILON, DEFAULT_UPDATE);
    }

    /** Reads {@code model.dlplus.*} (then the generic {@code model.*} keys, then the defaults); see the class doc. */
    public static DlPlusHyperParameters fromSettings(Settings s) {
        try {
            return new DlPlusHyperParameters(
                    s.getInt(key(s, Keys.DIM, MfHyperParameters.Keys.DIM), DEFAULT_DIM, 1, MAX_DIM),
                    parse(s, key(s, Keys.HIDDEN, null), DEFAULT_HIDDEN, DlPlusHyperParameters::parseHidden),
                    s.getBoolean(Keys.PRODUCT, DEFAULT_PRODUCT),
                    (float) s.getDouble(key(s, Keys.DROPOUT, null), DEFAULT_DROPOUT, 0.0, 0.95),
                    (float) s.getDouble(key(s, Keys.DENSE_LEARNING_RATE, null), DEFAULT_DENSE_LEARNING_RATE, Double.MIN_VALUE, 1.0),
                    (float) s.getDouble(key(s, Keys.L2_WEIGHTS, null), DEFAULT_L2_WEIGHTS, 0.0, 10.0),
                    parse(s, key(s, Keys.OPTIMIZER, MfHyperParameters.Keys.OPTIMIZER), DEFAULT_ROW_OPTIMIZER, OptimizerKind::parse),
                    (float) s.getDouble(key(s, Keys.LEARNING_RATE, MfHyperParameters.Keys.LEARNING_RATE), DEFAULT_ROW_LEARNING_RATE, Double.MIN_VALUE, 100.0),
                    (float) s.getDouble(key(s, Keys.BIAS_LEARNING_RATE, MfHyperParameters.Keys.BIAS_LEARNING_RATE), DEFAULT_BIAS_LEARNING_RATE, Double.MIN_VALUE, 100.0),
                    (float) s.getDouble(key(s, Keys.L2_ROWS, MfHyperParameters.Keys.L2_FACTORS), DEFAULT_L2_ROWS, 0.0, 100.0),
                    (float) s.getDouble(key(s, Keys.L2_BIAS, MfHyperParameters.Keys.L2_BIAS), DEFAULT_L2_BIAS, 0.0, 100.0),
                    (float) s.getDouble(key(s, Keys.INIT_STD, MfHyperParameters.Keys.INIT_STD), DEFAULT_INIT_STD, 0.0, 10.0),
                    s.getBoolean(key(s, Keys.SIGMOID_RANGE, MfHyperParameters.Keys.SIGMOID_RANGE), DEFAULT_SIGMOID_RANGE),
                    parse(s, key(s, Keys.RATING_SCALE, MfHyperParameters.Keys.RATING_SCALE), MfHyperParameters.DEFAULT_RATING_SCALE, RatingScale::parse),
                    s.getInt(key(s, Keys.BATCH_SIZE, MfHyperParameters.Keys.BATCH_SIZE), DEFAULT_BATCH_SIZE, 1, MfHyperParameters.MAX_BATCH_SIZE),
                    s.getLong(key(s, Keys.BATCH_TIMEOUT_MS, MfHyperParameters.Keys.BATCH_TIMEOUT_MS), MfHyperParameters.DEFAULT_BATCH_TIMEOUT_MS, 1, Long.MAX_VALUE),
                    s.getLong(key(s, Keys.SEED, MfHyperParameters.Keys.SEED), MfHyperParameters.DEFAULT_SEED, Long.MIN_VALUE, Long.MAX_VALUE),
                    (float) s.getDouble(key(s, Keys.BETA1, MfHyperParameters.Keys.BETA1), MfHyperParameters.DEFAULT_BETA1, 0.0, 0.999999),
                    (float) s.getDouble(key(s, Keys.BETA2, MfHyperParameters.Keys.BETA2), MfHyperParameters.DEFAULT_BETA2, 0.0, 0.999999),
                    (float) s.getDouble(key(s, Keys.EPSILON, MfHyperParameters.Keys.EPSILON), MfHyperParameters.DEFAULT_EPSILON, Double.MIN_VALUE, 1.0),
                    parse(s, key(s, Keys.UPDATE, MfHyperParameters.Keys.UPDATE), DEFAULT_UPDATE, UpdateMode::parse));
        } catch (IllegalArgumentException e) {
            if (e instanceof ConfigException) {
                throw e;
            }
            throw new ConfigException("invalid dlplus settings: " + e.getMessage(), e);
        }
    }

    /**
     * The row part as MF hyperparameters (whole-batch updates, Java kernel, no bias prior): what {@link RowLayout},
     * the per-row {@link io.streamrec.model.optim.Optimizer} and row-handling callers (batching) read.
     */
    public MfHyperParameters rowHyperParameters() {
        return new MfHyperParameters(dim, rowOptimizer, rowLearningRate, biasLearningRate, l2Rows, l2Bias, 0f, initStd,
                seed, sigmoidRange, ratingScale, batchSize, batchTimeoutMs, beta1, beta2, epsilon, KernelKind.JAVA,
                UpdateMode.BATCH);
    }

    /** "64,32". */
    public String hiddenText() {
        return hidden.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    public Map<String, String> toSettings() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(Keys.DIM, Integer.toString(dim));
        m.put(Keys.HIDDEN, hiddenText());
        m.put(Keys.PRODUCT, Boolean.toString(product));
        m.put(Keys.DROPOUT, Float.toString(dropout));
        m.put(Keys.DENSE_LEARNING_RATE, Float.toString(denseLearningRate));
        m.put(Keys.L2_WEIGHTS, Float.toString(l2Weights));
        m.put(Keys.OPTIMIZER, rowOptimizer.name().toLowerCase(Locale.ROOT));
        m.put(Keys.LEARNING_RATE, Float.toString(rowLearningRate));
        m.put(Keys.BIAS_LEARNING_RATE, Float.toString(biasLearningRate));
        m.put(Keys.L2_ROWS, Float.toString(l2Rows));
        m.put(Keys.L2_BIAS, Float.toString(l2Bias));
        m.put(Keys.INIT_STD, Float.toString(initStd));
        m.put(Keys.SIGMOID_RANGE, Boolean.toString(sigmoidRange));
        m.put(Keys.RATING_SCALE, ratingScale.toString());
        m.put(Keys.BATCH_SIZE, Integer.toString(batchSize));
        m.put(Keys.BATCH_TIMEOUT_MS, Long.toString(batchTimeoutMs));
        m.put(Keys.SEED, Long.toString(seed));
        m.put(Keys.BETA1, Float.toString(beta1));
        m.put(Keys.BETA2, Float.toString(beta2));
        m.put(Keys.EPSILON, Float.toString(epsilon));
        m.put(Keys.UPDATE, update.name().toLowerCase(Locale.ROOT));
        return m;
    }

    /** A copy with dropout changed (the gradient check turns it off). */
    public DlPlusHyperParameters withDropout(float newDropout) {
        return new DlPlusHyperParameters(dim, hidden, product, newDropout, denseLearningRate, l2Weights, rowOptimizer,
                rowLearningRate, biasLearningRate, l2Rows, l2Bias, initStd, sigmoidRange, ratingScale, batchSize,
                batchTimeoutMs, seed, beta1, beta2, epsilon, update);
    }

    /** A copy with another network shape. */
    public DlPlusHyperParameters withShape(int newDim, List<Integer> newHidden) {
        return new DlPlusHyperParameters(newDim, newHidden, product, dropout, denseLearningRate, l2Weights, rowOptimizer,
                rowLearningRate, biasLearningRate, l2Rows, l2Bias, initStd, sigmoidRange, ratingScale, batchSize,
                batchTimeoutMs, seed, beta1, beta2, epsilon, update);
    }

    public DlPlusHyperParameters withProduct(boolean on) {
        return new DlPlusHyperParameters(dim, hidden, on, dropout, denseLearningRate, l2Weights, rowOptimizer,
                rowLearningRate, biasLearningRate, l2Rows, l2Bias, initStd, sigmoidRange, ratingScale, batchSize,
                batchTimeoutMs, seed, beta1, beta2, epsilon, update);
    }

    /** Width of the network's input: [p, q] or [p, q, p ⊙ q]. */
    public int inputWidth() {
        return (product ? 3 : 2) * dim;
    }

    public DlPlusHyperParameters withSigmoidRange(boolean on) {
        return new DlPlusHyperParameters(dim, hidden, product, dropout, denseLearningRate, l2Weights, rowOptimizer,
                rowLearningRate, biasLearningRate, l2Rows, l2Bias, initStd, on, ratingScale, batchSize,
                batchTimeoutMs, seed, beta1, beta2, epsilon, update);
    }

    public DlPlusHyperParameters withUpdate(UpdateMode newUpdate) {
        return new DlPlusHyperParameters(dim, hidden, product, dropout, denseLearningRate, l2Weights, rowOptimizer,
                rowLearningRate, biasLearningRate, l2Rows, l2Bias, initStd, sigmoidRange, ratingScale, batchSize,
                batchTimeoutMs, seed, beta1, beta2, epsilon, newUpdate);
    }

    public DlPlusHyperParameters withBatchSize(int newBatchSize) {
        return new DlPlusHyperParameters(dim, hidden, product, dropout, denseLearningRate, l2Weights, rowOptimizer,
                rowLearningRate, biasLearningRate, l2Rows, l2Bias, initStd, sigmoidRange, ratingScale, newBatchSize,
                batchTimeoutMs, seed, beta1, beta2, epsilon, update);
    }

    /** "64,32" -> [64, 32]. */
    static List<Integer> parseHidden(String text) {
        List<Integer> out = new ArrayList<>();
        for (String part : text.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                throw new IllegalArgumentException("layer widths must be comma-separated integers like 64,32, got '" + text + "'");
            }
            int w;
            try {
                w = Integer.parseInt(p);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("layer widths must be comma-separated integers like 64,32, got '" + text + "'", e);
            }
            if (w < 1 || w > MAX_WIDTH) {
                throw new IllegalArgumentException("layer widths must be in [1, " + MAX_WIDTH + "], got " + w);
            }
            out.add(w);
        }
        if (out.size() > MAX_LAYERS) {
            throw new IllegalArgumentException("at most " + MAX_LAYERS + " hidden layers, got " + out.size());
        }
        return out;
    }

    /** Setting keys; flags are listed in the CLI's {@code ModelOptions}. */
    public static final class Keys {
        public static final String PREFIX = "model.dlplus.";
        public static final String DIM = PREFIX + "dim";
        public static final String HIDDEN = PREFIX + "hidden";
        public static final String PRODUCT = PREFIX + "product";
        public static final String DROPOUT = PREFIX + "dropout";
        public static final String DENSE_LEARNING_RATE = PREFIX + "dense-learning-rate";
        public static final String L2_WEIGHTS = PREFIX + "l2-weights";
        public static final String OPTIMIZER = PREFIX + "optimizer";
        public static final String LEARNING_RATE = PREFIX + "learning-rate";
        public static final String BIAS_LEARNING_RATE = PREFIX + "bias-learning-rate";
        public static final String L2_ROWS = PREFIX + "l2-rows";
        public static final String L2_BIAS = PREFIX + "l2-bias";
        public static final String INIT_STD = PREFIX + "init-std";
        public static final String SIGMOID_RANGE = PREFIX + "sigmoid-range";
        public static final String RATING_SCALE = PREFIX + "rating-scale";
        public static final String BATCH_SIZE = PREFIX + "batch-size";
        public static final String BATCH_TIMEOUT_MS = PREFIX + "batch-timeout-ms";
        public static final String SEED = PREFIX + "seed";
        public static final String BETA1 = PREFIX + "beta1";
        public static final String BETA2 = PREFIX + "beta2";
        public static final String EPSILON = PREFIX + "epsilon";
        public static final String UPDATE = PREFIX + "update";

        private Keys() {
        }
    }

    /** The DL+ key when set, else the generic key when set, else the DL+ key (whose absence selects the default). */
    private static String key(Settings s, String dlplusKey, String genericKey) {
        if (s.get(dlplusKey).isPresent() || genericKey == null) {
            return dlplusKey;
        }
        return s.get(genericKey).isPresent() ? genericKey : dlplusKey;
    }
}
