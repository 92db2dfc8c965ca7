package io.streamrec.trainer;

import io.streamrec.common.event.DriftState;
import io.streamrec.common.event.PrequentialMetrics;
import io.streamrec.model.MiniBatch;
import io.streamrec.model.eval.PrequentialEvaluator;

/**
 * Adapts the model's {@link PrequentialEvaluator} to the operator's life cycle. The evaluator has no snapshot of
 * its own, so after a restore its windows and cumulative sums start afresh; the event {@code count} in every report
 * is kept exact across restores by adding the count restored from the checkpoint.
 */
final class PrequentialTracker {

    private final PrequentialEvaluator evaluator;
    private long restoredCount;
    private volatile PrequentialMetrics last;

    PrequentialTracker(String source) {
        this.evaluator = new PrequentialEvaluator(source);
        this.last = new PrequentialMetrics(source, 0, System.currentTimeMillis(), 0, 0, Double.NaN, Double.NaN,
                Double.NaN, Double.NaN, 0, 0, DriftState.STABLE, 0);
    }

    void restoreCount(long count) {
        restoredCount = count;
    }

    /** Feeds the batch's prequential predictions (made before it was learned) and true ratings. */
    void record(MiniBatch batch) {
        evaluator.record(batch);
    }

    PrequentialMetrics report() {
        PrequentialMetrics m = evaluator.snapshot();
        last = new PrequentialMetrics(m.source(), m.eventTimeMs(), m.wallTimeMs(), restoredCount + m.count(),
                m.windowCount(), m.windowRmse(), m.windowMae(), m.cumulativeRmse(), m.cumulativeMae(),
                m.coldStartShare(), m.eventsPerSecond(), m.drift(), m.driftEvents());
        return last;
    }

    /** The latest report, for gauges (read from the metric reporter's thread: the record is immutable). */
    PrequentialMetrics last() {
        return last;
    }
}
