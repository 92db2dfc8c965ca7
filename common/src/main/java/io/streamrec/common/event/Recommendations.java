package io.streamrec.common.event;

import java.util.List;

/** Value of the {@code recommendations} topic: a user's top-K, best first, and the model version it came from. */
public record Recommendations(long user, long modelVersion, List<ScoredItem> items, long computedAtMs) {
    public Recommendations {
        items = List.copyOf(items);
    }
}
