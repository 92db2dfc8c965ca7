package io.streamrec.model;

import io.streamrec.common.event.RatingScale;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class GlobalStatsTest {

    @Test
    void theRunningMeanIsTheMeanOfEveryRatingAndItsRange() {
        RunningGlobalStats s = new RunningGlobalStats(GlobalStats.empty(RatingScale.ZERO_TO_FIVE).mean());
        assertThat(s.mean()).isEqualTo(2.5);
        for (float r : new float[]{4f, 2f, 5f, 1f}) {
            s.add(r);
        }
        assertThat(s.snapshot()).isEqualTo(new GlobalStats(3.0, 4, 1f, 5f));
        RunningGlobalStats t = new RunningGlobalStats(0);
        t.restore(s.snapshot());
        t.add(3f);
        assertThat(t.mean()).isCloseTo(3.0, within(1e-12));
        assertThat(t.count()).isEqualTo(5);
    }

    @Test
    void plusAndMinusAreInverseForTheMeanAndCount() {
        GlobalStats g = new GlobalStats(3.0, 4, 1f, 5f);
        GlobalStats more = g.plus(2, 9.0, 4.5f, 4.5f);
        assertThat(more.mean()).isCloseTo(21.0 / 6, within(1e-12));
        assertThat(more.count()).isEqualTo(6);
        assertThat(more.minus(2, 9.0).mean()).isCloseTo(3.0, within(1e-12));
        assertThat(more.minus(2, 9.0).count()).isEqualTo(4);
        assertThat(g.plus(0, 0, 0f, 0f)).isSameAs(g);
        // Nothing left: μ stays rather than becoming 0/0.
        assertThat(g.minus(4, 12.0)).isEqualTo(new GlobalStats(3.0, 0, 1f, 5f));
        // A subtask that has learned nothing takes the sender's range.
        GlobalStats empty = GlobalStats.empty(RatingScale.ZERO_TO_FIVE);
        assertThat(empty.plus(1, 4.0, 4f, 4f)).isEqualTo(new GlobalStats(4.0, 1, 4f, 4f));
    }
}
