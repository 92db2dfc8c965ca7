package io.streamrec.model.bench;

import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the model's JMH benchmarks with short settings (1 fork, 2 warm-up and 3 measured iterations of 1 s):
 * <pre>
 * ./mvnw -B -q -o -pl model test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test
 * java -cp model/target/test-classes:model/target/classes:$(cat model/target/bench.cp) \
 *      io.streamrec.model.bench.ModelBenchmarks [REGEX] [-p param=v1,v2 ...]
 * </pre>
 * REGEX selects benchmarks (default all); {@code -p name=values} restricts a parameter, e.g.
 * {@code LearnerBenchmark -p dim=32 -p mode=java-sequential}.
 */
public final class ModelBenchmarks {

    public static void main(String[] args) throws RunnerException {
        ChainedOptionsBuilder o = new OptionsBuilder()
                .forks(1)
                .warmupIterations(2)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(3)
                .measurementTime(TimeValue.seconds(1))
                .jvmArgs("-Xmx2g", "-XX:+UseParallelGC");
        boolean included = false;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("-p") && i + 1 < args.length) {
                String[] kv = args[++i].split("=", 2);
                o.param(kv[0], kv[1].split(","));
            } else {
                o.include(args[i]);
                included = true;
            }
        }
        if (!included) {
            o.include("io\\.streamrec\\.model\\.bench\\..*");
        }
        new Runner(o.build()).run();
    }

    private ModelBenchmarks() {
    }
}
