package io.streamrec.docker;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * docker/compose.yaml driven from a test: one compose project of its own (its own network, volumes and free host
 * ports on 127.0.0.1), with the operations a fault test needs: start services, kill -9 a container, start it again,
 * stop and start the whole stack, and tear it all down.
 */
final class ComposeCluster implements AutoCloseable {

    private final String project;
    private final Map<String, String> env = new LinkedHashMap<>();
    private final Path logDir;

    ComposeCluster(String project, Path logDir) throws IOException {
        this.project = project;
        this.logDir = logDir;
        Files.createDirectories(logDir);
        for (String port : List.of("KAFKA_1_PORT", "KAFKA_2_PORT", "KAFKA_3_PORT", "FLINK_PORT", "SCORER_1_PORT", "SCORER_2_PORT")) {
            env.put(port, Integer.toString(freePort()));
        }
        env.put("DATASET", "synthetic");
    }

    /** Host-side bootstrap servers: every broker's EXTERNAL listener on 127.0.0.1. */
    String bootstrapServers() {
        return "127.0.0.1:" + env.get("KAFKA_1_PORT") + ",127.0.0.1:" + env.get("KAFKA_2_PORT") + ",127.0.0.1:" + env.get("KAFKA_3_PORT");
    }

    String flinkRest() {
        return "http://127.0.0.1:" + env.get("FLINK_PORT");
    }

    String scorer(int instance) {
        return "http://127.0.0.1:" + env.get("SCORER_" + instance + "_PORT");
    }

    /** {@code up -d} of these services (and what they depend on), waiting for their healthchecks' dependencies. */
    void up(String... services) {
        List<String> args = new ArrayList<>(List.of("up", "-d", "--no-recreate"));
        args.addAll(List.of(services));
        compose(600, args);
    }

    /** SIGKILL to the service's container, as a crashed node: no shutdown hooks, no flush. */
    void kill(String service) {
        compose(60, List.of("kill", "-s", "SIGKILL", service));
    }

    void start(String... services) {
        List<String> args = new ArrayList<>(List.of("start"));
        args.addAll(List.of(services));
        compose(300, args);
    }

    /** Stops every container of the project (volumes and containers stay). */
    void stopAll() {
        compose(300, List.of("stop", "-t", "30"));
    }

    /** Every service's log so far, into the log directory (for a failed test's diagnosis). */
    void saveLogs(String name) {
        try {
            compose(120, List.of("logs", "--no-color", "-t"), ProcessBuilder.Redirect.to(logDir.resolve(name + ".log").toFile()));
        } catch (RuntimeException e) {
            System.err.println("cannot save compose logs: " + e.getMessage());
        }
    }

    /** The logs of one service, as text. */
    String logs(String service) throws IOException {
        Path out = logDir.resolve(service + "-tail.log");
        compose(60, List.of("logs", "--no-color", service), ProcessBuilder.Redirect.to(out.toFile()));
        return Files.readString(out);
    }

    @Override
    public void close() {
        saveLogs("final");
        compose(300, List.of("down", "-v", "--remove-orphans", "-t", "5"));
    }

    /** Runs a command, its output appended to compose-commands.log after the command line itself. */
    private void compose(int timeoutSeconds, List<String> args) {
        Path log = logDir.resolve("compose-commands.log");
        try {
            Files.writeString(log, "$ docker-compose " + String.join(" ", args) + "\n",
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        compose(timeoutSeconds, args, ProcessBuilder.Redirect.appendTo(log.toFile()));
    }

    private void compose(int timeoutSeconds, List<String> args, ProcessBuilder.Redirect output) {
        List<String> cmd = new ArrayList<>(List.of("docker-compose", "-p", project, "-f",
                LocalImages.ROOT.resolve("docker/compose.yaml").toString()));
        cmd.addAll(args);
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(LocalImages.ROOT.resolve("docker").toFile())
                    .redirectErrorStream(true).redirectOutput(output);
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("docker-compose " + args + " took over " + timeoutSeconds + " s; see " + logDir);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("docker-compose " + args + " failed (exit " + p.exitValue() + "); see " + logDir);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run docker-compose", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: docker-compose " + args, e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
