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

    private static PrequentialMetrics ranked(String source, long count, double cumulative, long samples, double hit10) {
        return new PrequentialMetrics(source, 0, 0, count, 100, cumulative, 0.7, cumulative, 0.7, 0.1, 10, DriftState.STABLE, 0,
                new io.streamrec.common.event.RankingMetrics(samples, 50, 20, samples, hit10, hit10 * 2, hit10 / 2, hit10 / 3,
                        hit10, hit10 * 2, hit10 / 2, hit10 / 3));
    }

    @Test
    void reportsGroupByTheFamilyTheirSourceNamesAndEachFamilysRankingWeighsItsSubtasksBySamples() {
        var families = io.streamrec.common.topic.ModelFamilies.parse("mf,popular");
        var byFamily = PrequentialSummary.byFamily(List.of(
                ranked("popular/trainer-0", 1_000, 1.1, 10, 0.3),
                ranked("mf/trainer-0", 3_000, 0.9, 30, 0.1),
                ranked("mf/trainer-1", 1_000, 1.0, 10, 0.5),
                ranked("popular/trainer-1", 1_000, 1.1, 30, 0.1),
                ranked("dlplus/trainer-0", 1_000, 1.1, 30, 0.1)), families);
        assertThat(byFamily.keySet()).containsExactly("mf", "popular");
        assertThat(byFamily.get("mf")).extracting(PrequentialMetrics::source).containsExactly("mf/trainer-0", "mf/trainer-1");
        PrequentialSummary.Ranking mf = PrequentialSummary.Ranking.of(byFamily.get("mf"));
        assertThat(mf.samples()).isEqualTo(40);
        assertThat(mf.recallAt10()).isCloseTo((0.1 * 30 + 0.5 * 10) / 40, within(1e-12));
        PrequentialSummary.Ranking popular = PrequentialSummary.Ranking.of(byFamily.get("popular"));
        assertThat(popular.recallAt10()).isCloseTo((0.3 * 10 + 0.1 * 30) / 40, within(1e-12));
        assertThat(PrequentialSummary.of(byFamily.get("popular")).cumulativeRmse()).isCloseTo(1.1, within(1e-12));
        // Single-family sources belong to the first family; nothing ranked is NaN.
        var single = PrequentialSummary.byFamily(List.of(report("trainer-0", 0, 5, 1, 1, 1, DriftState.STABLE)),
                io.streamrec.common.topic.ModelFamilies.single("mf"));
        assertThat(single.get("mf")).hasSize(1);
        assertThat(PrequentialSummary.Ranking.of(single.get("mf")).recallAt10()).isNaN();
    }
}
