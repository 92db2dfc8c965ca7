package io.streamrec.cli.demo;

import io.streamrec.common.event.DriftState;
import io.streamrec.common.event.PrequentialMetrics;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** One aggregation of the trainer subtasks' prequential reports, for the status line and the report alike. */
class PrequentialSummaryTest {

    private static PrequentialMetrics report(String source, long wallMs, long count, double window, double cumulative,
                                             double eps, DriftState drift) {
        return new PrequentialMetrics(source, 0, wallMs, count, 100, window, 0.7, cumulative, 0.7, 0.1, eps, drift, 0);
    }

    @Test
    void cumulativeRmseWeighsEachSubtaskByItsCount() {
        PrequentialSummary s = PrequentialSummary.of(List.of(
                report("trainer-0", 0, 3_000, 1.0, 1.0, 100, DriftState.STABLE),
                report("trainer-1", 0, 1_000, 0.5, 2.0, 50, DriftState.STABLE)));
        assertThat(s.scored()).isEqualTo(4_000);
        // sqrt((1² · 3000 + 2² · 1000) / 4000)
        assertThat(s.cumulativeRmse()).isCloseTo(Math.sqrt(7_000.0 / 4_000), within(1e-12));
        assertThat(s.windowRmse()).isEqualTo(0.75);
        assertThat(s.eventsPerSecond()).isEqualTo(150);
        assertThat(s.drift()).isEqualTo("stable");
    }

    @Test
    void anEmptyWindowIsLeftOutAndADriftShows() {
        PrequentialSummary s = PrequentialSummary.of(List.of(
                report("trainer-0", 0, 3_000, Double.NaN, 1.0, 100, DriftState.STABLE),
                report("trainer-1", 0, 1_000, 0.5, 1.0, 50, DriftState.DRIFT)));
        assertThat(s.windowRmse()).isEqualTo(0.5);
        assertThat(s.drift()).isEqualTo("DRIFT");
    }

    @Test
    void noReportsIsNotANumber() {
        PrequentialSummary s = PrequentialSummary.of(List.of());
        assertThat(s.scored()).isZero();
        assertThat(s.cumulativeRmse()).isNaN();
        assertThat(s.windowRmse()).isNaN();
    }

    @Test
    void sustainedThroughputAddsTheSubtasksFromFirstToLastReport() {
        List<PrequentialMetrics> history = List.of(
                report("trainer-0", 1_000, 1_000, 1, 1, 0, DriftState.STABLE),
                report("trainer-0", 3_000, 5_000, 1, 1, 0, DriftState.STABLE),
                report("trainer-1", 2_000, 500, 1, 1, 0, DriftState.STABLE),
                report("trainer-1", 5_000, 2_500, 1, 1, 0, DriftState.STABLE));
        // (4,000 + 2,000) events between 1 s and 5 s
        assertThat(PrequentialSummary.sustainedThroughput(history)).isEqualTo(1_500);
        assertThat(PrequentialSummary.sustainedThroughput(history.subList(0, 1))).isNaN();
    }
}
