package io.streamrec.scorer.stream;

import org.slf4j.Logger;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * Logs skipped (undecodable) records without letting whoever can write to an input topic fill the disk: the first
 * {@code detailed} records one line each with their coordinates, after that at most one summary line per
 * {@code summaryEveryMs} with the counts by topic and reason since the previous line. Exact counts live in the
 * metrics ({@code streamrec_scorer_poison_records_total}), not here. One instance per scorer, shared by every thread.
 */
public final class SkippedRecordLog {

    /** Exception messages can quote the record: cap them, or one line could carry a megabyte of garbage. */
    static final int MAX_DETAIL = 200;

    private final Logger log;
    private final int detailed;
    private final long summaryEveryMs;
    private final LongSupplier clockMs;
    private long seen;
    private long lastSummaryMs;
    /** "topic (reason)" → count since the last line, sorted so summaries read the same way every time. */
    private final Map<String, Long> suppressed = new TreeMap<>();

    public SkippedRecordLog(Logger log, int detailed, long summaryEveryMs, LongSupplier clockMs) {
        this.log = log;
        this.detailed = detailed;
        this.summaryEveryMs = summaryEveryMs;
        this.clockMs = clockMs;
    }

    public synchronized void skipped(String topic, int partition, long offset, String reason, String detail) {
        seen++;
        if (seen <= detailed) {
            String shown = detail == null || detail.length() <= MAX_DETAIL ? detail
                    : detail.substring(0, MAX_DETAIL) + "… (" + detail.length() + " chars)";
            log.warn("skipping undecodable record {}-{}@{} ({}): {}", topic, partition, offset, reason, shown);
            if (seen == detailed) {
                log.warn("{} undecodable records logged; further ones are counted in streamrec_scorer_poison_records_total "
                        + "(/prometheus) and summarised here at most every {} s", detailed, summaryEveryMs / 1000);
                lastSummaryMs = clockMs.getAsLong();
            }
            return;
        }
        suppressed.merge(topic + " (" + reason + ")", 1L, Long::sum);
        long now = clockMs.getAsLong();
        if (now - lastSummaryMs >= summaryEveryMs) {
            long n = suppressed.values().stream().mapToLong(Long::longValue).sum();
            log.warn("skipped {} more undecodable records in the last {} s: {} (last: {}-{}@{}); {} in total", n,
                    (now - lastSummaryMs) / 1000, suppressed, topic, partition, offset, seen);
            suppressed.clear();
            lastSummaryMs = now;
        }
    }
}
