package io.streamrec.cli.demo;

import io.streamrec.common.event.PrequentialMetrics;
import io.streamrec.common.topic.ModelFamilies;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The trainer subtasks' latest prequential reports summed up into one figure each, as the status line and the report
 * show them: the cumulative RMSE over all events scored (each subtask's weighted by its count), the mean of the
 * subtasks' window RMSEs (subtasks with an empty window left out), their rates added, the first drift state that is
 * not stable.
 */
public record PrequentialSummary(long scored, double cumulativeRmse, double windowRmse, double eventsPerSecond, String drift) {

    /**
     * The latest reports grouped by the family their source names ({@code mf/trainer-0}, see {@link ModelFamilies}),
     * in the order of {@code families}; a source without a family ({@code trainer-0}) is the first family's.
     */
    public static Map<String, List<PrequentialMetrics>> byFamily(Collection<PrequentialMetrics> latest, ModelFamilies families) {
        Map<String, List<PrequentialMetrics>> out = new LinkedHashMap<>();
        families.ids().forEach(f -> out.put(f, new ArrayList<>()));
        for (PrequentialMetrics m : latest) {
            String family = ModelFamilies.familyOfSource(m.source()).orElse(families.first());
            List<PrequentialMetrics> list = out.get(family);
            if (list != null) {
                list.add(m);
            }
        }
        return out;
    }

    /**
     * The cumulative ranking figures of the latest reports together, each subtask's weighted by its samples: recall@10,
     * recall@50, MRR, nDCG@10 (NaN without samples), and the samples.
     */
    public record Ranking(long samples, double recallAt10, double recallAt50, double mrr, double ndcgAt10) {

        public static Ranking of(Collection<PrequentialMetrics> latest) {
            long n = 0;
            double h10 = 0;
            double h50 = 0;
            double mrr = 0;
            double ndcg = 0;
            for (PrequentialMetrics m : latest) {
                io.streamrec.common.event.RankingMetrics r = m.ranking();
                if (r == null || r.samples() == 0) {
                    continue;
                }
                n += r.samples();
                h10 += r.hitAt10() * r.samples();
                h50 += r.hitAt50() * r.samples();
                mrr += r.mrr() * r.samples();
                ndcg += r.ndcgAt10() * r.samples();
            }
            return n == 0 ? new Ranking(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN)
                    : new Ranking(n, h10 / n, h50 / n, mrr / n, ndcg / n);
        }
    }

    public static PrequentialSummary of(Collection<PrequentialMetrics> latest) {
        long scored = latest.stream().mapToLong(PrequentialMetrics::count).sum();
        double squares = latest.stream().mapToDouble(m -> m.cumulativeRmse() * m.cumulativeRmse() * m.count()).sum();
        double cumulative = scored == 0 ? Double.NaN : Math.sqrt(squares / scored);
        double window = latest.stream().mapToDouble(PrequentialMetrics::windowRmse).filter(d -> !Double.isNaN(d)).average().orElse(Double.NaN);
        double eps = latest.stream().mapToDouble(PrequentialMetrics::eventsPerSecond).sum();
        String drift = latest.stream().map(m -> m.drift().name()).filter(d -> !d.equals("STABLE")).findFirst().orElse("stable");
        return new PrequentialSummary(scored, cumulative, window, eps, drift);
    }

    /**
     * Training throughput from the trainer's own prequential reports (count and wall time per subtask, first to last):
     * committed offsets only move at checkpoints, too coarse for a run of a few seconds. NaN without two reports apart.
     */
    public static double sustainedThroughput(List<PrequentialMetrics> history) {
        Map<String, List<PrequentialMetrics>> bySource = new HashMap<>();
        history.forEach(m -> bySource.computeIfAbsent(m.source(), k -> new ArrayList<>()).add(m));
        long events = 0;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (List<PrequentialMetrics> ms : bySource.values()) {
            PrequentialMetrics a = ms.stream().min(Comparator.comparingLong(PrequentialMetrics::count)).orElseThrow();
            PrequentialMetrics b = ms.stream().max(Comparator.comparingLong(PrequentialMetrics::count)).orElseThrow();
            events += b.count() - a.count();
            first = Math.min(first, a.wallTimeMs());
            last = Math.max(last, b.wallTimeMs());
        }
        return events == 0 || last <= first ? Double.NaN : events * 1000.0 / (last - first);
    }
}
