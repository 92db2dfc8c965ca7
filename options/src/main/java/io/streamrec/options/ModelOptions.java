package io.streamrec.options;

import io.streamrec.common.config.Settings;
import io.streamrec.model.DlPlusHyperParameters;
import io.streamrec.model.MfHyperParameters;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The learner's hyperparameters as picocli flags, for {@code @Mixin} in every command that runs the learner
 * ({@code evaluate}, {@code train}), so they accept the same flags. A flag only overrides what it sets: properties
 * files and {@code STREAMREC_MODEL_*} variables fill in the rest, then {@link MfHyperParameters}' defaults.
 * The generic flags (--dim, --optimizer, --learning-rate, --batch-size, ...) apply to every family; the DL+ network's
 * own flags map onto {@code model.dlplus.*} ({@link DlPlusHyperParameters}).
 */
public final class ModelOptions {

    @Option(names = "--dim", paramLabel = "K", description = "Latent dimension (default " + MfHyperParameters.DEFAULT_DIM + ").")
    Integer dim;

    @Option(names = "--optimizer", paramLabel = "NAME", description = "sgd, momentum, adagrad, rmsprop or adam (default adagrad).")
    String optimizer;

    @Option(names = "--learning-rate", paramLabel = "ETA", description = "Step size of the latent vectors (default " + MfHyperParameters.DEFAULT_LEARNING_RATE + ").")
    Double learningRate;

    @Option(names = "--bias-learning-rate", paramLabel = "ETA", description = "Step size of the biases (default " + MfHyperParameters.DEFAULT_BIAS_LEARNING_RATE + ").")
    Double biasLearningRate;

    @Option(names = "--l2-factors", paramLabel = "LAMBDA", description = "L2 penalty on the vectors (default " + MfHyperParameters.DEFAULT_L2_FACTORS + ").")
    Double l2Factors;

    @Option(names = "--l2-bias", paramLabel = "LAMBDA", description = "L2 penalty on the biases (default " + MfHyperParameters.DEFAULT_L2_BIAS + ").")
    Double l2Bias;

    @Option(names = "--bias-prior", paramLabel = "N", description = "Keep biases at the shrunk mean of their residuals with this prior count instead of stepping them (default 0 = off).")
    Double biasPrior;

    @Option(names = "--init-std", paramLabel = "STD", description = "Std of the seeded initial vectors (default " + MfHyperParameters.DEFAULT_INIT_STD + ").")
    Double initStd;

    @Option(names = "--model-seed", paramLabel = "SEED", description = "Seed of the initial rows (default " + MfHyperParameters.DEFAULT_SEED + ").")
    Long seed;

    @Option(names = "--sigmoid-range", paramLabel = "BOOL", arity = "0..1", fallbackValue = "true",
            description = "Squash predictions into the rating scale with a scaled sigmoid (default false).")
    Boolean sigmoidRange;

    @Option(names = "--rating-scale", paramLabel = "MIN:MAX[:STEP]", description = "Range predictions are clamped/squashed into (default 0:5).")
    String ratingScale;

    @Option(names = "--batch-size", paramLabel = "N", description = "Mini-batch size (default " + MfHyperParameters.DEFAULT_BATCH_SIZE + ").")
    Integer batchSize;

    @Option(names = "--batch-timeout-ms", paramLabel = "MS", description = "A streaming mini-batch closes after this long (default " + MfHyperParameters.DEFAULT_BATCH_TIMEOUT_MS + ").")
    Long batchTimeoutMs;

    @Option(names = "--beta1", paramLabel = "B", description = "Momentum / Adam first-moment decay (default " + MfHyperParameters.DEFAULT_BETA1 + ").")
    Double beta1;

    @Option(names = "--beta2", paramLabel = "B", description = "RMSProp / Adam second-moment decay (default " + MfHyperParameters.DEFAULT_BETA2 + ").")
    Double beta2;

    @Option(names = "--epsilon", paramLabel = "EPS", description = "Denominator guard of the adaptive optimizers (default " + MfHyperParameters.DEFAULT_EPSILON + ").")
    Double epsilon;

