package io.streamrec.common.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * Ends a child process when the process that started it is gone. {@code streamrec score}, {@code train} and
 * {@code demo} run the scorer and trainer in JVMs of their own; a SIGTERM to the launcher stops them through its
 * shutdown hook, but a {@code kill -9} leaves no hook to run, and the orphan would keep its ports, its consumer group
 * membership and its locks. The launcher passes its pid in {@value #PARENT_PID}; the child exits (running its own
 * shutdown hooks, so it closes cleanly) as soon as that process exits.
 */
public final class ParentWatch {

    /** System property naming the pid of the launching process. */
    public static final String PARENT_PID = "streamrec.parent.pid";

    private static final Logger LOG = LoggerFactory.getLogger(ParentWatch.class);

    private ParentWatch() {
    }

    /** Watches the parent named by {@value #PARENT_PID}, if any: exits with status 143 when it is gone. */
    public static void installFromSystemProperty() {
        String pid = System.getProperty(PARENT_PID);
        if (pid == null || pid.isBlank()) {
            return;
        }
        long parent;
        try {
            parent = Long.parseLong(pid.trim());
        } catch (NumberFormatException e) {
            LOG.warn("ignoring -D{}={}: not a pid", PARENT_PID, pid);
            return;
        }
        watch(ProcessHandle.of(parent), () -> {
            LOG.warn("launcher (pid {}) is gone: stopping", parent);
            System.exit(143);
        });
    }

    /** Runs {@code onGone} once {@code parent} has exited (at once when it is not alive). */
    static void watch(Optional<ProcessHandle> parent, Runnable onGone) {
        if (parent.isEmpty() || !parent.get().isAlive()) {
            onGone.run();
            return;
        }
        parent.get().onExit().thenRun(onGone);
    }
}
