package io.streamrec.common.event;

import java.util.Arrays;
import java.util.Objects;

/**
 * Value of the {@code factors} topic. For user and item rows: the bias and the latent vector. For the global
 * record ({@code FactorKey.GLOBAL}): {@code bias} holds the global mean μ and the vector says how predictions are
 * output, by its length:
 * <ul>
 *   <li>0 floats (older trainers, models without an output transform): nothing known; readers serve μ + x as is.</li>
 *   <li>5 floats, layout 1: {@code [scaleMin, scaleMax, sigmoid (1 or 0), clampMin, clampMax]}: the configured rating
 *       scale, whether predictions are squashed with a sigmoid range around μ, and the bounds predictions are clamped
 *       to (the scale, narrowed to the ratings seen so far). Written and read by
 *       {@link io.streamrec.common.model.RatingOutput}.</li>
 *   <li>any other length: an unknown layout; readers must not guess (the scorer counts and ignores it).</li>
 * </ul>
 * {@code eventTimeMs} is the event time of the newest rating that changed the row, so readers can measure freshness.
 */
public record FactorRow(long modelVersion, float bias, float[] vector, long eventTimeMs) {

    public FactorRow {
        Objects.requireNonNull(vector, "vector");
    }

    public int dim() {
        return vector.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FactorRow f && f.modelVersion == modelVersion && Float.compare(f.bias, bias) == 0
                && f.eventTimeMs == eventTimeMs && Arrays.equals(f.vector, vector);
    }

    @Override
    public int hashCode() {
        return Objects.hash(modelVersion, bias, eventTimeMs) * 31 + Arrays.hashCode(vector);
    }

    @Override
    public String toString() {
        return "FactorRow{v=" + modelVersion + ", bias=" + bias + ", dim=" + vector.length + ", ts=" + eventTimeMs + '}';
    }
}
