package io.streamrec.model;

import io.streamrec.common.config.ConfigException;
import io.streamrec.common.config.Settings;
import io.streamrec.model.features.FeatureSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Every hyperparameter of the hybrid family ({@link HybridModel}): DL+'s (read exactly as for {@code dlplus}, from
 * {@code model.dlplus.*} and the generic {@code model.*} keys) plus the side features' shape and their AdaGrad step,
 * from {@code model.hybrid.*}. Defaults and the measurements behind them: docs/notes/model-experiments.md,
 * "Hybrid (side features)".
 *
 * @param dlplus              the network and the id rows, as DL+ (update mode sequential only)
 * @param features            buckets and the title encoder
 * @param featureLearningRate AdaGrad step size of the feature tables
 * @param l2Features          L2 on the feature-table rows an event touches
 * @param featureBiasLearningRate AdaGrad step size of the feature tables' bias column (what a cold item's rating
 *                            leans on most)
 */
public record HybridHyperParameters(DlPlusHyperParameters dlplus, FeatureSpec features, float featureLearningRate,
                                    float l2Features, float featureBiasLearningRate) {

    public static final float DEFAULT_FEATURE_LEARNING_RATE = 0.01f;
    public static final float DEFAULT_L2_FEATURES = 0.001f;
    public static final float DEFAULT_FEATURE_BIAS_LEARNING_RATE = 0.01f;

    public HybridHyperParameters {
        Objects.requireNonNull(dlplus, "dlplus");
        Objects.requireNonNull(features, "features");
        if (dlplus.update() != UpdateMode.SEQUENTIAL) {
            throw new IllegalArgumentException("hybrid steps its rows and feature tables event by event: update must be "
                    + "sequential, got " + dlplus.update().name().toLowerCase(java.util.Locale.ROOT));
        }
        if (!(featureLearningRate > 0f && featureLearningRate <= 100f)) {
            throw new IllegalArgumentException("featureLearningRate must be in (0, 100], got " + featureLearningRate);
        }
        if (!(featureBiasLearningRate > 0f && featureBiasLearningRate <= 100f)) {
            throw new IllegalArgumentException("featureBiasLearningRate must be in (0, 100], got " + featureBiasLearningRate);
        }
        if (!(l2Features >= 0f && l2Features <= 100f)) {
            throw new IllegalArgumentException("l2Features must be in [0, 100], got " + l2Features);
        }
    }

    public static HybridHyperParameters defaults() {
        return new HybridHyperParameters(DlPlusHyperParameters.defaults(), FeatureSpec.defaults(),
                DEFAULT_FEATURE_LEARNING_RATE, DEFAULT_L2_FEATURES, DEFAULT_FEATURE_BIAS_LEARNING_RATE);
    }

    public static HybridHyperParameters fromSettings(Settings s) {
        DlPlusHyperParameters d = DlPlusHyperParameters.fromSettings(s);
        try {
            FeatureSpec def = FeatureSpec.defaults();
            FeatureSpec spec = new FeatureSpec(
                    s.getInt(Keys.GENRE_BUCKETS, def.genreBuckets(), 1, FeatureSpec.MAX_BUCKETS),
                    s.getInt(Keys.WORD_BUCKETS, def.wordBuckets(), 1, FeatureSpec.MAX_BUCKETS),
                    s.getInt(Keys.OCCUPATION_BUCKETS, def.occupationBuckets(), 1, FeatureSpec.MAX_BUCKETS),
                    s.getInt(Keys.MAX_WORDS, def.maxWords(), 1, 256),
                    s.get(Keys.TEXT).map(FeatureSpec.TextEncoder::parse).orElse(def.text()),
                    s.getInt(Keys.WORD_DIM, def.wordDim(), 1, 1024),
                    s.getInt(Keys.FILTERS, def.filters(), 1, 1024),
                    s.get(Keys.WINDOWS).map(HybridHyperParameters::parseWindows).orElse(def.windows()));
            return new HybridHyperParameters(d, spec,
                    (float) s.getDouble(Keys.FEATURE_LEARNING_RATE, DEFAULT_FEATURE_LEARNING_RATE, Double.MIN_VALUE, 100.0),
                    (float) s.getDouble(Keys.L2_FEATURES, DEFAULT_L2_FEATURES, 0.0, 100.0),
                    (float) s.getDouble(Keys.FEATURE_BIAS_LEARNING_RATE, DEFAULT_FEATURE_BIAS_LEARNING_RATE, Double.MIN_VALUE, 100.0));
        } catch (IllegalArgumentException e) {
            if (e instanceof ConfigException) {
                throw e;
            }
            throw new ConfigException("invalid hybrid settings: " + e.getMessage(), e);
        }
    }

    private static List<Integer> parseWindows(String text) {
        List<Integer> out = new ArrayList<>();
        for (String p : text.split(",")) {
            try {
                out.add(Integer.parseInt(p.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("windows must be comma-separated integers like 2,3, got '" + text + "'", e);
            }
        }
        return out;
    }

    public Map<String, String> toSettings() {
        Map<String, String> m = new LinkedHashMap<>(dlplus.toSettings());
        m.put(Keys.TEXT, features.text().name().toLowerCase(java.util.Locale.ROOT));
        m.put(Keys.GENRE_BUCKETS, Integer.toString(features.genreBuckets()));
        m.put(Keys.WORD_BUCKETS, Integer.toString(features.wordBuckets()));
        m.put(Keys.OCCUPATION_BUCKETS, Integer.toString(features.occupationBuckets()));
        m.put(Keys.MAX_WORDS, Integer.toString(features.maxWords()));
        m.put(Keys.WORD_DIM, Integer.toString(features.wordDim()));
        m.put(Keys.FILTERS, Integer.toString(features.filters()));
        m.put(Keys.WINDOWS, features.windows().stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(",")));
        m.put(Keys.FEATURE_LEARNING_RATE, Float.toString(featureLearningRate));
        m.put(Keys.L2_FEATURES, Float.toString(l2Features));
        m.put(Keys.FEATURE_BIAS_LEARNING_RATE, Float.toString(featureBiasLearningRate));
        return m;
    }

    public HybridHyperParameters withDlPlus(DlPlusHyperParameters d) {
        return new HybridHyperParameters(d, features, featureLearningRate, l2Features, featureBiasLearningRate);
    }

    public HybridHyperParameters withFeatures(FeatureSpec f) {
        return new HybridHyperParameters(dlplus, f, featureLearningRate, l2Features, featureBiasLearningRate);
    }

    /** Setting keys ({@code model.hybrid.*}); the DL+ part is read with {@link DlPlusHyperParameters.Keys}. */
    public static final class Keys {
        public static final String PREFIX = "model.hybrid.";
        public static final String TEXT = PREFIX + "text";
        public static final String GENRE_BUCKETS = PREFIX + "genre-buckets";
        public static final String WORD_BUCKETS = PREFIX + "word-buckets";
        public static final String OCCUPATION_BUCKETS = PREFIX + "occupation-buckets";
        public static final String MAX_WORDS = PREFIX + "max-words";
        public static final String WORD_DIM = PREFIX + "word-dim";
        public static final String FILTERS = PREFIX + "filters";
        public static final String WINDOWS = PREFIX + "windows";
        public static final String FEATURE_LEARNING_RATE = PREFIX + "feature-learning-rate";
        public static final String L2_FEATURES = PREFIX + "l2-features";
        public static final String FEATURE_BIAS_LEARNING_RATE = PREFIX + "feature-bias-learning-rate";

        private Keys() {
        }
    }
}
