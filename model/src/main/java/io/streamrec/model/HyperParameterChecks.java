package io.streamrec.model;

import io.streamrec.common.config.ConfigException;
import io.streamrec.common.config.Settings;

import java.util.function.Function;

/**
 * The validation every family's hyperparameter record shares: reading a setting with an error that names the key and
 * where its value came from, and the range checks behind the records' constructors.
 */
final class HyperParameterChecks {

    private HyperParameterChecks() {
    }

    static <T> T parse(Settings s, String key, T defaultValue, Function<String, T> parser) {
        return s.get(key).map(v -> {
            try {
                return parser.apply(v);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(key + ": " + e.getMessage() + s.from(key), e);
            }
        }).orElse(defaultValue);
    }

    static void requireRange(String name, int v, int min, int max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "], got " + v);
        }
    }

    static void requirePositive(String name, float v) {
        if (!(v > 0f) || !Float.isFinite(v)) {
            throw new IllegalArgumentException(name + " must be a finite number > 0, got " + v);
        }
    }

    static void requireNonNegative(String name, float v) {
        if (!(v >= 0f) || !Float.isFinite(v)) {
            throw new IllegalArgumentException(name + " must be a finite number >= 0, got " + v);
        }
    }
}
