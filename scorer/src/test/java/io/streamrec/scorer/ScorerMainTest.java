package io.streamrec.scorer;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

class ScorerMainTest {

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        CommandLine cl = ScorerMain.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void helpListsTheOptions() {
        Run r = run("--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("Usage: score").contains("--http").contains("--min-push-interval")
                .contains("--bootstrap-servers").contains("--push-k");
    }

    @Test
    void badSettingsExitTwoWithOneLineAndStartNothing() {
        Run badHttp = run("--http", "localhost", "-b", "127.0.0.1:1");
        assertThat(badHttp.code()).isEqualTo(2);
        assertThat(badHttp.err()).contains("--http must be HOST:PORT");
        Run badK = run("--push-k", "0", "-b", "127.0.0.1:1");
        assertThat(badK.code()).isEqualTo(2);
        assertThat(badK.err()).contains("--push-k must be in [1, 1000]");
        Run badDuration = run("--min-push-interval", "soon");
        assertThat(badDuration.code()).isEqualTo(2);
        assertThat(badDuration.err()).contains("'soon' is not a duration");
    }
}
