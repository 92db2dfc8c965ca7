package io.streamrec.bench.run;

/** A main class and the streamrec module whose classpath it runs on, for a harness that needs a JVM of its own. */
public record ChildMain(String module, String mainClass) {
}
