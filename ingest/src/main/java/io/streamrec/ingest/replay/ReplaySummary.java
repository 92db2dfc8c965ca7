package io.streamrec.ingest.replay;

import io.streamrec.ingest.RejectSummary;

import java.util.Locale;

/**
 * What a replay did.
 *
 * @param source          what was replayed
 * @param linesRead       rating lines read from the files (synthetic: events generated)
 * @param events          valid events available after parsing and sorting
 * @param taken           events taken from the stream for sending (after --from, up to --limit)
 * @param sent            events the broker acknowledged (dry run: taken)
 * @param metadataSent    item and user metadata records acknowledged
 * @param rejects         rejected lines by reason, with examples
 * @param loadMs          time spent reading and sorting
 * @param elapsedMs       time spent sending (from the first send until every event was acknowledged)
 * @param nextFrom        the {@code --from} value that resumes right after the last acknowledged event
 * @param stopped         true when stopped early (Ctrl-C or {@link Replayer#stop()})
 * @param dryRun          true when nothing was sent to Kafka
 * @param synthetic       true for a generated stream (nothing parsed; events are generated as they are sent)
 */
public record ReplaySummary(String source, long linesRead, long events, long taken, long sent, long metadataSent,
                            RejectSummary rejects, long loadMs, long elapsedMs, long nextFrom, boolean stopped,
                            boolean dryRun, boolean synthetic) {

    public double eventsPerSecond() {
        return elapsedMs <= 0 ? 0 : sent * 1000.0 / elapsedMs;
    }

    /** Parse+sort throughput: lines read per second of load time. */
    public double loadEventsPerSecond() {
        return loadMs <= 0 ? 0 : linesRead * 1000.0 / loadMs;
    }

    /** A few lines for the terminal. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%s %s%n", dryRun ? "dry run of" : "replayed", source));
        if (synthetic) {
            sb.append(String.format(Locale.ROOT, "  generated %,d events (planted model built in %,d ms; events generated while sending)%n",
                    events, loadMs));
        } else {
            sb.append(String.format(Locale.ROOT, "  read      %,d lines in %,d ms (%,.0f lines/s parse+sort), %,d valid events%n",
                    linesRead, loadMs, loadEventsPerSecond(), events));
        }
        sb.append(String.format(Locale.ROOT, "  rejected  %,d (%s)%n", rejects.total(), rejects.describe()));
        rejects.samples().forEach(r -> sb.append("            ").append(r).append(System.lineSeparator()));
        sb.append(String.format(Locale.ROOT, "  %-9s %,d events%s in %,d ms (%,.0f events/s)%n", dryRun ? "counted" : "sent",
                sent, metadataSent > 0 ? " + " + metadataSent + " metadata records" : "", elapsedMs, eventsPerSecond()));
        if (stopped) {
            sb.append(String.format(Locale.ROOT, "  stopped early: resume with --from %d%n", nextFrom));
        }
        return sb.toString();
    }
}
