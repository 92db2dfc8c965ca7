package io.streamrec.common.event;

import java.util.List;

/**
 * Value of the {@code recommendations} topic: a user's top-K, best first, the model version it came from, and the
 * family that ranked it ({@code model}: "mf", "dlplus", ...) with the optimizer steps of that family's dense weights
 * ({@code modelSteps}, 0 for families without them). Records written before the family was named read back with
 * {@code model} null and {@code modelSteps} 0.
 */
public record Recommendations(long user, long modelVersion, List<ScoredItem> items, long computedAtMs, String model,
                              Long modelSteps) {
    public Recommendations {
        items = List.copyOf(items);
        // Boxed only so that records without the field read back: absent means no dense weights.
        modelSteps = modelSteps == null ? 0L : modelSteps;
    }
}
