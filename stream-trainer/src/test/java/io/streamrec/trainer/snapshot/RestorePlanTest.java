package io.streamrec.trainer.snapshot;

import io.streamrec.model.GlobalStats;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RestorePlanTest {

    private static TrainerSnapshot of(int subtask, long trained, long lastSeq) {
        return new TrainerSnapshot(subtask, "run/0/" + subtask, lastSeq, trained, trained / 10,
                new GlobalStats(3.5, 100, 1f, 5f), new long[]{subtask}, new float[][]{{subtask}}, null);
    }

    @Test
    void nothingToRestoreIsNoPlan() {
        assertThat(RestorePlan.of(List.of(), 0, 1)).isEmpty();
    }

    @Test
    void scalingDownKeepsCountsExactAndRetiresTheRemovedSources() {
        List<TrainerSnapshot> old = List.of(of(2, 30, 4), of(0, 10, 2), of(1, 20, 3));
        RestorePlan zero = RestorePlan.of(old, 0, 2).orElseThrow();
        RestorePlan one = RestorePlan.of(old, 1, 2).orElseThrow();
        assertThat(zero.base().subtask()).isZero();
        assertThat(one.base().subtask()).isZero();
        assertThat(zero.trained()).isEqualTo(40);
        assertThat(zero.retiredSources()).containsExactly("trainer-2");
        assertThat(one.trained()).isEqualTo(20);
        assertThat(one.retiredSources()).isEmpty();
        assertThat(zero.trained() + one.trained()).isEqualTo(60);
        assertThat(zero.lastSequenceByOrigin()).containsEntry("run/0/2", 4L).hasSize(3);
        assertThat(zero.evaluator()).isNull();
    }
}
