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

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Every hyperparameter of the online learner, validated once. The defaults are tuned for prequential accuracy on
 * explicit-rating streams in general (not on one dataset): see {@code docs/notes/model-experiments.md} for the measurements.
 *
 * @param dim              latent dimension k (0 gives the biases-only model)
 * @param optimizer        update rule applied once per touched row per mini-batch
 * @param learningRate     step size of the latent vectors
 * @param biasLearningRate step size of the biases
 * @param l2Factors        L2 penalty on the latent vectors, applied per rating that touches the row
 * @param l2Bias           L2 penalty on the biases, applied per rating that touches the row
 * @param biasPrior        when > 0, biases are not stepped by the optimizer but kept at the shrunk running mean of
 *                         their residuals: step 1/(n + biasPrior) for a row with n ratings (the online form of
 *                         Koren's regularized baseline); 0 hands biases to the optimizer like the vectors
 * @param initStd          standard deviation of the seeded normal initialization of the latent vectors
 * @param seed             seed of every random choice (initial rows are a pure function of seed, kind and id)
 * @param sigmoidRange     squash predictions into the rating scale with a scaled sigmoid (fastai's y_range)
 * @param ratingScale      the range predictions are clamped (or squashed) into
 * @param batchSize        a mini-batch closes after this many events...
 * @param batchTimeoutMs   ...or after this many milliseconds, whichever first (used by the streaming trainer)
 * @param beta1            momentum coefficient (MOMENTUM), first-moment decay (ADAM)
 * @param beta2            second-moment decay (RMSPROP, ADAM)
 * @param epsilon          denominator guard of the adaptive optimizers
 * @param kernel           compute kernel: plain Java (CPU fast path), ND4J, or GPU (CUDA 13, module gpu)
 * @param update           event-by-event inside the batch (CPU default) or whole-batch accumulated (ND4J / GPU)
 */
public record MfHyperParameters(
        int dim,
        OptimizerKind optimizer,
        float learningRate,
        float biasLearningRate,
        float l2Factors,
        float l2Bias,
        float biasPrior,
        float initStd,
        long seed,
        boolean sigmoidRange,
        RatingScale ratingScale,
        int batchSize,
        long batchTimeoutMs,
        float beta1,
        float beta2,
        float epsilon,
        KernelKind kernel,
        UpdateMode update) {

    public static final int MAX_DIM = 4096;
    public static final int MAX_BATCH_SIZE = 1 << 20;

    public static final int DEFAULT_DIM = 32;
    public static final OptimizerKind DEFAULT_OPTIMIZER = OptimizerKind.ADAGRAD;
    public static final float DEFAULT_LEARNING_RATE = 0.08f;
    public static final float DEFAULT_BIAS_LEARNING_RATE = 0.3f;
    public static final float DEFAULT_L2_FACTORS = 0.08f;
    public static final float DEFAULT_L2_BIAS = 0.01f;
    public static final float DEFAULT_BIAS_PRIOR = 0f;
    public static final float DEFAULT_INIT_STD = 0.02f;
    public static final long DEFAULT_SEED = 42L;
    public static final boolean DEFAULT_SIGMOID_RANGE = false;
    public static final RatingScale DEFAULT_RATING_SCALE = RatingScale.ZERO_TO_FIVE;
    public static final int DEFAULT_BATCH_SIZE = 256;
    public static final long DEFAULT_BATCH_TIMEOUT_MS = 100L;
    public static final float DEFAULT_BETA1 = 0.9f;
    public static final float DEFAULT_BETA2 = 0.999f;
    public static final float DEFAULT_EPSILON = 0.1f;
    public static final KernelKind DEFAULT_KERNEL = KernelKind.JAVA;
    public static final UpdateMode DEFAULT_UPDATE = UpdateMode.SEQUENTIAL;

    public MfHyperParameters {
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(ratingScale, "ratingScale");
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(update, "update");
        if (kernel.wholeBatchOnly() && update != UpdateMode.BATCH) {
            throw new IllegalArgumentException("the " + kernel.name().toLowerCase(java.util.Locale.ROOT)
                    + " kernel runs whole-batch updates: use update mode batch with it");
        }
        requireRange("dim", dim, 0, MAX_DIM);
        requirePositive("learningRate", learningRate);
        requirePositive("biasLearningRate", biasLearningRate);
        requireNonNegative("l2Factors", l2Factors);
        requireNonNegative("l2Bias", l2Bias);
        requireNonNegative("biasPrior", biasPrior);
        requireNonNegative("initStd", initStd);
        requireRange("batchSize", batchSize, 1, MAX_BATCH_SIZE);
        if (batchTimeoutMs < 1) {
            throw new IllegalArgumentException("batchTimeoutMs must be >= 1, got " + batchTimeoutMs);
        }
        if (!(beta1 >= 0f && beta1 < 1f)) {
            throw new IllegalArgumentException("beta1 must be in [0, 1), got " + beta1);
        }
        if (!(beta2 >= 0f && beta2 < 1f)) {
            throw new IllegalArgumentException("beta2 must be in [0, 1), got " + beta2);
        }
        requirePositive("epsilon", epsilon);
    }

    /** The tuned defaults. */
    public static MfHyperParameters defaults() {
        return new MfHyperParameters(DEFAULT_DIM, DEFAULT_OPTIMIZER, DEFAULT_LEARNING_RATE, DEFAULT_BIAS_LEARNING_RATE,
                DEFAULT_L2_FACTORS, DEFAULT_L2_BIAS, DEFAULT_BIAS_PRIOR, DEFAULT_INIT_STD, DEFAULT_SEED, DEFAULT_SIGMOID_RANGE,
                DEFAULT_RATING_SCALE, DEFAULT_BATCH_SIZE, DEFAULT_BATCH_TIMEOUT_MS, DEFAULT_BETA1, DEFAULT_BETA2,
                DEFAULT_EPSILON, DEFAULT_KERNEL, DEFAULT_UPDATE);
    }

    /**
     * Reads {@code model.*} keys (flags, properties file or {@code STREAMREC_MODEL_*} environment, as layered by
     * {@link Settings}); absent keys take the defaults. Bad values raise {@link ConfigException} naming the key and
     * where it came from.
     */
    public static MfHyperParameters fromSettings(Settings s) {
        try {
            return new MfHyperParameters(
                    s.getInt(Keys.DIM, DEFAULT_DIM, 0, MAX_DIM),
                    parse(s, Keys.OPTIMIZER, DEFAULT_OPTIMIZER, OptimizerKind::parse),
                    (float) s.getDouble(Keys.LEARNING_RATE, DEFAULT_LEARNING_RATE, Double.MIN_VALUE, 100.0),
                    (float) s.getDouble(Keys.BIAS_LEARNING_RATE, DEFAULT_BIAS_LEARNING_RATE, Double.MIN_VALUE, 100.0),
                    (float) s.getDouble(Keys.L2_FACTORS, DEFAULT_L2_FACTORS, 0.0, 100.0),
                    (float) s.getDouble(Keys.L2_BIAS, DEFAULT_L2_BIAS, 0.0, 100.0),
                    (float) s.getDouble(Keys.BIAS_PRIOR, DEFAULT_BIAS_PRIOR, 0.0, 1e6),
                    (float) s.getDouble(Keys.INIT_STD, DEFAULT_INIT_STD, 0.0, 10.0),
                    s.getLong(Keys.SEED, DEFAULT_SEED, Long.MIN_VALUE, Long.MAX_VALUE),
                    s.getBoolean(Keys.SIGMOID_RANGE, DEFAULT_SIGMOID_RANGE),
                    parse(s, Keys.RATING_SCALE, DEFAULT_RATING_SCALE, RatingScale::parse),
                    s.getInt(Keys.BATCH_SIZE, DEFAULT_BATCH_SIZE, 1, MAX_BATCH_SIZE),
                    s.getLong(Keys.BATCH_TIMEOUT_MS, DEFAULT_BATCH_TIMEOUT_MS, 1, Long.MAX_VALUE),
                    (float) s.getDouble(Keys.BETA1, DEFAULT_BETA1, 0.0, 0.999999),
                    (float) s.getDouble(Keys.BETA2, DEFAULT_BETA2, 0.0, 0.999999),
                    (float) s.getDouble(Keys.EPSILON, DEFAULT_EPSILON, Double.MIN_VALUE, 1.0),
                    kernel(s),
                    parse(s, Keys.UPDATE, kernel(s).wholeBatchOnly() ? UpdateMode.BATCH : DEFAULT_UPDATE, UpdateMode::parse));
        } catch (IllegalArgumentException e) {
            if (e instanceof ConfigException) {
                throw e;
            }
            throw new ConfigException("invalid model settings: " + e.getMessage(), e);
        }
    }

    /** The settings that reproduce this configuration (for reports and for handing it to another process). */
    public Map<String, String> toSettings() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(Keys.DIM, Integer.toString(dim));
        m.put(Keys.OPTIMIZER, optimizer.name().toLowerCase(java.util.Locale.ROOT));
        m.put(Keys.LEARNING_RATE, Float.toString(learningRate));
        m.put(Keys.BIAS_LEARNING_RATE, Float.toString(biasLearningRate));
        m.put(Keys.L2_FACTORS, Float.toString(l2Factors));
        m.put(Keys.L2_BIAS, Float.toString(l2Bias));
        m.put(Keys.BIAS_PRIOR, Float.toString(biasPrior));
        m.put(Keys.INIT_STD, Float.toString(initStd));
        m.put(Keys.SEED, Long.toString(seed));
        m.put(Keys.SIGMOID_RANGE, Boolean.toString(sigmoidRange));
        m.put(Keys.RATING_SCALE, ratingScale.toString());
        m.put(Keys.BATCH_SIZE, Integer.toString(batchSize));
        m.put(Keys.BATCH_TIMEOUT_MS, Long.toString(batchTimeoutMs));
        m.put(Keys.BETA1, Float.toString(beta1));
        m.put(Keys.BETA2, Float.toString(beta2));
        m.put(Keys.EPSILON, Float.toString(epsilon));
        m.put(Keys.KERNEL, kernel.name().toLowerCase(java.util.Locale.ROOT));
        m.put(Keys.UPDATE, update.name().toLowerCase(java.util.Locale.ROOT));
        return m;
    }

    /** A copy with another dimension (the biases-only baseline uses 0). */
    public MfHyperParameters withDim(int newDim) {
        return new MfHyperParameters(newDim, optimizer, learningRate, biasLearningRate, l2Factors, l2Bias, biasPrior, initStd, seed,
                sigmoidRange, ratingScale, batchSize, batchTimeoutMs, beta1, beta2, epsilon, kernel, update);
    }

    public MfHyperParameters withOptimizer(OptimizerKind newOptimizer) {
        return new MfHyperParameters(dim, newOptimizer, learningRate, biasLearningRate, l2Factors, l2Bias, biasPrior, initStd, seed,
                sigmoidRange, ratingScale, batchSize, batchTimeoutMs, beta1, beta2, epsilon, kernel, update);
    }

    /** A copy with another kernel; ND4J and GPU switch to whole-batch updates, which they require. */
    public MfHyperParameters withKernel(KernelKind newKernel) {
        return new MfHyperParameters(dim, optimizer, learningRate, biasLearningRate, l2Factors, l2Bias, biasPrior, initStd, seed,
                sigmoidRange, ratingScale, batchSize, batchTimeoutMs, beta1, beta2, epsilon, newKernel,
                newKernel.wholeBatchOnly() ? UpdateMode.BATCH : update);
    }

    public MfHyperParameters withUpdate(UpdateMode newUpdate) {
        return new MfHyperParameters(dim, optimizer, learningRate, biasLearningRate, l2Factors, l2Bias, biasPrior, initStd, seed,
                sigmoidRange, ratingScale, batchSize, batchTimeoutMs, beta1, beta2, epsilon, kernel, newUpdate);
    }

    public MfHyperParameters withBatchSize(int newBatchSize) {
        return new MfHyperParameters(dim, optimizer, learningRate, biasLearningRate, l2Factors, l2Bias, biasPrior, initStd, seed,
                sigmoidRange, ratingScale, newBatchSize, batchTimeoutMs, beta1, beta2, epsilon, kernel, update);
    }

    /** Setting keys, as used in properties files; flags are the same with dashes ({@code --model-dim}). */
    public static final class Keys {
        public static final String DIM = "model.dim";
        public static final String OPTIMIZER = "model.optimizer";
        public static final String LEARNING_RATE = "model.learning-rate";
        public static final String BIAS_LEARNING_RATE = "model.bias-learning-rate";
        public static final String L2_FACTORS = "model.l2-factors";
        public static final String L2_BIAS = "model.l2-bias";
        public static final String BIAS_PRIOR = "model.bias-prior";
        public static final String INIT_STD = "model.init-std";
        public static final String SEED = "model.seed";
        public static final String SIGMOID_RANGE = "model.sigmoid-range";
        public static final String RATING_SCALE = "model.rating-scale";
        public static final String BATCH_SIZE = "model.batch-size";
        public static final String BATCH_TIMEOUT_MS = "model.batch-timeout-ms";
        public static final String BETA1 = "model.beta1";
        public static final String BETA2 = "model.beta2";
        public static final String EPSILON = "model.epsilon";
        public static final String KERNEL = "model.kernel";
        public static final String UPDATE = "model.update";
        /** Not part of this record: which {@link ModelKind} to build (read by {@link OnlineModels#fromSettings}). */
        public static final String TYPE = "model.type";

        private Keys() {
        }
    }

    private static KernelKind kernel(Settings s) {
        return parse(s, Keys.KERNEL, DEFAULT_KERNEL, KernelKind::parse);
    }
}
