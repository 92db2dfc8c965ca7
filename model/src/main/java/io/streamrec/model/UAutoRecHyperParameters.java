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
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Every hyperparameter of the online U-AutoRec learner ({@link UAutoRecModel}), validated once. Each value is read
 * from {@code model.u-autorec.<name>}, falling back to the generic {@code model.<name>} key of the same meaning when
 * that is set (optimizer, learning rate, seed, rating scale, batching), then to the default here. Defaults: see
 * {@code docs/notes/model-experiments.md}, "AutoRec".
 *
 * @param hidden           units of the sigmoid code layer
 * @param history          the most recent ratings of a user that make up their input (N)
 * @param reconstruct      also train on reconstructing the ratings already in the input (the paper's loss); off,
 *                         only the new rating, unseen by the encoder, is the target
 * @param optimizer        per-row update rule of the item rows (encoder column, decoder row, decoder bias)
 * @param learningRate     step size of the item vectors
 * @param biasLearningRate step size of the decoder biases
 * @param denseLearningRate Adam step size of the encoder bias b (a dense parameter)
 * @param lambda           L2 strength on V and W, per rating that touches them
 * @param initStd          standard deviation of the seeded normal initial V and W
 * @param ratingScale      predictions are clamped into it
 * @param batchSize        a mini-batch closes after this many events...
 * @param batchTimeoutMs   ...or after this many milliseconds (the streaming trainer)
 * @param seed             seed of the initial item rows
 * @param beta1            row optimizer: momentum / Adam first-moment decay
 * @param beta2            row optimizer: RMSProp / Adam second-moment decay
 * @param epsilon          row optimizer: denominator guard of the adaptive rules
 */
public record UAutoRecHyperParameters(int hidden, int history, boolean reconstruct, OptimizerKind optimizer,
                                      float learningRate, float biasLearningRate, float denseLearningRate, float lambda,
                                      float initStd, RatingScale ratingScale, int batchSize, long batchTimeoutMs,
                                      long seed, float beta1, float beta2, float epsilon) {

    public static final int MAX_HIDDEN = MfHyperParameters.MAX_DIM / 2;
    public static final int MAX_HISTORY = 10_000;
    public static final int DEFAULT_HIDDEN = 16;
    public static final int DEFAULT_HISTORY = 25;
    public static final boolean DEFAULT_RECONSTRUCT = false;
    public static final OptimizerKind DEFAULT_OPTIMIZER = OptimizerKind.ADAGRAD;
    public static final float DEFAULT_LEARNING_RATE = 0.02f;
    public static final float DEFAULT_BIAS_LEARNING_RATE = 0.1f;
    public static final float DEFAULT_DENSE_LEARNING_RATE = 0.001f;
    public static final float DEFAULT_LAMBDA = 0.02f;
    public static final float DEFAULT_INIT_STD = 0.05f;
    public static final int DEFAULT_BATCH_SIZE = 256;

    public UAutoRecHyperParameters {
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(ratingScale, "ratingScale");
        requireRange("hidden", hidden, 1, MAX_HIDDEN);
        requireRange("history", history, 1, MAX_HISTORY);
        requirePositive("learningRate", learningRate);
        requirePositive("biasLearningRate", biasLearningRate);
        requirePositive("denseLearningRate", denseLearningRate);
        requireNonNegative("lambda", lambda);
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

    public static UAutoRecHyperParameters defaults() {
        return new UAutoRecHyperParameters(DEFAULT_HIDDEN, DEFAULT_HISTORY, DEFAULT_RECONSTRUCT, DEFAULT_OPTIMIZER,
                DEFAULT_LEARNING_RATE, DEFAULT_BIAS_LEARNING_RATE, DEFAULT_DENSE_LEARNING_RATE, DEFAULT_LAMBDA,
                DEFAULT_INIT_STD, MfHyperParameters.DEFAULT_RATING_SCALE, DEFAULT_BATCH_SIZE,
                MfHyperParameters.DEFAULT_BATCH_TIMEOUT_MS, MfHyperParameters.DEFAULT_SEED, MfHyperParameters.DEFAULT_BETA1,
                MfHyperParameters.DEFAULT_BETA2, MfHyperParameters.DEFAULT_EPSILON);
    }

    /** Reads {@code model.u-autorec.*} (then the generic {@code model.*} keys, then the defaults); see the class doc. */
    public static UAutoRecHyperParameters fromSettings(Settings s) {
        try {
            return new UAutoRecHyperParameters(
                    s.getInt(Keys.HIDDEN, DEFAULT_HIDDEN, 1, MAX_HIDDEN),
                    s.getInt(Keys.HISTORY, DEFAULT_HISTORY, 1, MAX_HISTORY),
                    s.getBoolean(Keys.RECONSTRUCT, DEFAULT_RECONSTRUCT),
                    parse(s, key(s, Keys.OPTIMIZER, MfHyperParameters.Keys.OPTIMIZER), DEFAULT_OPTIMIZER, OptimizerKind::parse),
                    (float) s.getDouble(key(s, Keys.LEARNING_RATE, MfHyperParameters.Keys.LEARNING_RATE), DEFAULT_LEARNING_RATE, Double.MIN_VALUE, 100.0),
                    (float) s.getDouble(key(s, Keys.BIAS_LEARNING_RATE, MfHyperParameters.Keys.BIAS_LEARNING_RATE), DEFAULT_BIAS_LEARNING_RATE, Double.MIN_VALUE, 100.0),
                    (float) s.getDouble(Keys.DENSE_LEARNING_RATE, DEFAULT_DENSE_LEARNING_RATE, Double.MIN_VALUE, 1.0),
                    (float) s.getDouble(Keys.LAMBDA, DEFAULT_LAMBDA, 0.0, 100.0),
                    (float) s.getDouble(key(s, Keys.INIT_STD, MfHyperParameters.Keys.INIT_STD), DEFAULT_INIT_STD, 0.0, 10.0),
                    parse(s, key(s, Keys.RATING_SCALE, MfHyperParameters.Keys.RATING_SCALE), MfHyperParameters.DEFAULT_RATING_SCALE, RatingScale::parse),
                    s.getInt(key(s, Keys.BATCH_SIZE, MfHyperParameters.Keys.BATCH_SIZE), DEFAULT_BATCH_SIZE, 1, MfHyperParameters.MAX_BATCH_SIZE),
                    s.getLong(key(s, Keys.BATCH_TIMEOUT_MS, MfHyperParameters.Keys.BATCH_TIMEOUT_MS), MfHyperParameters.DEFAULT_BATCH_TIMEOUT_MS, 1, Long.MAX_VALUE),
                    s.getLong(key(s, Keys.SEED, MfHyperParameters.Keys.SEED), MfHyperParameters.DEFAULT_SEED, Long.MIN_VALUE, Long.MAX_VALUE),
                    (float) s.getDouble(key(s, Keys.BETA1, MfHyperParameters.Keys.BETA1), MfHyperParameters.DEFAULT_BETA1, 0.0, 0.999999),
                    (float) s.getDouble(key(s, Keys.BETA2, MfHyperParameters.Keys.BETA2), MfHyperParameters.DEFAULT_BETA2, 0.0, 0.999999),
                    (float) s.getDouble(key(s, Keys.EPSILON, MfHyperParameters.Keys.EPSILON), MfHyperParameters.DEFAULT_EPSILON, Double.MIN_VALUE, 1.0));
        } catch (IllegalArgumentException e) {
            if (e instanceof ConfigException) {
                throw e;
            }
            throw new ConfigException("invalid u-autorec settings: " + e.getMessage(), e);
        }
    }

    /**
     * The item-row part as MF hyperparameters: dimension 2·hidden (the row's vector is [V_i | W_i], its bias c_i),
     * whole-batch Java kernel, no bias prior. What {@link RowLayout}, the per-row optimizer and batching read.
     */
    public MfHyperParameters rowHyperParameters() {
        return new MfHyperParameters(2 * hidden, optimizer, learningRate, biasLearningRate, lambda, lambda, 0f, initStd,
                seed, false, ratingScale, batchSize, batchTimeoutMs, beta1, beta2, epsilon, KernelKind.JAVA,
                UpdateMode.BATCH);
    }

    public Map<String, String> toSettings() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(Keys.HIDDEN, Integer.toString(hidden));
        m.put(Keys.HISTORY, Integer.toString(history));
        m.put(Keys.RECONSTRUCT, Boolean.toString(reconstruct));
        m.put(Keys.OPTIMIZER, optimizer.name().toLowerCase(Locale.ROOT));
        m.put(Keys.LEARNING_RATE, Float.toString(learningRate));
        m.put(Keys.BIAS_LEARNING_RATE, Float.toString(biasLearningRate));
        m.put(Keys.DENSE_LEARNING_RATE, Float.toString(denseLearningRate));
        m.put(Keys.LAMBDA, Float.toString(lambda));
        m.put(Keys.INIT_STD, Float.toString(initStd));
        m.put(Keys.RATING_SCALE, ratingScale.toString());
        m.put(Keys.BATCH_SIZE, Integer.toString(batchSize));
        m.put(Keys.BATCH_TIMEOUT_MS, Long.toString(batchTimeoutMs));
        m.put(Keys.SEED, Long.toString(seed));
        m.put(Keys.BETA1, Float.toString(beta1));
        m.put(Keys.BETA2, Float.toString(beta2));
        m.put(Keys.EPSILON, Float.toString(epsilon));
        return m;
    }

    /** A copy with another shape (tests). */
    public UAutoRecHyperParameters withShape(int newHidden, int newHistory) {
        return new UAutoRecHyperParameters(newHidden, newHistory, reconstruct, optimizer, learningRate, biasLearningRate,
                denseLearningRate, lambda, initStd, ratingScale, batchSize, batchTimeoutMs, seed, beta1,
                beta2, epsilon);
    }

    public UAutoRecHyperParameters withBatchSize(int newBatchSize) {
        return new UAutoRecHyperParameters(hidden, history, reconstruct, optimizer, learningRate, biasLearningRate,
                denseLearningRate, lambda, initStd, ratingScale, newBatchSize, batchTimeoutMs, seed, beta1, beta2, epsilon);
    }

    public UAutoRecHyperParameters withReconstruct(boolean on) {
        return new UAutoRecHyperParameters(hidden, history, on, optimizer, learningRate, biasLearningRate,
                denseLearningRate, lambda, initStd, ratingScale, batchSize, batchTimeoutMs, seed, beta1, beta2, epsilon);
    }

    /** Setting keys; flags are listed in the CLI's {@code ModelOptions}. */
    public static final class Keys {
        public static final String PREFIX = "model.u-autorec.";
        public static final String HIDDEN = PREFIX + "hidden";
        public static final String HISTORY = PREFIX + "history";
        public static final String RECONSTRUCT = PREFIX + "reconstruct";
        public static final String OPTIMIZER = PREFIX + "optimizer";
        public static final String LEARNING_RATE = PREFIX + "learning-rate";
        public static final String BIAS_LEARNING_RATE = PREFIX + "bias-learning-rate";
        public static final String DENSE_LEARNING_RATE = PREFIX + "dense-learning-rate";
        public static final String LAMBDA = PREFIX + "lambda";
        public static final String INIT_STD = PREFIX + "init-std";
        public static final String RATING_SCALE = PREFIX + "rating-scale";
        public static final String BATCH_SIZE = PREFIX + "batch-size";
        public static final String BATCH_TIMEOUT_MS = PREFIX + "batch-timeout-ms";
        public static final String SEED = PREFIX + "seed";
        public static final String BETA1 = PREFIX + "beta1";
        public static final String BETA2 = PREFIX + "beta2";
        public static final String EPSILON = PREFIX + "epsilon";

        private Keys() {
        }
    }

    private static String key(Settings s, String own, String generic) {
        if (s.get(own).isPresent()) {
            return own;
        }
        return s.get(generic).isPresent() ? generic : own;
    }
}
