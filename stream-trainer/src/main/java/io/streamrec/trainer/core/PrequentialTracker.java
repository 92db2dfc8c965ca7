package io.streamrec.trainer.core;

import io.streamrec.common.event.PrequentialMetrics;
import io.streamrec.model.MiniBatch;
import io.streamrec.model.OnlineModel;
import io.streamrec.model.RowTable;
import io.streamrec.model.Rows;
import io.streamrec.model.eval.PrequentialEvaluator;
import io.streamrec.model.eval.PrequentialRanking;
import io.streamrec.model.eval.RankingEvaluator;
import io.streamrec.model.eval.RatedItems;

/**
 * Keeps the prequential curves going across restarts: adapts the model's {@link PrequentialEvaluator} to the
 * trainer's life cycle. Its state (windows, cumulative sums, drift detector) travels in the subtask's checkpoint,
 * so a restart continues the curves where they were; a snapshot
 * without it (version 1, or a subtask that did not exist before a rescale) starts them afresh, and the event
 * {@code count} in every report stays exact either way. With ranking on it also ranks sampled events before each
 * batch is learned ({@link PrequentialRanking}); the ranking window is not checkpointed (a restart starts it afresh,
 * and reports say how many samples it holds).
 */
final class PrequentialTracker {

    private final PrequentialEvaluator evaluator;
    /** Null when ranking is off. */
    private final PrequentialRanking ranking;
    private long restoredCount;
    private volatile PrequentialMetrics last;

    PrequentialTracker(String source) {
        this(source, null, 0, 1, 0, 0);
    }

    /**
     * {@code rankEvery} 0 turns ranking off; {@code sampleSeed} places the samples (per subtask, so subtasks differ),
     * {@code panelSeed} picks the user panel (the same in every subtask: users move between them on a rescale).
     */
    PrequentialTracker(String source, OnlineModel model, int rankEvery, int userPanel, long sampleSeed, long panelSeed) {
        this.evaluator = new PrequentialEvaluator(source);
        this.ranking = rankEvery > 0
                ? new PrequentialRanking(model, new RankingEvaluator(rankEvery, sampleSeed, RankingEvaluator.DEFAULT_WINDOW),
                        userPanel, panelSeed)
                : null;
        this.last = MetricsReports.empty(source, System.currentTimeMillis());
    }

    /** Ranks the batch's sampled events with the model before it learns them (no-op with ranking off). */
    void rankBefore(MiniBatch batch, Rows users, RowTable items, RatedItems rated) {
        if (ranking != null) {
            ranking.rankBefore(batch, users, items, rated);
        }
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
        if (ranking != null) {
            m = m.withRanking(ranking.snapshot());
        }
        last = MetricsReports.withCount(m, restoredCount + m.count());
        return last;
    }

    /** The latest report, for gauges (read from the metric reporter's thread: the record is immutable). */
    PrequentialMetrics last() {
        return last;
    }
}
