package io.streamrec.cli.demo;

import io.streamrec.common.event.PrequentialMetrics;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The trainer subtasks' latest prequential reports summed up into one figure each, as the status line and the report
 * show them: the cumulative RMSE over all events scored (each subtask's weighted by its count), the mean of the
 * subtasks' window RMSEs (subtasks with an empty window left out), their rates added, the first drift state that is
 * not stable.
 */
public record PrequentialSummary(long scored, double cumulativeRmse, double windowRmse, double eventsPerSecond, String drift) {

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
