package io.streamrec.trainer.exchange;

import io.streamrec.common.event.FactorKind;
import io.streamrec.model.RowLayout;
import io.streamrec.model.RowTable;
import io.streamrec.model.Rows;

import java.util.HashMap;

/**
 * The item table as the model sees it during one batch when exchanging: every row is remembered as it was when the
 * batch first read (or replaced) it, so the change the batch made can be published as {@code after − before}.
 */
final class TrackedItemRows implements Rows {

    private final RowTable items;
    private final RowLayout layout;
    private final HashMap<Long, float[]> before = new HashMap<>();

    TrackedItemRows(RowTable items, RowLayout layout) {
        this.items = items;
        this.layout = layout;
    }

    void startBatch() {
        before.clear();
    }

    /** The row as the batch found it; a fresh initial row for an item the batch created. */
    float[] before(long id) {
        float[] b = before.get(id);
        return b != null ? b : layout.newRow(FactorKind.ITEM, id);
    }

    @Override
    public float[] get(long id) {
        float[] row = items.get(id);
        if (row != null && !before.containsKey(id)) {
            before.put(id, row.clone());
        }
        return row;
    }

    @Override
    public void put(long id, float[] row) {
        if (!before.containsKey(id)) {
            // A row the batch creates was the initial row before it: remember that now, or a later get in the same
            // batch would take the already-changed row as the before-image and its delta would lose the first change.
            float[] old = items.get(id);
            before.put(id, old != null ? old.clone() : layout.newRow(FactorKind.ITEM, id));
        }
        items.put(id, row);
    }
}
