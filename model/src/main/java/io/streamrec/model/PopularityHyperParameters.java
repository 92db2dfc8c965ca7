package io.streamrec.model;

import io.streamrec.common.config.ConfigException;
import io.streamrec.common.config.Settings;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The settings of the popularity baseline ({@link PopularityModel}), validated once: the generic row settings
 * (batching, rating scale, seed; the dimension is always 0) and the half-life of its time decay.
 *
 * @param rows           batching, rating scale and row layout (dimension forced to 0: popularity is one number per item)
 * @param halfLifeHours  a rating's weight halves every this many hours of event time; 0 = no decay (plain counts)
 */
public record PopularityHyperParameters(MfHyperParameters rows, double halfLifeHours) {

    /** One century: longer half-lives are indistinguishable from no decay on any dataset we read. */
    public static final double MAX_HALF_LIFE_HOURS = 24.0 * 365 * 100;

    public PopularityHyperParameters {
        Objects.requireNonNull(rows, "rows");
        rows = rows.withDim(0);
        if (!(halfLifeHours >= 0) || halfLifeHours > MAX_HALF_LIFE_HOURS) {
            throw new IllegalArgumentException("halfLifeHours must be in [0, " + MAX_HALF_LIFE_HOURS
                    + "] (0 = no decay), got " + halfLifeHours);
        }
    }

    public static PopularityHyperParameters defaults() {
        return new PopularityHyperParameters(MfHyperParameters.defaults(), 0);
    }

    /** Whether ratings lose weight with age. */
    public boolean decays() {
        return halfLifeHours > 0;
    }

    /** {@code model.popular.half-life-hours} plus the generic {@code model.*} row settings. */
    public static PopularityHyperParameters fromSettings(Settings s) {
        MfHyperParameters rows = MfHyperParameters.fromSettings(s);
        try {
            return new PopularityHyperParameters(rows, s.getDouble(Keys.HALF_LIFE_HOURS, 0, 0, MAX_HALF_LIFE_HOURS));
        } catch (IllegalArgumentException e) {
            if (e instanceof ConfigException) {
                throw e;
            }
            throw new ConfigException(e.getMessage() + s.from(Keys.HALF_LIFE_HOURS), e);
        }
    }

    public Map<String, String> toSettings() {
        Map<String, String> m = new LinkedHashMap<>(rows.toSettings());
        m.put(Keys.HALF_LIFE_HOURS, Double.toString(halfLifeHours));
        return m;
    }

    /** The {@code model.popular.*} keys. */
    public static final class Keys {
        public static final String HALF_LIFE_HOURS = "model.popular.half-life-hours";

        private Keys() {
        }
    }
}
