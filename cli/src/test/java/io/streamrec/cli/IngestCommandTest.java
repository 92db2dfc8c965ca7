package io.streamrec.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class IngestCommandTest {

    @TempDir
    Path tmp;

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = IngestCommand.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void dryRunParsesSortsAndSummarizesWithoutKafka() throws Exception {
        Path rejects = tmp.resolve("rejects.tsv");
        Result r = run(golden("ml-100k").toString(), "--dry-run", "--rejects", rejects.toString(),
                "--progress", "none", "-b", "127.0.0.1:1");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("dry run of ml-100k").contains("read      12 lines").contains("5 valid events")
                .contains("rejected  9").contains("u.data:5: BAD_ID").contains("counted   5 events");
        assertThat(Files.readAllLines(rejects)).hasSize(9);
    }

    @Test
    void dryRunHonoursFromAndLimit() {
        Result r = run("--dataset", "synthetic", "--events", "1000", "--from", "100", "--limit", "250", "--dry-run",
                "--progress", "none");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("counted   250 events");
    }

    @Test
    void usageErrorsExitWithTwoAndOneLine() {
        Result both = run("--dataset", "synthetic", "--rate", "10", "--speedup", "2");
        assertThat(both.code()).isEqualTo(2);
        assertThat(both.err().strip().lines()).hasSize(1);
        assertThat(both.err()).contains("--rate and --speedup cannot be combined");
        assertThat(run("--dataset", tmp.resolve("missing").toString()).err()).contains("does not exist");
        assertThat(run("--dataset", "synthetic", "--users", "0", "--dry-run").code()).isEqualTo(2);
        assertThat(run("--dataset", "synthetic", "--drift-kind", "sideways", "--drift-at", "0.5").err()).contains("--drift-kind");
        assertThat(run("--no-such-flag").code()).isEqualTo(2);
        assertThat(run().err()).contains("say what to replay");
        assertThat(IngestCommand.parseSize("512m")).isEqualTo(512L << 20);
        assertThat(IngestCommand.parseSize("2g")).isEqualTo(2L << 30);
    }

    @Test
    void unreachableKafkaFailsWithExitOneAndAClearLine() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Result r = run("--dataset", "synthetic", "--events", "10", "-b", "127.0.0.1:" + port,
                "--set", "kafka.default.api.timeout.ms=1500", "--set", "kafka.request.timeout.ms=1000", "--progress", "none");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("streamrec ingest: cannot reach Kafka at 127.0.0.1:" + port);
        assertThat(r.err()).doesNotContain("\tat "); // no stack trace without --verbose
    }

    /**
     * The ingest module's golden dataset folder, copied with the {@code .golden} suffix dropped (rating files are
     * stored under that suffix because names like {@code u.data} are reserved for licensed datasets, never committed).
     */
    private Path golden(String name) throws java.io.IOException {
        Path source = Path.of("..", "ingest", "src", "test", "resources", "golden", name);
        Path target = tmp.resolve("golden-" + name);
        Files.createDirectories(target);
        try (var files = Files.list(source)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, target.resolve(f.getFileName().toString().replaceFirst("\\.golden$", "")));
            }
        }
        return target;
    }
}
