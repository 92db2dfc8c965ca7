package io.streamrec.bench.run;

import io.streamrec.common.report.BenchDirectories;
import io.streamrec.broker.EmbeddedKafkaBroker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The scale curve ({@code streamrec bench --only scale}): the trainer-bench module's {@code ScaleCurveBench} in a
 * child JVM on the trainer's classpath, against a broker this JVM starts in {@code target/bench-scale}; the runs (family,
 * events, users) and the Netflix-shape replay size are chosen here, smaller under {@code --quick}.
 */
public record ScaleHarness(ChildMain main) implements BenchHarness {

    /**
     * MovieLens-25M shape at 1, 5 and 25 M events, a 2 M-user run with and without a 10 s user TTL, and the default
     * deep family at 1, 5 and 25 M.
     */
    static final String RUNS = "mf:1000000:162000,mf:5000000:162000,mf:25000000:162000,mf:5000000:2000000,"
            + "mf:5000000:2000000:10,dlplus:1000000:162000,dlplus:5000000:162000,dlplus:25000000:162000";

    /** What {@code streamrec bench --only scale} runs; {@code STREAMREC_SCALE_RUNS} overrides it (same syntax). */
    static String runs(boolean quick) {
        String env = System.getenv("STREAMREC_SCALE_RUNS");
        return env != null && !env.isBlank() ? env : quick ? QUICK_RUNS : RUNS;
    }
    static final String QUICK_RUNS = "mf:100000:10000,mf:500000:10000,mf:100000:100000,mf:100000:100000:2";

    @Override
    public String area() {
        return "scale";
    }

    @Override
    public String title() {
        return "Scale";
    }

    @Override
    public boolean run(BenchContext c) throws Exception {
        Path work = Path.of("target", "bench-scale").toAbsolutePath();
        BenchDirectories.deleteTree(work);
        Files.createDirectories(work);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(work.resolve("broker"), 0, 2)) {
            return c.launcher().run(main, List.of("-Xmx3g", "-XX:+UseParallelGC"),
                    List.of(c.section().toAbsolutePath().toString(), broker.bootstrapServers(), work.resolve("run").toString(),
                            c.plots().toAbsolutePath().toString(), Path.of("").toAbsolutePath().toString(),
                            runs(c.quick()), c.quick() ? "500000" : "100000000", c.link(c.plots())),
                    Duration.ofMinutes(c.quick() ? 15 : 120));
        } finally {
            BenchDirectories.deleteTree(work);
        }
    }

}
