package io.streamrec.common.event;

import io.streamrec.common.serde.FormatVersion;

/**
 * One report of the prequential (test-then-train) evaluation, written to the {@code metrics} topic every N events.
 * Window figures cover the last {@code windowCount} events; cumulative figures cover everything since the start.
 *
 * @param source         who measured it (e.g. "trainer-0" for subtask 0)
 * @param eventTimeMs    event time of the newest event in the report
 * @param wallTimeMs     wall-clock time the report was made
 * @param count          events scored so far
 * @param windowCount    events in the window
 * @param driftEvents    number of drift alarms raised so far
 * @param ranking        the prequential ranking figures (format version 2); null when the source does not rank (ranking
 *                       off, or a version-1 record)
 */
@FormatVersion(current = 2, oldestReadable = 1)
public record PrequentialMetrics(
        String source,
        long eventTimeMs,
        long wallTimeMs,
        long count,
        long windowCount,
        double windowRmse,
        double windowMae,
        double cumulativeRmse,
        double cumulativeMae,
        double coldStartShare,
        double eventsPerSecond,
        DriftState drift,
        long driftEvents,
        RankingMetrics ranking) {

    /** A report without ranking figures. */
    public PrequentialMetrics(String source, long eventTimeMs, long wallTimeMs, long count, long windowCount,
                              double windowRmse, double windowMae, double cumulativeRmse, double cumulativeMae,
                              double coldStartShare, double eventsPerSecond, DriftState drift, long driftEvents) {
        this(source, eventTimeMs, wallTimeMs, count, windowCount, windowRmse, windowMae, cumulativeRmse, cumulativeMae,
                coldStartShare, eventsPerSecond, drift, driftEvents, null);
    }

    /** This report with {@code r} as its ranking figures. */
    public PrequentialMetrics withRanking(RankingMetrics r) {
        return new PrequentialMetrics(source, eventTimeMs, wallTimeMs, count, windowCount, windowRmse, windowMae,
                cumulativeRmse, cumulativeMae, coldStartShare, eventsPerSecond, drift, driftEvents, r);
    }
}
