package io.streamrec.model;

import static io.streamrec.model.HyperParameterChecks.parse;
import static io.streamrec.model.HyperParameterChecks.requireNonNegative;
import static io.streamrec.model.HyperParameterChecks.requirePositive;
import static io.streamrec.model.HyperParameterChecks.requireRange;

import io.streamrec.common.config.ConfigException;
import io.streamrec.common.config.Settings;
import io.streamrec.common.event.RatingScale;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Every hyperparameter of I-AutoRec ({@link IAutoRec}), validated once. Read from {@code model.i-autorec.<name>},
 * then the generic {@code model.<name>} key of the same meaning (seed, rating scale), then the defaults here. The
 * defaults come from the search on ml-100k and ml-latest-small recorded in {@code docs/notes/model-experiments.md},
 * "AutoRec".
 *
 * @param hidden       units of the sigmoid code layer (500 in the paper)
 * @param lambda       L2 strength λ of the objective Σ masked (r − r̂)² + λ/2 (‖W‖² + ‖V‖²)
 * @param learningRate Adam step size
 * @param epochs       passes over the items (each freshly shuffled)
 * @param batchSize    items per Adam step
 * @param seed         seed of the initial weights and the shuffles
 * @param ratingScale  predictions are clamped into it
 */
public record IAutoRecHyperParameters(int hidden, float lambda, float learningRate, int epochs, int batchSize, long seed,
                                      RatingScale ratingScale) {

    public static final int MAX_HIDDEN = 8192;
    public static final int DEFAULT_HIDDEN = 100;
    public static final float DEFAULT_LAMBDA = 100f;
    public static final float DEFAULT_LEARNING_RATE = 0.001f;
    public static final int DEFAULT_EPOCHS = 100;
    public static final int DEFAULT_BATCH_SIZE = 64;

    public IAutoRecHyperParameters {
        Objects.requireNonNull(ratingScale, "ratingScale");
        requireRange("hidden", hidden, 1, MAX_HIDDEN);
        requireNonNegative("lambda", lambda);
        requirePositive("learningRate", learningRate);
        requireRange("epochs", epochs, 1, 100_000);
        requireRange("batchSize", batchSize, 1, MfHyperParameters.MAX_BATCH_SIZE);
    }

    public static IAutoRecHyperParameters defaults() {
        return new IAutoRecHyperParameters(DEFAULT_HIDDEN, DEFAULT_LAMBDA, DEFAULT_LEARNING_RATE, DEFAULT_EPOCHS,
                DEFAULT_BATCH_SIZE, MfHyperParameters.DEFAULT_SEED, MfHyperParameters.DEFAULT_RATING_SCALE);
    }

    public static IAutoRecHyperParameters fromSettings(Settings s) {
        try {
            return new IAutoRecHyperParameters(
                    s.getInt(Keys.HIDDEN, DEFAULT_HIDDEN, 1, MAX_HIDDEN),
                    (float) s.getDouble(Keys.LAMBDA, DEFAULT_LAMBDA, 0.0, 1e6),
                    (float) s.getDouble(Keys.LEARNING_RATE, DEFAULT_LEARNING_RATE, Double.MIN_VALUE, 1.0),
                    s.getInt(Keys.EPOCHS, DEFAULT_EPOCHS, 1, 100_000),
                    s.getInt(Keys.BATCH_SIZE, DEFAULT_BATCH_SIZE, 1, MfHyperParameters.MAX_BATCH_SIZE),
                    s.getLong(key(s, Keys.SEED, MfHyperParameters.Keys.SEED), MfHyperParameters.DEFAULT_SEED, Long.MIN_VALUE, Long.MAX_VALUE),
                    parse(s, key(s, Keys.RATING_SCALE, MfHyperParameters.Keys.RATING_SCALE), MfHyperParameters.DEFAULT_RATING_SCALE, RatingScale::parse));
        } catch (IllegalArgumentException e) {
            if (e instanceof ConfigException) {
                throw e;
            }
            throw new ConfigException("invalid i-autorec settings: " + e.getMessage(), e);
        }
    }

    public Map<String, String> toSettings() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(Keys.HIDDEN, Integer.toString(hidden));
        m.put(Keys.LAMBDA, Float.toString(lambda));
        m.put(Keys.LEARNING_RATE, Float.toString(learningRate));
        m.put(Keys.EPOCHS, Integer.toString(epochs));
        m.put(Keys.BATCH_SIZE, Integer.toString(batchSize));
        m.put(Keys.SEED, Long.toString(seed));
        m.put(Keys.RATING_SCALE, ratingScale.toString());
        return m;
    }

    public IAutoRecHyperParameters withShape(int newHidden, int newEpochs) {
        return new IAutoRecHyperParameters(newHidden, lambda, learningRate, newEpochs, batchSize, seed, ratingScale);
    }

    /** Setting keys. */
    public static final class Keys {
        public static final String PREFIX = "model.i-autorec.";
        public static final String HIDDEN = PREFIX + "hidden";
        public static final String LAMBDA = PREFIX + "lambda";
        public static final String LEARNING_RATE = PREFIX + "learning-rate";
        public static final String EPOCHS = PREFIX + "epochs";
        public static final String BATCH_SIZE = PREFIX + "batch-size";
        public static final String SEED = PREFIX + "seed";
        public static final String RATING_SCALE = PREFIX + "rating-scale";

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
