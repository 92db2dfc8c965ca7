package io.streamrec.bench.run;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The areas of BENCHMARKS.md, in the order they appear there, each with the harness that measures it; the one place
 * that names the child-JVM harnesses' modules and main classes.
 */
public final class BenchAreas {

    /** The trainer's throughput harness: Flink's classpath, so not this module's. */
    public static final ChildMain TRAINER = new ChildMain("trainer-bench", "io.streamrec.trainer.bench.TrainerThroughputBench");
    static final ChildMain SCALE = new ChildMain("trainer-bench", "io.streamrec.trainer.bench.ScaleCurveBench");
    static final ChildMain MODEL = new ChildMain("bench", "io.streamrec.bench.model.ModelBench");
    static final ChildMain SCORER = new ChildMain("bench", "io.streamrec.bench.scorer.TopKBench");
    static final ChildMain SERVING = new ChildMain("bench", "io.streamrec.bench.scorer.ScaleOutBench");
    static final ChildMain INGEST = new ChildMain("bench", "io.streamrec.bench.ingest.IngestBench");

    private final Map<String, BenchHarness> byArea = new LinkedHashMap<>();

    private BenchAreas(List<BenchHarness> harnesses) {
        for (BenchHarness h : harnesses) {
            if (byArea.put(h.area(), h) != null) {
                throw new IllegalArgumentException("two harnesses for area " + h.area());
            }
        }
    }

    /**
     * Every area, with {@code endToEnd} for the {@code e2e} one (it drives the CLI's demo, so the CLI supplies it).
     */
    public static BenchAreas standard(BenchHarness endToEnd) {
        return new BenchAreas(List.of(
                new AccuracySuite(),
                endToEnd,
                new TrainerThroughputHarness(TRAINER),
                new ScaleHarness(SCALE),
                new ChildJvmHarness("model", "Learner kernels", MODEL, List.of("-Xmx1g"),
                        c -> List.of(path(c), c.quick() ? "100" : "400")),
                new ChildJvmHarness("scorer", "Top-K", SCORER, List.of("-Xmx1g"),
                        c -> List.of(path(c), c.quick() ? "20000" : "62000", c.quick() ? "1" : "4", c.quick() ? "no-jmh" : "jmh")),
                // Starts real scorer JVMs itself: they find the scorer module's classpath under the repository root.
                new ChildJvmHarness("serving", "Scale-out serving", SERVING, List.of("-Xmx1g"),
                        c -> List.of(path(c), Path.of("").toAbsolutePath().toString(), c.quick() ? "3" : "15",
                                c.quick() ? "5000" : "62000", c.quick() ? "300" : "2000")),
                new ChildJvmHarness("ingest", "Ingest", INGEST, List.of("-Xmx3g", "-XX:+UseParallelGC"),
                        c -> List.of(path(c), c.datasets().toAbsolutePath().toString(),
                                c.quick() ? "200000" : "5000000", c.quick() ? "100000" : "2000000"))));
    }

    /** Any list of harnesses, in document order (tests). */
    public static BenchAreas of(List<BenchHarness> harnesses) {
        return new BenchAreas(harnesses);
    }

    private static String path(BenchContext c) {
        return c.section().toAbsolutePath().toString();
    }

    /** Area names in document order. */
    public List<String> names() {
        return List.copyOf(byArea.keySet());
    }

    public Collection<BenchHarness> all() {
        return List.copyOf(byArea.values());
    }

    public BenchHarness get(String area) {
        BenchHarness h = byArea.get(area);
        if (h == null) {
            throw new IllegalArgumentException(unknown(area));
        }
        return h;
    }

    public boolean contains(String area) {
        return byArea.containsKey(area);
    }

    /** The message for a name that is not an area, listing the ones that are. */
    public String unknown(String area) {
        return "expected one of " + names() + " (case-sensitive) but was '" + area + "'";
    }

    /**
     * What {@code --only} selects: every area when nothing is named, else the named ones once each, in document order
     * whatever order they were named in.
     */
    public List<BenchHarness> select(Collection<String> only) {
        if (only == null || only.isEmpty()) {
            return new ArrayList<>(byArea.values());
        }
        Set<String> wanted = new LinkedHashSet<>();
        for (String a : only) {
            get(a);
            wanted.add(a);
        }
        return byArea.values().stream().filter(h -> wanted.contains(h.area())).toList();
    }
}
