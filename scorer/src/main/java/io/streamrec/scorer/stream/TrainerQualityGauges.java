package io.streamrec.scorer.stream;

import io.streamrec.common.event.PrequentialMetrics;
import io.streamrec.common.event.RankingMetrics;
import io.streamrec.scorer.ScorerMetrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;

/**
 * Exports the trainer's latest prequential figures per reporting source as Prometheus gauges (window RMSE and the
 * ranking figures: recall@10, recall@50, MRR, nDCG@10, samples), so quality can be alerted on beside the scorer's own
 * metrics. Registers a source's gauges the first time one of its reports arrives; a source whose reports carry no
 * ranking reads NaN for the ranking gauges.
 */
public final class TrainerQualityGauges implements Consumer<PrequentialMetrics> {

    private final ScorerMetrics metrics;
    private final Map<String, PrequentialMetrics> latest = new ConcurrentHashMap<>();

    public TrainerQualityGauges(ScorerMetrics metrics) {
        this.metrics = metrics;
    }

    /** Listens to {@code history}, starting from the reports it already holds. */
    public static TrainerQualityGauges attach(MetricsHistory history, ScorerMetrics metrics) {
        TrainerQualityGauges g = new TrainerQualityGauges(metrics);
        history.since(Long.MIN_VALUE, Integer.MAX_VALUE).forEach(g);
        history.addListener(g);
        return g;
    }

    @Override
    public void accept(PrequentialMetrics m) {
        String source = m.source() == null ? "unknown" : m.source();
        if (latest.put(source, m) == null) {
            register(source);
        }
    }

    private void register(String source) {
        String labels = "{source=\"" + source.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
        gauge("streamrec_trainer_window_rmse" + labels, "Prequential RMSE over the trainer's window.", source,
                PrequentialMetrics::windowRmse);
        rank("streamrec_trainer_window_recall_at_10" + labels,
                "Share of the window's ranked events whose item was in the top 10 (recall of the next item).", source,
                RankingMetrics::windowHitAt10);
        rank("streamrec_trainer_window_recall_at_50" + labels,
                "Share of the window's ranked events whose item was in the top 50.", source, RankingMetrics::windowHitAt50);
        rank("streamrec_trainer_window_mrr" + labels, "Mean reciprocal rank over the window's ranked events.", source,
                RankingMetrics::windowMrr);
        rank("streamrec_trainer_window_ndcg_at_10" + labels, "Mean nDCG@10 over the window's ranked events.", source,
                RankingMetrics::windowNdcgAt10);
        rank("streamrec_trainer_ranking_samples" + labels, "Events the trainer ranked so far.", source,
                r -> r.samples());
    }

    private void gauge(String name, String help, String source, ToDoubleFunction<PrequentialMetrics> f) {
        metrics.gauge(name, help, () -> f.applyAsDouble(latest.get(source)));
    }

    private void rank(String name, String help, String source, ToDoubleFunction<RankingMetrics> f) {
        metrics.gauge(name, help, () -> {
            RankingMetrics r = latest.get(source).ranking();
            return r == null ? Double.NaN : f.applyAsDouble(r);
        });
    }

    /** The latest report per source (tests). */
    PrequentialMetrics latest(String source) {
        return latest.get(source);
    }
}
