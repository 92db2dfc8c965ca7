package io.streamrec.cli.demo;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo's status lines: redrawn in place on a terminal, plain and throttled otherwise. */
class StatusRendererTest {

    private static final StatusRenderer.StackStatus STATUS = new StatusRenderer.StackStatus(12_000, 10_000, 500,
            new PrequentialSummary(10_000, 0.98765, 1.01234, 4321.4, "DRIFT"), true, false);

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void linesShowEachComponent() {
        assertThat(StatusRenderer.lines(STATUS)).containsExactly(
                "  replay   running  events in 12,000",
                "  trainer  trained 10,000  lag 1,500  prequential RMSE window 1.0123 cumulative 0.9877  4,321 ev/s  drift DRIFT",
                "  scorer   starting  dead letters 500");
        assertThat(STATUS.lag()).isEqualTo(1_500);
        assertThat(new StatusRenderer.StackStatus(10, 12, 0, STATUS.metrics(), false, true).lag()).isZero();
    }

    @Test
    void plainOutputIsOneJoinedLineAtMostEveryFiveSeconds() {
        StatusRenderer r = new StatusRenderer(out, false);
        r.show(STATUS, 10_000);
        r.show(STATUS, 12_000);
        r.show(STATUS, 15_001);
        String[] lines = printed().split("\n");
        assertThat(lines).hasSize(2);
        assertThat(lines[0]).isEqualTo(String.join(" | ", StatusRenderer.lines(STATUS)));
        assertThat(printed()).doesNotContain("\033");
    }

    @Test
    void ansiOutputRedrawsTheSameLinesInPlaceEverySample() {
        StatusRenderer r = new StatusRenderer(out, true);
        r.show(STATUS, 1_000);
        String first = printed();
        assertThat(first).doesNotContain("\033[3A").startsWith("\033[2K  replay   running");
        assertThat(first.split("\n")).hasSize(3).allMatch(l -> l.startsWith("\033[2K"));
        r.show(STATUS, 1_100);
        assertThat(printed().substring(first.length())).startsWith("\033[3A\033[2K  replay").hasLineCount(3);
    }
}
