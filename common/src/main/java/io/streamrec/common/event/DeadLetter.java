package io.streamrec.common.event;

import java.util.Arrays;
import java.util.Objects;

/**
 * A record that could not be used, kept with everything needed to find and replay it: the original bytes, why it
 * was refused, and where it came from.
 */
public record DeadLetter(RejectReason reason, String detail, String topic, int partition, long offset,
                         long timestampMs, byte[] original) {

    public DeadLetter {
        Objects.requireNonNull(reason, "reason");
        detail = detail == null ? "" : detail;
        original = original == null ? new byte[0] : original;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeadLetter d && d.reason == reason && d.detail.equals(detail)
                && Objects.equals(d.topic, topic) && d.partition == partition && d.offset == offset
                && d.timestampMs == timestampMs && Arrays.equals(d.original, original);
    }

    @Override
    public int hashCode() {
        return Objects.hash(reason, detail, topic, partition, offset, timestampMs) * 31 + Arrays.hashCode(original);
    }
}
