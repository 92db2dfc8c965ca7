package io.streamrec.trainer.core;

import io.streamrec.common.event.DriftState;
import io.streamrec.common.event.PrequentialMetrics;

/**
 * Named ways to build the trainer's {@link PrequentialMetrics} records, instead of thirteen positional arguments
 * with NaNs in the middle.
 */
public final class MetricsReports {

    private MetricsReports() {
    }

    /** Nothing measured yet: no events, every error NaN, drift stable. */
    public static PrequentialMetrics empty(String source, long wallTimeMs) {
        return new PrequentialMetrics(source, 0, wallTimeMs, 0, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                0, 0, DriftState.STABLE, 0);
    }

    /**
     * The last word of a source whose events now count elsewhere (a subtask a rescale removed): a count of 0 tells
     * readers that sum the latest report per source to stop counting it.
     */
    public static PrequentialMetrics retired(String source, long wallTimeMs) {
        return empty(source, wallTimeMs);
    }

    /** {@code m} with its event count replaced (its ranking figures kept). */
    public static PrequentialMetrics withCount(PrequentialMetrics m, long count) {
        return new PrequentialMetrics(m.source(), m.eventTimeMs(), m.wallTimeMs(), count, m.windowCount(),
                m.windowRmse(), m.windowMae(), m.cumulativeRmse(), m.cumulativeMae(), m.coldStartShare(),
                m.eventsPerSecond(), m.drift(), m.driftEvents(), m.ranking());
    }
}
