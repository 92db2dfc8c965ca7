package io.streamrec.bench.run;

/**
 * One area of BENCHMARKS.md and how to measure it: {@code streamrec bench --only AREA} runs the harness, which writes
 * its section to {@link BenchContext#section()}.
 */
public interface BenchHarness {

    /** The name {@code --only} takes and the section file's stem ({@code docs/bench/<area>.md}). */
    String area();

    /** The section's heading when it has not been measured yet or its title cannot be read back. */
    String title();

    /** Measures and writes the section; false when the measurement failed (the caller marks the section). */
    boolean run(BenchContext context) throws Exception;
}
