package io.streamrec.gpu;

import io.streamrec.model.kernel.GatheredBatch;
import io.streamrec.model.kernel.JavaMfKernel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RowSegmentsTest {

    @Test
    void groupsEventsByRowInEventOrder() {
        int[] rows = {2, 0, 2, 1, 0, 2};
        RowSegments s = new RowSegments().build(rows, rows.length, 4);
        assertThat(java.util.Arrays.copyOf(s.start(), 5)).containsExactly(0, 2, 3, 6, 6);
        assertThat(java.util.Arrays.copyOf(s.events(), 6)).containsExactly(1, 4, 3, 0, 2, 5);
    }

    @Test
    void reusedForASmallerBatchForgetsTheLargerOne() {
        RowSegments s = new RowSegments();
        s.build(new int[]{0, 1, 2, 3, 4, 5, 6, 7}, 8, 8);
        s.build(new int[]{1, 1}, 2, 3);
        assertThat(java.util.Arrays.copyOf(s.start(), 4)).containsExactly(0, 0, 2, 2);
        assertThat(java.util.Arrays.copyOf(s.events(), 2)).containsExactly(0, 1);
    }

    @Test
    void rejectsARowOutsideTheBatch() {
        assertThatThrownBy(() -> new RowSegments().build(new int[]{0, 3}, 2, 3)).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * The GPU's mf_row_grad, run here in Java over the same segments, gives the Java kernel's sums bit for bit: the
     * device is then asked to repeat exactly this arithmetic (no FMA contraction), which GpuParityTest checks on a GPU.
     */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 8, 33})
    void segmentedSumsEqualTheJavaKernelExactly(int dim) {
        int events = 3000;
        int users = 120;
        int items = 40;
        GatheredBatch g = SeededBatches.gathered(dim, events, users, items, 5 + dim);
        float[] dl = SeededBatches.dLoss(events, 6);
        new JavaMfKernel().backward(g, dl, 0.01f, 0.05f);
        int w = 1 + dim;
        float[] userSums = RowGradReference.rowGrad(g.userParams(), g.itemParams(), g.itemIndex(), new RowSegments().build(g.userIndex(), events, users),
                dl, users, w, 0.01f, 0.05f);
        float[] itemSums = RowGradReference.rowGrad(g.itemParams(), g.userParams(), g.userIndex(), new RowSegments().build(g.itemIndex(), events, items),
                dl, items, w, 0.01f, 0.05f);
        assertThat(userSums).containsExactly(java.util.Arrays.copyOf(g.userGrad(), users * w));
        assertThat(itemSums).containsExactly(java.util.Arrays.copyOf(g.itemGrad(), items * w));
    }
}
