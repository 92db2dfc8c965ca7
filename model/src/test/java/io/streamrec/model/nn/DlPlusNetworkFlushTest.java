package io.streamrec.model.nn;

import io.streamrec.model.dense.RatingOutput;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link DlPlusNetwork#flushSubnormals} zeroes weights and Adam moments that decayed below 1e-30, and nothing else. */
class DlPlusNetworkFlushTest {

    @Test
    void subnormalWeightsAndMomentsBecomeZeroAndTheRestStays() {
        RatingOutput o = RatingOutput.of(3, 0, 0, 0, false, 0f, 5f);
        DlPlusNetwork n = new DlPlusNetwork(new DlPlusNetwork.Spec(4, true, List.of(5), 0.0, 1e-3, 1e-4, 3, false,
                o.squashLo(), o.squashSpan(), DataType.FLOAT), "test");
        // One step so the Adam state exists and is non-zero.
        float[] x = new float[2 * 12];
        for (int i = 0; i < x.length; i++) {
            x[i] = 0.1f * (i % 7) - 0.3f;
        }
        n.step(x, new float[]{4f, 2f}, new float[]{3f, 3f}, 2);
        INDArray params = n.network().params();
        params.putScalar(0, 1e-35f);
        params.putScalar(1, -2e-38f);
        params.putScalar(2, 0.25f);
        INDArray state = n.network().getUpdater().getStateViewArray();
        state.putScalar(0, 3e-36f);
        double kept = state.getDouble(1);
        n.flushSubnormals();
        assertThat(params.getFloat(0)).isZero();
        assertThat(params.getFloat(1)).isZero();
        assertThat(params.getFloat(2)).isEqualTo(0.25f);
        assertThat(state.getFloat(0)).isZero();
        assertThat(state.getDouble(1)).isEqualTo(kept);
    }
}
