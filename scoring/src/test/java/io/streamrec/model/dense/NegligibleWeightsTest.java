package io.streamrec.model.dense;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Weights L2 shrank to almost nothing are read as 0, so scoring never multiplies in the CPU's subnormal slow path. */
class NegligibleWeightsTest {

    @Test
    void subnormalAndNegligibleWeightsBecomeZeroInACopy() {
        float[] w = {0.5f, 1e-39f, -3e-41f, 1e-31f, -2e-25f, 0f, Float.MIN_NORMAL};
        float[] out = DlPlusScorer.withoutSubnormals(w);
        assertArrayEquals(new float[]{0.5f, 0f, 0f, 0f, -2e-25f, 0f, 0f}, out);
        assertArrayEquals(new float[]{0.5f, 1e-39f, -3e-41f, 1e-31f, -2e-25f, 0f, Float.MIN_NORMAL}, w, "the input is not changed");
        float[] normal = {0.5f, -1e-3f};
        assertSame(normal, DlPlusScorer.withoutSubnormals(normal), "nothing to drop: no copy");
    }
}
