package io.streamrec.cli.demo;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A child process the demo supervises: its output goes to a log file (the terminal stays readable), the last lines
 * are kept for the error report, and a regular expression on its output can signal readiness.
 */
public final class ManagedProcess implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ManagedProcess.class);
    private static final int TAIL_LINES = 40;

    private final String name;
    private final Process process;
    private final Path logFile;
    private final Deque<String> tail = new ArrayDeque<>();
    private final CompletableFuture<Matcher> ready = new CompletableFuture<>();
    private final Pattern readyPattern;
    private final List<Consumer<String>> lineListeners = new ArrayList<>();

    private ManagedProcess(String name, Process process, Path logFile, Pattern readyPattern) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
        this.readyPattern = readyPattern;
    }

    /**
     * Starts {@code command}; stdout and stderr are merged into {@code logDir/name.log}.
     *
     * @param readyPattern a line matching it completes {@link #ready()}; null means ready at once
     */
    public static ManagedProcess start(String name, List<String> command, Path logDir, Pattern readyPattern,
                                       java.util.Map<String, String> env) {
        try {
            Files.createDirectories(logDir);
            Path log = logDir.resolve(name + ".log");
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            pb.environment().putAll(env);
            Process p = pb.start();
            ManagedProcess mp = new ManagedProcess(name, p, log, readyPattern);
            if (readyPattern == null) {
                mp.ready.complete(null);
            }
            Thread pump = new Thread(mp::pump, "log-" + name);
            pump.setDaemon(true);
            pump.start();
            p.onExit().thenRun(() -> mp.ready.completeExceptionally(
                    new IllegalStateException(name + " exited with code " + p.exitValue() + " before it was ready")));
            LOG.debug("started {} (pid {}): {}", name, p.pid(), String.join(" ", command));
            return mp;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + e.getMessage(), e);
        }
    }

    private void pump() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter out = new PrintWriter(Files.newBufferedWriter(logFile, StandardCharsets.UTF_8), true)) {
            String line;
            while ((line = in.readLine()) != null) {
                out.println(line);
                synchronized (tail) {
                    if (tail.size() == TAIL_LINES) {
                        tail.removeFirst();
                    }
                    tail.addLast(line);
                }
                if (!ready.isDone() && readyPattern != null) {
                    Matcher m = readyPattern.matcher(line);
                    if (m.find()) {
                        ready.complete(m);
                    }
                }
                for (Consumer<String> l : lineListeners) {
                    l.accept(line);
                }
            }
        } catch (IOException e) {
            LOG.debug("{} output closed: {}", name, e.toString());
        }
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public Path logFile() {
        return logFile;
    }

    /** Completes with the matching line's matcher when the child says it is ready; fails if it exits first. */
    public CompletableFuture<Matcher> ready() {
        return ready;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public CompletableFuture<Process> onExit() {
        return process.onExit();
    }

    public int exitValue() {
        return process.exitValue();
    }

    public List<String> tail() {
        synchronized (tail) {
            return List.copyOf(tail);
        }
    }

    /** Waits for the child to exit by itself; returns its exit code, or -1 on timeout. */
    public int await(long timeout, TimeUnit unit) throws InterruptedException {
        return process.waitFor(timeout, unit) ? process.exitValue() : -1;
    }

    /** SIGTERM, then SIGKILL after the grace period; also ends the child's own children. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                LOG.warn("{} did not stop within 20 s; killing it", name);
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        descendants.forEach(ProcessHandle::destroyForcibly);
    }
}
