package io.streamrec.trainer.io;

import io.streamrec.common.event.FactorKey;
import io.streamrec.common.event.FactorRow;

/** One record for the compacted {@code factors} topic: a changed user or item row, or the global mean. */
public record FactorUpdate(FactorKey key, FactorRow row) {
}
