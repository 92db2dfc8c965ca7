package io.streamrec.cli.demo;

import java.io.PrintStream;

/**
 * The demo's live status, one line per component: redrawn in place with ANSI cursor moves on a terminal, printed as
 * one plain {@code |}-joined line every 5 seconds otherwise (logs, pipes, tests).
 */
public final class StatusRenderer {

    static final long PLAIN_INTERVAL_MS = 5_000;

    /** What the status lines show, sampled once a second. */
    public record StackStatus(long ingested, long trained, long deadLetters, PrequentialSummary metrics,
                              boolean replayRunning, boolean scorerServing) {

        /** Events in the ratings topic that are neither trained nor dead letters. */
        public long lag() {
            return Math.max(0, ingested - deadLetters - trained);
        }
    }

    private final PrintStream out;
    private final boolean ansi;
    private int drawnLines;
    private long lastPlainMs;

    /** @param ansi redraw in place (a terminal); false prints plain lines */
    public StatusRenderer(PrintStream out, boolean ansi) {
        this.out = out;
        this.ansi = ansi;
    }

    /** ANSI when this JVM has a console. */
    public static StatusRenderer forConsole(PrintStream out) {
        return new StatusRenderer(out, System.console() != null);
    }

    public static String[] lines(StackStatus s) {
        PrequentialSummary m = s.metrics();
        return new String[]{
                String.format("  replay   %-8s events in %,d", s.replayRunning() ? "running" : "done", s.ingested()),
                String.format("  trainer  trained %,d  lag %,d  prequential RMSE window %.4f cumulative %.4f  %,.0f ev/s  drift %s",
                        s.trained(), s.lag(), m.windowRmse(), m.cumulativeRmse(), m.eventsPerSecond(), m.drift()),
                String.format("  scorer   %s  dead letters %,d", s.scorerServing() ? "serving" : "starting", s.deadLetters())};
    }

    /** Shows {@code s} as of {@code nowMs}: redrawn over the previous lines, or plain when 5 s have passed. */
    public void show(StackStatus s, long nowMs) {
        String[] lines = lines(s);
        if (ansi) {
            if (drawnLines > 0) {
                out.print("\033[" + drawnLines + "A");
            }
            for (String l : lines) {
                out.print("\033[2K" + l + "\n");
            }
            drawnLines = lines.length;
        } else if (nowMs - lastPlainMs > PLAIN_INTERVAL_MS) {
            out.println(String.join(" | ", lines));
            lastPlainMs = nowMs;
        }
        out.flush();
    }
}
