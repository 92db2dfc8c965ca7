package io.streamrec.common.event;

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
 */
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
        long driftEvents) {
}