    @Option(names = {"--kernel", "--backend"}, paramLabel = "NAME", description = "java (CPU fast path, default), nd4j, or gpu (CUDA 13 kernels, module gpu; nd4j and gpu imply --update batch).")
    String kernel;

    @Option(names = "--update", paramLabel = "MODE", description = "sequential (default: event by event inside a batch) or batch (accumulated, one step per row per batch).")
    String update;

    @Option(names = "--hidden", paramLabel = "W1,W2,...", description = "DL+: hidden ReLU layer widths, e.g. 64,32 (default "
            + DlPlusHyperParameters.DEFAULT_HIDDEN_TEXT + ").")
    String hidden;

    @Option(names = "--product", paramLabel = "BOOL", arity = "0..1", fallbackValue = "true",
            description = "DL+: also feed p_u ⊙ q_i to the network (default " + DlPlusHyperParameters.DEFAULT_PRODUCT + ").")
    Boolean product;

    @Option(names = "--dropout", paramLabel = "P", description = "DL+: dropout after each hidden layer (default " + DlPlusHyperParameters.DEFAULT_DROPOUT + ").")
    Double dropout;

    @Option(names = "--dense-learning-rate", paramLabel = "ETA", description = "DL+: Adam step size of the network weights (default " + DlPlusHyperParameters.DEFAULT_DENSE_LEARNING_RATE + ").")
    Double denseLearningRate;

    @Option(names = "--l2-weights", paramLabel = "LAMBDA", description = "DL+: L2 penalty on the network weights (default " + DlPlusHyperParameters.DEFAULT_L2_WEIGHTS + ").")
    Double l2Weights;

    /** The flags given, as {@code model.*} settings. */
    public Map<String, String> flags() {
        Map<String, String> m = new LinkedHashMap<>();
        put(m, MfHyperParameters.Keys.DIM, dim);
        put(m, MfHyperParameters.Keys.OPTIMIZER, optimizer);
        put(m, MfHyperParameters.Keys.LEARNING_RATE, learningRate);
        put(m, MfHyperParameters.Keys.BIAS_LEARNING_RATE, biasLearningRate);
        put(m, MfHyperParameters.Keys.L2_FACTORS, l2Factors);
        put(m, MfHyperParameters.Keys.L2_BIAS, l2Bias);
        put(m, MfHyperParameters.Keys.BIAS_PRIOR, biasPrior);
        put(m, MfHyperParameters.Keys.INIT_STD, initStd);
        put(m, MfHyperParameters.Keys.SEED, seed);
        put(m, MfHyperParameters.Keys.SIGMOID_RANGE, sigmoidRange);
        put(m, MfHyperParameters.Keys.RATING_SCALE, ratingScale);
        put(m, MfHyperParameters.Keys.BATCH_SIZE, batchSize);
        put(m, MfHyperParameters.Keys.BATCH_TIMEOUT_MS, batchTimeoutMs);
        put(m, MfHyperParameters.Keys.BETA1, beta1);
        put(m, MfHyperParameters.Keys.BETA2, beta2);
        put(m, MfHyperParameters.Keys.EPSILON, epsilon);
        put(m, MfHyperParameters.Keys.KERNEL, kernel);
        put(m, MfHyperParameters.Keys.UPDATE, update);
        put(m, DlPlusHyperParameters.Keys.HIDDEN, hidden);
        put(m, DlPlusHyperParameters.Keys.PRODUCT, product);
        put(m, DlPlusHyperParameters.Keys.DROPOUT, dropout);
        put(m, DlPlusHyperParameters.Keys.DENSE_LEARNING_RATE, denseLearningRate);
        put(m, DlPlusHyperParameters.Keys.L2_WEIGHTS, l2Weights);
        return m;
    }

    /** {@code base} with these flags layered on top. */
    public Settings applyTo(Settings base) {
        return base.with(flags(), "command-line flag");
    }

    private static void put(Map<String, String> m, String key, Object value) {
        if (value != null) {
            m.put(key, value.toString());
        }
    }
}
