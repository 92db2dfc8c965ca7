package io.streamrec.bench.run;

import io.streamrec.common.event.DriftState;
import io.streamrec.common.event.PrequentialMetrics;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The accuracy suite's computed text: drift summaries and margins (moved here with the suite from BenchCommandTest). */
class AccuracySuiteTest {

    private static PrequentialMetrics at(long count, long alarms) {
        return new PrequentialMetrics("mf", count, count, count, 1000, 1.0, 0.8, 1.0, 0.8, 0.0, 1000,
                alarms > 0 ? DriftState.RECOVERED : DriftState.STABLE, alarms);
    }

    @Test
    void driftSummaryFindsTheFirstAlarmAfterThePlantedDriftFromTheAlarmCount() {
        // The alarm at 1,500 fired and recovered between samples: only the count shows it.
        List<PrequentialMetrics> series = List.of(at(1000, 0), at(2000, 1), at(3000, 1), at(5000, 1), at(6000, 2), at(7000, 3));
        assertThat(AccuracySuite.driftSummary(series, OptionalLong.of(5000)))
                .isEqualTo("first after the drift by event 6,000 (+1,000); 3 in all");
        assertThat(AccuracySuite.driftSummary(series.subList(0, 4), OptionalLong.of(5000))).isEqualTo("none after the drift; 1 before it");
        assertThat(AccuracySuite.driftSummary(List.of(at(1000, 0)), OptionalLong.of(500))).isEqualTo("none");
        assertThat(AccuracySuite.driftSummary(series, OptionalLong.empty())).isEqualTo("3 in all");
    }

    @Test
    void marginsCompareMfWithTheBaselinePerDatasetAndProtocol() {
        List<AccuracySuite.Row> rows = List.of(
                new AccuracySuite.Row("ml-100k", "prequential", "mf", 10, 0.95, 0.7, 0, 1, ""),
                new AccuracySuite.Row("ml-100k", "prequential", "baseline", 10, 0.96, 0.7, 0, 1, ""),
                new AccuracySuite.Row("ml-100k", "prequential", "mean", 10, 1.13, 0.9, 0, 1, ""),
                new AccuracySuite.Row("synthetic", "prequential", "mf", 10, 0.90, 0.7, 0, 1, ""),
                new AccuracySuite.Row("synthetic", "prequential", "baseline", 10, 0.85, 0.7, 0, 1, ""));
        assertThat(AccuracySuite.margins(rows)).isEqualTo("Margins (RMSE, lower is better): ml-100k, prequential: mf beats "
                + "the biases-only baseline by 0.0100; synthetic, prequential: mf trails the biases-only baseline by 0.0500.");
    }

    @Test
    void aDeepFamilyIsComparedWithMfEitherWay() {
        List<AccuracySuite.Row> rows = List.of(
                new AccuracySuite.Row("ml-100k", "holdout", "mf", 10, 0.918, 0.7, 0, 1, ""),
                new AccuracySuite.Row("ml-100k", "holdout", "dlplus", 10, 0.927, 0.7, 0, 1, ""),
                new AccuracySuite.Row("ml-1m", "holdout", "mf", 10, 0.86, 0.7, 0, 1, ""),
                new AccuracySuite.Row("ml-1m", "holdout", "dlplus", 10, 0.85, 0.7, 0, 1, ""));
        assertThat(AccuracySuite.margins(rows)).isEqualTo("Margins (RMSE, lower is better): ml-100k, holdout: dlplus trails "
                + "mf by 0.0090; ml-1m, holdout: dlplus beats mf by 0.0100.");
    }

    @Test
    void rankingMarginsSayWhetherMfBeatsPopularityOnRecall() {
        List<AccuracySuite.RankRow> rows = List.of(
                new AccuracySuite.RankRow("ml-100k", "prequential", "mf", recall(0.03), 0),
                new AccuracySuite.RankRow("ml-100k", "prequential", "popular", recall(0.06), 0),
                new AccuracySuite.RankRow("ml-100k", "holdout", "mf", recall(0.08), 0),
                new AccuracySuite.RankRow("ml-100k", "holdout", "popular", recall(0.05), 0));
        assertThat(AccuracySuite.rankingMargins(rows)).isEqualTo("Does MF beat popularity on recall@10? In 1 of 2 runs: "
                + "ml-100k, prequential: mf trails popular by 0.0300 (0.0300 vs 0.0600, -50 %); ml-100k, holdout: mf beats "
                + "popular by 0.0300 (0.0800 vs 0.0500, +60 %).");
        assertThat(AccuracySuite.rankingMargins(rows.subList(0, 2))).startsWith("Does MF beat popularity on recall@10? No, in no run: ");
    }

    private static io.streamrec.common.event.RankingMetrics recall(double at10) {
        return new io.streamrec.common.event.RankingMetrics(100, 1, 10, 100, at10, 0.2, 0.05, 0.04, at10, 0.2, 0.05, 0.04);
    }

    @Test
    void slugsNameThePlotFiles() {
        assertThat(AccuracySuite.slug("synthetic (drift at 50 %)")).isEqualTo("synthetic-drift-at-50");
    }
}
