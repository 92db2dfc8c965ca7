package io.streamrec.bench.run;

import java.util.List;
import java.util.function.Function;

/**
 * A harness that is a main class run in a JVM of its own (JMH forks, its own heap, a classpath that must not be
 * shared), given the section file and its workload as arguments.
 */
public record ChildJvmHarness(String area, String title, ChildMain main, List<String> jvmArgs,
                              Function<BenchContext, List<String>> args) implements BenchHarness {

    @Override
    public boolean run(BenchContext context) throws Exception {
        return context.launcher().run(main, jvmArgs, args.apply(context));
    }
}
