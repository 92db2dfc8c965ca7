package io.streamrec.trainer.core;

import io.streamrec.common.event.PrequentialMetrics;
import io.streamrec.model.MiniBatch;
import io.streamrec.model.eval.PrequentialEvaluator;

/**
 * Keeps the prequential curves going across restarts: adapts the model's {@link PrequentialEvaluator} to the
 * trainer's life cycle. Its state (windows, cumulative sums, drift detector) travels in the subtask's checkpoint,
 * so a restart continues the curves where they were; a snapshot
 * without it (version 1, or a subtask that did not exist before a rescale) starts them afresh, and the event
 * {@code count} in every report stays exact either way.
 */
final class PrequentialTracker {

    private final PrequentialEvaluator evaluator;
    private long restoredCount;
    private volatile PrequentialMetrics last;

    PrequentialTracker(String source) {
        this.evaluator = new PrequentialEvaluator(source);
        this.last = MetricsReports.empty(source, System.currentTimeMillis());
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
        last = MetricsReports.withCount(m, restoredCount + m.count());
        return last;
    }

    /** The latest report, for gauges (read from the metric reporter's thread: the record is immutable). */
    PrequentialMetrics last() {
        return last;
    }
}
