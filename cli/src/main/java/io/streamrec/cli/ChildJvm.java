package io.streamrec.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts another streamrec module's main class in a child JVM, with that module's own classpath
 * ({@code <module>/target/classes} plus {@code target/runtime-classpath.txt}, written when the module builds). Trainer and
 * scorer must run apart because Flink's frocksdbjni and Kafka Streams' rocksdbjni clash on one classpath.
 */
public final class ChildJvm {

    /** JDK 17 needs these for Flink's Kryo serialisers (docs/ARCHITECTURE.md, "Learned the hard way"). */
    public static final List<String> OPENS = io.streamrec.common.config.JvmOptions.FLINK_OPENS;

    private ChildJvm() {
    }

    /** The repository root: $STREAMREC_HOME, else found upward from the working directory. */
    public static Path home() {
        String env = System.getenv("STREAMREC_HOME");
        if (env != null && !env.isBlank()) {
            return Path.of(env).toAbsolutePath();
        }
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("streamrec")) && Files.isDirectory(d.resolve("stream-trainer"))) {
                return d;
            }
        }
        return dir;
    }

    /** The command that runs {@code mainClass} of {@code module} with {@code args}. */
    public static List<String> command(String module, String mainClass, List<String> jvmArgs, List<String> args) {
        Path moduleDir = home().resolve(module);
        Path classes = moduleDir.resolve("target/classes");
        Path cpFile = moduleDir.resolve("target/runtime-classpath.txt");
        if (!Files.isDirectory(classes) || !Files.isRegularFile(cpFile)) {
            throw new IllegalStateException("module '" + module + "' is not built (" + cpFile + " missing): run ./mvnw -DskipTests package");
        }
        String cp;
        try {
            cp = classes + java.io.File.pathSeparator + Files.readString(cpFile, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(OPENS);
        cmd.add(io.streamrec.common.config.JvmOptions.SIMD);
        // A kill -9 of this launcher runs none of its hooks: the child watches this pid and stops itself.
        cmd.add("-D" + io.streamrec.common.config.ParentWatch.PARENT_PID + "=" + ProcessHandle.current().pid());
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(cp);
        cmd.add(mainClass);
        cmd.addAll(args);
        return cmd;
    }

    /** Runs the child with inherited stdio until it exits; Ctrl-C/SIGTERM here stops the child too. */
    public static int runForeground(String module, String mainClass, List<String> jvmArgs, List<String> args) {
        ProcessBuilder pb = new ProcessBuilder(command(module, mainClass, jvmArgs, args)).inheritIO();
        try {
            Process p = pb.start();
            Thread stopper = new Thread(() -> {
                p.destroy();
                try {
                    p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                p.destroyForcibly();
            }, "stop-" + module);
            Runtime.getRuntime().addShutdownHook(stopper);
            int rc = p.waitFor();
            try {
                Runtime.getRuntime().removeShutdownHook(stopper);
            } catch (IllegalStateException shuttingDown) {
                // the hook is already running: it stops the child
            }
            return rc;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + module + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        }
    }
}
