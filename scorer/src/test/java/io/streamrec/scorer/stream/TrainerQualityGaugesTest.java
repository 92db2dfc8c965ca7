package io.streamrec.scorer.stream;

import io.streamrec.common.event.DriftState;
import io.streamrec.common.event.PrequentialMetrics;
import io.streamrec.common.event.RankingMetrics;
import io.streamrec.scorer.ScorerMetrics;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TrainerQualityGaugesTest {

    private static PrequentialMetrics report(String source, long count, RankingMetrics r) {
        return new PrequentialMetrics(source, count, count, count, 100, 0.95, 0.75, 0.96, 0.76, 0.1, 1000,
                DriftState.STABLE, 0, r);
    }

    @Test
    void prometheusShowsEachSourcesLatestRankingFigures() {
        ScorerMetrics metrics = new ScorerMetrics();
        MetricsHistory history = new MetricsHistory(100);
        history.add(report("trainer-0", 10, new RankingMetrics(5, 50, 20, 5, 0.2, 0.4, 0.1, 0.12, 0.2, 0.4, 0.1, 0.12)));
        TrainerQualityGauges.attach(history, metrics);
        history.add(report("trainer-0", 20, new RankingMetrics(9, 50, 20, 9, 0.25, 0.5, 0.11, 0.13, 0.22, 0.44, 0.1, 0.12)));
        history.add(report("trainer-1", 20, null));
        String text = metrics.prometheusText();
        assertThat(text).contains("# TYPE streamrec_trainer_window_recall_at_10 gauge");
        assertThat(text).contains("streamrec_trainer_window_recall_at_10{source=\"trainer-0\"} 0.25");
        assertThat(text).contains("streamrec_trainer_window_recall_at_50{source=\"trainer-0\"} 0.5");
        assertThat(text).contains("streamrec_trainer_ranking_samples{source=\"trainer-0\"} 9");
        assertThat(text).contains("streamrec_trainer_window_rmse{source=\"trainer-1\"} 0.95");
        // A source that does not rank (ranking off, or a format-1 trainer) reads NaN, not a stale or zero figure.
        assertThat(text).contains("streamrec_trainer_window_recall_at_10{source=\"trainer-1\"} NaN");
    }
}
