package io.streamrec.ingest;

import io.streamrec.common.event.RejectReason;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Rejected input lines counted by reason, with the first few kept as examples. */
public record RejectSummary(Map<RejectReason, Long> counts, List<Reject> samples) {

    public RejectSummary {
        EnumMap<RejectReason, Long> copy = new EnumMap<>(RejectReason.class);
        counts.forEach((k, v) -> {
            if (v != null && v > 0) {
                copy.put(k, v);
            }
        });
        counts = Collections.unmodifiableMap(copy);
        samples = List.copyOf(samples);
    }

    public static RejectSummary none() {
        return new RejectSummary(Map.of(), List.of());
    }

    public long total() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    public long count(RejectReason reason) {
        return counts.getOrDefault(reason, 0L);
    }

    /** "WRONG_FIELD_COUNT=2, BAD_ID=1", or "none". */
    public String describe() {
        if (counts.isEmpty()) {
            return "none";
        }
        return counts.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
    }
}
