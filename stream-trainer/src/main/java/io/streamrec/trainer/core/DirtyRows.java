package io.streamrec.trainer.core;

import io.streamrec.common.event.FactorKey;
import io.streamrec.model.OnlineModel;
import io.streamrec.model.RowLayout;
import io.streamrec.model.RowTable;
import io.streamrec.trainer.io.FactorUpdate;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Rows changed since they were last emitted, coalesced: each user and item once however many batches touched it,
 * users with their newest row, items by id (their row is read from the table when emitted), in first-change order;
 * plus whether μ changed. Emitting per checkpoint instead of per batch is what keeps the {@code factors} topic small.
 */
final class DirtyRows {

    private record DirtyUser(float[] row, long eventTimeMs) {
    }

    private final LinkedHashMap<Long, DirtyUser> users = new LinkedHashMap<>();
    private final LinkedHashMap<Long, Long> items = new LinkedHashMap<>();
    private boolean global;
    private long globalEventTimeMs;

    void user(long id, float[] row, long eventTimeMs) {
        users.put(id, new DirtyUser(row, eventTimeMs));
    }

    void item(long id, long eventTimeMs) {
        items.put(id, eventTimeMs);
    }

    void global(long eventTimeMs) {
        global = true;
        globalEventTimeMs = eventTimeMs;
    }

    /** Distinct user and item rows pending. */
    int rows() {
        return users.size() + items.size();
    }

    /** Emits every pending user and item row at {@code version} and forgets them. */
    void drainRows(long version, RowTable itemTable, OnlineModel model, Consumer<FactorUpdate> out) {
        RowLayout layout = model.layout();
        for (Map.Entry<Long, DirtyUser> e : users.entrySet()) {
            DirtyUser d = e.getValue();
            // The family decides a user row's public form (MF-shaped, or U-AutoRec's rating history).
            out.accept(new FactorUpdate(FactorKey.user(e.getKey()), model.userFactorRow(d.row(), version, d.eventTimeMs())));
        }
        users.clear();
        for (Map.Entry<Long, Long> e : items.entrySet()) {
            out.accept(new FactorUpdate(FactorKey.item(e.getKey()), layout.toFactorRow(itemTable.get(e.getKey()), version, e.getValue())));
        }
        items.clear();
    }

    /** Whether μ changed since the last call (and forgets it). */
    boolean takeGlobal() {
        boolean was = global;
        global = false;
        return was;
    }

    long globalEventTimeMs() {
        return globalEventTimeMs;
    }
}
