package io.streamrec.trainer.exchange;

import io.streamrec.common.event.FactorKind;
import io.streamrec.model.MfHyperParameters;
import io.streamrec.model.RowLayout;
import io.streamrec.model.RowTable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TrackedItemRowsTest {

    /** A row created, read back and changed again within one batch: the before-image is still the initial row. */
    @Test
    void aRowCreatedAndChangedAgainInOneBatchKeepsTheInitialRowAsItsBeforeImage() {
        RowLayout layout = RowLayout.of(MfHyperParameters.defaults().withDim(0));
        TrackedItemRows rows = new TrackedItemRows(new RowTable(), layout);
        rows.startBatch();
        assertThat(rows.get(7)).isNull();
        float[] row = layout.newRow(FactorKind.ITEM, 7);
        row[0] = 1f;
        rows.put(7, row);
        float[] again = rows.get(7);
        again[0] = 2f;
        rows.put(7, again);
        assertThat(rows.before(7)).isEqualTo(layout.newRow(FactorKind.ITEM, 7));
    }
}
