package io.streamrec.common.event;

import java.util.Objects;

/** Key of the compacted {@code factors} topic: a user row, an item row, or the global mean. */
public record FactorKey(FactorKind kind, long id) {

    public static final FactorKey GLOBAL = new FactorKey(FactorKind.GLOBAL, 0L);

    public FactorKey {
        Objects.requireNonNull(kind, "kind");
        if (kind == FactorKind.GLOBAL && id != 0L) {
            throw new IllegalArgumentException("the global factor key has id 0, got " + id);
        }
    }

    public static FactorKey user(long id) {
        return new FactorKey(FactorKind.USER, id);
    }

    public static FactorKey item(long id) {
        return new FactorKey(FactorKind.ITEM, id);
    }
}
