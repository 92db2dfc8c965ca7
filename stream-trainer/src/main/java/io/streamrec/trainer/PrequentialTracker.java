package io.streamrec.trainer;

import io.streamrec.common.event.DriftState;
import io.streamrec.common.event.PrequentialMetrics;
import io.streamrec.model.MiniBatch;
import io.streamrec.model.eval.PrequentialEvaluator;

/**
 * Adapts the model's {@link PrequentialEvaluator} to the operator's life cycle. Its state (windows, cumulative sums,
 * drift detector) travels in the subtask's checkpoint, so a restart continues the curves where they were; a snapshot
 * without it (version 1, or a subtask that did not exist before a rescale) starts them afresh, and the event
 * {@code count} in every report stays exact either way.
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

    /** Continues the evaluator from a checkpoint; {@code trained} is this subtask's restored event count. */
    void restore(PrequentialEvaluator.State state, long trained) {
        evaluator.restore(state);
        restoredCount = trained - state.count();
    }

    PrequentialEvaluator.State state() {
        return evaluator.state();
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
