package io.streamrec.common.config;

import java.util.Arrays;

/**
 * Chooses log levels from the command line before any logger exists (log4j2 reads the properties once, when the
 * first logger is created), so {@code -v/--verbose} works for every entry point alike.
 */
public final class LogLevels {

    private LogLevels() {
    }

    /** Call first thing in {@code main}. */
    public static void fromArgs(String[] args) {
        boolean verbose = Arrays.stream(args).anyMatch(a -> a.equals("-v") || a.equals("--verbose"));
        if (verbose) {
            System.setProperty("streamrec.log.level", "DEBUG");
            System.setProperty("streamrec.log.deps", "INFO");
        }
    }

    /** The implementation version from the jar manifest, or "dev" when running from classes. */
    public static String version(Class<?> anchor) {
        String v = anchor.getPackage() == null ? null : anchor.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT" : v;
    }
}
