package io.streamrec.trainer.snapshot;

import io.streamrec.common.event.DriftState;
import io.streamrec.model.GlobalStats;
import io.streamrec.model.eval.PrequentialEvaluator;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrainerSnapshotTest {

    private static final GlobalStats GLOBAL = new GlobalStats(3.5, 100, 1f, 5f);

    @Test
    void roundTripsWithTheEvaluatorState() throws IOException {
        PrequentialEvaluator.State e = new PrequentialEvaluator.State(100, 3, 81.5, 70.25, 1_000L, new double[]{0.25, 1.0},
                new double[]{0.5, 1.0}, DriftState.DRIFT, 2, 0.61, 40, new double[]{Double.NaN, 0.7, 0.65, 0.6},
                new double[]{50, 0.7, 12.5, -3.0});
        TrainerSnapshot s = new TrainerSnapshot(1, "run/0/1", 7, 100, 13, GLOBAL, new long[]{5, 9},
                new float[][]{{0.1f, 0.2f}, {0.3f, 0.4f}}, e);

        TrainerSnapshot back = TrainerSnapshot.decode(s.encode());

        assertThat(back.trained()).isEqualTo(100);
        assertThat(back.itemRows()[1]).containsExactly(0.3f, 0.4f);
        assertThat(back.evaluator()).usingRecursiveComparison().withComparatorForType(Double::compare, Double.class).isEqualTo(e);
    }

    @Test
    void versionThreeCarriesTheFingerprintAndTheDenseParameters() throws IOException {
        byte[] dense = {1, 2, 3, 4, 5};
        TrainerSnapshot s = new TrainerSnapshot(0, "run/0/0", 1, 2, 3, GLOBAL, new long[0], new float[0][], null,
                "dlplus;dim=8", dense);
        TrainerSnapshot back = TrainerSnapshot.decode(s.encode());
        assertThat(back.fingerprint()).isEqualTo("dlplus;dim=8");
        assertThat(back.dense()).containsExactly(dense);
        TrainerSnapshot none = TrainerSnapshot.decode(new TrainerSnapshot(0, "o", 0, 0, 0, GLOBAL, new long[0], new float[0][], null).encode());
        assertThat(none.fingerprint()).isNull();
        assertThat(none.dense()).isEmpty();
    }

    @Test
    void readsVersionOneSnapshotsWithoutAnEvaluator() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(1);
            out.writeInt(0);
            out.writeUTF("run/0/0");
            out.writeLong(-1);
            out.writeLong(42);
            out.writeLong(6);
            out.writeDouble(3.5);
            out.writeLong(42);
            out.writeFloat(1f);
            out.writeFloat(5f);
            out.writeInt(1);
            out.writeLong(77);
            out.writeInt(2);
            out.writeFloat(0.5f);
            out.writeFloat(-0.5f);
        }
        TrainerSnapshot s = TrainerSnapshot.decode(bytes.toByteArray());
        assertThat(s.trained()).isEqualTo(42);
        assertThat(s.itemIds()).containsExactly(77);
        assertThat(s.evaluator()).isNull();
    }

    @Test
    void writesTheVersionThreeLayoutByteForByte() throws IOException {
        // The item table is filled in one buffer now, not float by float through the stream: the bytes must be those
        // the stream wrote, or snapshots taken before the change would not restore (and the other way round).
        TrainerSnapshot s = new TrainerSnapshot(2, "run/1/2", 11, 500, 20, GLOBAL, new long[]{5, 1L << 40, -3},
                new float[][]{{0.1f, -0.2f, Float.MIN_VALUE}, {}, {Float.NaN, 7f}}, null, "mf;dim=3", new byte[]{9, 8});
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(3);
            out.writeInt(2);
            out.writeUTF("run/1/2");
            out.writeLong(11);
            out.writeLong(500);
            out.writeLong(20);
            out.writeDouble(3.5);
            out.writeLong(100);
            out.writeFloat(1f);
            out.writeFloat(5f);
            out.writeInt(3);
            for (int i = 0; i < 3; i++) {
                out.writeLong(s.itemIds()[i]);
                out.writeInt(s.itemRows()[i].length);
                for (float f : s.itemRows()[i]) {
                    out.writeFloat(f);
                }
            }
            out.writeBoolean(false);
            out.writeBoolean(true);
            out.writeUTF("mf;dim=3");
            out.writeInt(2);
            out.write(new byte[]{9, 8});
        }
        assertThat(s.encode()).containsExactly(bytes.toByteArray());
        assertThat(TrainerSnapshot.decode(s.encode()).itemRows()[2][1]).isEqualTo(7f);
    }

    @Test
    void refusesUnknownVersions() {
        byte[] future = new TrainerSnapshot(0, "o", 0, 0, 0, GLOBAL, new long[0], new float[0][], null).encode();
        future[3] = 9;
        assertThatThrownBy(() -> TrainerSnapshot.decode(future)).isInstanceOf(IOException.class).hasMessageContaining("version 9");
    }
}
