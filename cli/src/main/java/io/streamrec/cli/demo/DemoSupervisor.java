package io.streamrec.cli.demo;

import io.streamrec.cli.ChildJvm;
import sun.misc.Signal;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The demo's child processes: starts each in a JVM of its own (logs under one folder), ends the demo on Ctrl-C or
 * SIGTERM, and stops them all in reverse start order when closed.
 */
public final class DemoSupervisor implements AutoCloseable {

    private final List<ManagedProcess> children = new ArrayList<>();
    private final CountDownLatch stop = new CountDownLatch(1);

    /** Ctrl-C and SIGTERM end the demo (what {@link #awaitStop} waits for) rather than the JVM. */
    public void stopOnSignals() {
        for (String sig : List.of("INT", "TERM")) {
            Signal.handle(new Signal(sig), s -> stop.countDown());
        }
    }

    /**
     * Starts {@code main} of {@code module} as child {@code name}, its output in {@code logs/name.log}; {@code ready},
     * when given, is the output line that says it is up. The trainer gets a 3 GB heap, the others 1 GB.
     */
    public ManagedProcess start(String name, String module, String main, List<String> args, Pattern ready, Path logs) {
        List<String> jvm = new ArrayList<>(List.of(name.equals("trainer") ? "-Xmx3g" : "-Xmx1g", "-XX:+UseParallelGC"));
        Map<String, String> env = new HashMap<>();
        env.put("STREAMREC_HOME", ChildJvm.home().toString());
        ManagedProcess p = ManagedProcess.start(name, ChildJvm.command(module, main, jvm, args), logs, ready, env);
        children.add(p);
        return p;
    }

    /** True once the demo was asked to stop, waiting at most {@code timeout}. */
    public boolean awaitStop(long timeout, TimeUnit unit) throws InterruptedException {
        return stop.await(timeout, unit);
    }

    /** Ends the demo as Ctrl-C would. */
    public void requestStop() {
        stop.countDown();
    }

    /** Says which child died, with the last lines of its log. */
    public static void reportFailure(ManagedProcess p, PrintStream out) {
        out.println();
        out.println("demo: " + p.name() + " exited with code " + p.exitValue() + "; its last lines (" + p.logFile() + "):");
        p.tail().stream().skip(Math.max(0, p.tail().size() - 15)).forEach(l -> out.println("    " + l));
    }

    /** Reverse start order: the replay first, the broker last, so nobody loses its broker mid-write. */
    @Override
    public void close() {
        List<ManagedProcess> reversed = new ArrayList<>(children);
        Collections.reverse(reversed);
        for (ManagedProcess p : reversed) {
            p.close();
        }
        children.clear();
    }
}
