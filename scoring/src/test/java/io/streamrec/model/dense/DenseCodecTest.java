package io.streamrec.model.dense;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The dense parameters' wire form: round trip, refusal of other versions and fingerprints, corruption, averaging. */
class DenseCodecTest {

    private static final String FP = "dlplus;dim=2;hidden=3;dense=adam;rows=adagrad;row-width=7;output=linear;format=1";

    private static DenseParameters sample(float shift) {
        return new DenseParameters(FP, 17, List.of(
                new DenseParameters.Tensor("dense0.W", new int[]{4, 3}, seq(12, shift)),
                new DenseParameters.Tensor("dense0.b", new int[]{3}, seq(3, shift)),
                new DenseParameters.Tensor("out.W", new int[]{3, 1}, seq(3, shift)),
                new DenseParameters.Tensor("out.b", new int[]{1}, new float[]{shift}),
                new DenseParameters.Tensor("optimizer.adam", new int[]{5}, seq(5, shift))));
    }

    private static float[] seq(int n, float shift) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = shift + 0.25f * i - 1f;
        }
        return v;
    }

    @Test
    void roundTripIsExact() {
        DenseParameters p = sample(0.5f);
        byte[] bytes = DenseCodec.encode(p);
        assertThat(bytes[0]).isEqualTo(DenseCodec.VERSION);
        DenseParameters back = DenseCodec.decode(bytes, FP);
        assertThat(back).isEqualTo(p);
        assertThat(back.steps()).isEqualTo(17);
        assertThat(back.tensor("dense0.W").shape()).containsExactly(4, 3);
        assertThat(DenseCodec.decode(bytes, null)).isEqualTo(p);
    }

    @Test
    void anotherFingerprintIsRefusedNamingBoth() {
        byte[] bytes = DenseCodec.encode(sample(0f));
        String other = FP.replace("rows=adagrad", "rows=rmsprop");
        assertThatThrownBy(() -> DenseCodec.decode(bytes, other))
                .isInstanceOf(DenseCodec.IncompatibleDenseParametersException.class)
                .hasMessageContaining(FP).hasMessageContaining(other);
    }

    @Test
    void anotherVersionIsRefusedNamingBoth() {
        byte[] bytes = DenseCodec.encode(sample(0f));
        bytes[0] = 7;
        assertThatThrownBy(() -> DenseCodec.decode(bytes, FP))
                .isInstanceOf(DenseCodec.IncompatibleDenseParametersException.class)
                .hasMessageContaining("version 7").hasMessageContaining("version " + DenseCodec.VERSION);
    }

    @Test
    void corruptedOrTruncatedPayloadsAreRefused() {
        byte[] bytes = DenseCodec.encode(sample(0f));
        for (int cut : new int[]{0, 1, 5, 20, bytes.length / 2, bytes.length - 1}) {
            byte[] truncated = Arrays.copyOf(bytes, cut);
            assertThatThrownBy(() -> DenseCodec.decode(truncated, FP)).isInstanceOf(IllegalArgumentException.class);
        }
        for (int pos = 1; pos < bytes.length; pos += 7) {
            byte[] flipped = bytes.clone();
            flipped[pos] ^= 0x10;
            assertThatThrownBy(() -> DenseCodec.decode(flipped, FP))
                    .as("bit flip at %d", pos).isInstanceOf(IllegalArgumentException.class);
        }
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 3);
        assertThatThrownBy(() -> DenseCodec.decode(longer, FP)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void averageIsTheElementwiseMean() {
        DenseParameters avg = DenseParameters.average(List.of(sample(0f), sample(1f), sample(2f)));
        assertThat(avg.tensor("dense0.W").values()).containsExactly(sample(1f).tensor("dense0.W").values());
        assertThat(avg.tensor("optimizer.adam").values()).containsExactly(sample(1f).tensor("optimizer.adam").values());
        assertThat(avg.fingerprint()).isEqualTo(FP);
        assertThat(DenseParameters.average(List.of(sample(3f)))).isEqualTo(sample(3f));
    }

    @Test
    void averageRefusesDifferentModels() {
        DenseParameters other = new DenseParameters(FP.replace("dim=2", "dim=4"), 1, sample(0f).tensors());
        assertThatThrownBy(() -> DenseParameters.average(List.of(sample(0f), other)))
                .hasMessageContaining("dim=2").hasMessageContaining("dim=4");
        DenseParameters fewer = new DenseParameters(FP, 1, sample(0f).tensors().subList(0, 2));
        assertThatThrownBy(() -> DenseParameters.average(List.of(sample(0f), fewer))).hasMessageContaining("different tensors");
        assertThatThrownBy(() -> DenseParameters.average(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void snapshotsAreImmutableAndWeightsOnlyDropsOptimizerState() {
        float[] v = {1f, 2f};
        DenseParameters.Tensor t = new DenseParameters.Tensor("x", new int[]{2}, v);
        v[0] = 9f;
        t.values()[1] = 9f;
        assertThat(t.values()).containsExactly(1f, 2f);
        assertThat(sample(0f).weightsOnly().has("optimizer.adam")).isFalse();
        assertThat(sample(0f).weightsOnly().has("dense0.W")).isTrue();
        assertThatThrownBy(() -> new DenseParameters.Tensor("x", new int[]{3}, v)).hasMessageContaining("needs 3 values");
    }
}
