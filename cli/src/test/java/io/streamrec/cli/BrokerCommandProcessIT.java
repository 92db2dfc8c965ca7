package io.streamrec.cli;

import io.streamrec.testing.ListeningSockets;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs {@code streamrec broker --port 0} as a real process, as a user would, and stops it with SIGTERM. */
class BrokerCommandProcessIT {

    @Test
    void printsBootstrapAddressServesOnLoopbackAndExitsZeroOnSigterm(@TempDir Path dir) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(StreamrecCli.class.getName());
        cmd.addAll(List.of("broker", "--port", "0", "--data-dir", dir.toString()));
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).get(60, TimeUnit.SECONDS);
            long startMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            System.out.println("broker ready after " + startMs + " ms: " + line);
            assertThat(line).matches("bootstrap\\.servers=127\\.0\\.0\\.1:\\d+");
            String bootstrap = line.substring("bootstrap.servers=".length());

            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                Set<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS);
                assertThat(topics).contains("ratings", "factors", "metrics", "ratings-dlq", "recommendations");
                assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(1);
            }
            Set<String> listening = ListeningSockets.ofProcess(p.pid());
            assertThat(listening).contains(bootstrap);
            assertThat(listening).allSatisfy(a -> assertThat(a).startsWith("127.0.0.1:"));

            p.destroy(); // SIGTERM
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("broker stops after SIGTERM").isTrue();
            assertThat(p.exitValue()).isZero();
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void everySubcommandHasHelp() {
        for (String sub : List.of("broker", "ingest", "evaluate", "demo")) {
            assertThat(StreamrecCli.execute(sub, "--help")).as(sub + " --help").isZero();
        }
        assertThat(StreamrecCli.execute("--help")).isZero();
        assertThat(StreamrecCli.execute("no-such-command")).isEqualTo(2);
        assertThat(StreamrecCli.execute("broker", "--port", "70000")).isEqualTo(2);
    }
}
