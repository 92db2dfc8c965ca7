package io.streamrec.bench.run;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * Runs a module's main class in a child JVM until it exits (the CLI supplies it: it knows where the modules' classpaths
 * are); true when the child exited with 0 within the timeout (it is killed otherwise).
 */
@FunctionalInterface
public interface ChildLauncher {

    /** What a harness gets unless it says otherwise. */
    Duration DEFAULT_TIMEOUT = Duration.ofMinutes(15);

    boolean run(ChildMain main, List<String> jvmArgs, List<String> args, Duration timeout) throws IOException, InterruptedException;

    default boolean run(ChildMain main, List<String> jvmArgs, List<String> args) throws IOException, InterruptedException {
        return run(main, jvmArgs, args, DEFAULT_TIMEOUT);
    }
}
