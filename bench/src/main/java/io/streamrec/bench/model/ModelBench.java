package io.streamrec.bench.model;

import io.streamrec.common.report.BenchSection;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The learner's JMH benchmarks, written as the "Learner kernels" section of BENCHMARKS.md: the whole learner step for
 * every optimizer and for dims 16/32/64/128 in the three update modes (Java sequential, Java batch, ND4J batch), the
 * batch kernel alone Java vs ND4J, and the sequential per-event kernel. One JMH fork per configuration, short
 * iterations (the whole section takes a few minutes); the ± is JMH's 99.9 % confidence interval.
 * Usage: {@code ModelBench OUT.md [measureMillis]}.
 */
public final class ModelBench {

    private static final List<String> OPTIMIZERS = List.of("SGD", "MOMENTUM", "ADAGRAD", "RMSPROP", "ADAM");
    private static final List<String> DIMS = List.of("16", "32", "64", "128");
    private static final List<String> MODES = List.of("java-sequential", "java-batch", "nd4j-batch");

    private final int measureMillis;

    private ModelBench(int measureMillis) {
        this.measureMillis = measureMillis;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: ModelBench OUT.md [measureMillis]");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        ModelBench bench = new ModelBench(args.length > 1 ? Integer.parseInt(args[1]) : 400);
        BenchSection s = new BenchSection("Learner kernels (JMH)", "streamrec bench --only model");
        bench.run(s);
        s.writeTo(out);
        System.out.println("wrote " + out);
    }

    private void run(BenchSection s) throws RunnerException {
        s.text("JMH 1.37, one fork per configuration, a warm-up of " + Math.max(500, 2 * measureMillis)
                + " ms and 5 measured iterations of " + measureMillis + " ms; figures are ratings learned per second (one operation = one rating's forward and backward pass and "
                + "its optimizer step), ± the 99.9 % confidence interval JMH reports. Configurations of one table ran "
                + "back to back in this run, so ratios within a table are fair; absolute figures move with the machine's load.");

        progress("learner step by optimizer, dim 32 (15 configurations)");
        Map<String, Score> byOpt = scores(run(LearnerBenchmark.class, Map.of("dim", List.of("32"))), "optimizer", "mode");
        s.heading("Whole learner step by optimizer (dim 32)")
                .text("`LearnerBenchmark`: `OnlineModel.learn` on 4,096-rating mini-batches drawn from 100,000 users and "
                        + "10,000 items (popularity-skewed), i.e. gather rows, predict, loss, gradients, optimizer step, scatter "
                        + "back: what the trainer's operator does per batch. java-sequential is the default update mode "
                        + "(each rating stepped in turn, as SGD libraries do); java-batch and nd4j-batch sum a batch's "
                        + "gradients per row and step once per batch (the ND4J path is the one the CUDA backend would run).");
        BenchSection.Table t = s.table("optimizer", "java-sequential", "java-batch", "nd4j-batch", "Java batch ÷ ND4J batch");
        for (String o : OPTIMIZERS) {
            Score seq = byOpt.get(o + "|java-sequential");
            Score jb = byOpt.get(o + "|java-batch");
            Score nb = byOpt.get(o + "|nd4j-batch");
            t.row(o, fmt(seq), fmt(jb), fmt(nb), ratio(jb, nb));
        }
        t.end();

        progress("learner step by dim, AdaGrad (9 more configurations)");
        Map<String, Score> byDim = scores(run(LearnerBenchmark.class, Map.of("optimizer", List.of("ADAGRAD"),
                "dim", List.of("16", "64", "128"))), "dim", "mode");
        for (String m : MODES) {
            byDim.put("32|" + m, byOpt.get("ADAGRAD|" + m));
        }
        s.heading("Whole learner step by dimension (AdaGrad, the default optimizer)");
        t = s.table("dim", "java-sequential", "java-batch", "nd4j-batch", "Java batch ÷ ND4J batch");
        for (String d : DIMS) {
            Score jb = byDim.get(d + "|java-batch");
            Score nb = byDim.get(d + "|nd4j-batch");
            t.row(d, fmt(byDim.get(d + "|java-sequential")), fmt(jb), fmt(nb), ratio(jb, nb));
        }
        t.end();

        progress("batch kernel alone, Java vs ND4J (8 configurations)");
        Map<String, Score> kernel = scores(run(KernelBenchmark.class, Map.of()), "dim", "kernel");
        s.heading("Batch compute kernel alone, Java vs ND4J")
                .text("`KernelBenchmark`: dots and gradient accumulation over an already gathered 4,096-rating batch "
                        + "(3,000 distinct users, 1,500 items): exactly the part the `MfKernel` interface hands to ND4J. "
                        + "On a CPU each ND4J op pays a fixed native-call overhead, which is why the plain-Java kernel is "
                        + "the CPU default and ND4J is kept for the CUDA backend.");
        t = s.table("dim", "Java", "ND4J (CPU backend)", "Java ÷ ND4J");
        for (String d : DIMS) {
            Score j = kernel.get(d + "|JAVA");
            Score n = kernel.get(d + "|ND4J");
            t.row(d, fmt(j), fmt(n), ratio(j, n));
        }
        t.end();

        progress("sequential per-event kernel (20 configurations)");
        Map<String, Score> seq = scores(run(SequentialKernelBenchmark.class, Map.of()), "optimizer", "dim");
        s.heading("Sequential per-event kernel, every optimizer × dimension")
                .text("`SequentialKernelBenchmark`: the default mode's inner loop without gather/scatter (dot, loss "
                        + "derivative, `Optimizer.applyEvent` on both rows) over an in-cache working set of 2,000 users and "
                        + "1,500 items; comparable to LIBMF-style in-memory SGD updates per second.");
        t = s.table("optimizer", "dim 16", "dim 32", "dim 64", "dim 128");
        for (String o : OPTIMIZERS) {
            Object[] row = new Object[5];
            row[0] = o;
            for (int i = 0; i < DIMS.size(); i++) {
                row[i + 1] = fmt(seq.get(o + "|" + DIMS.get(i)));
            }
            t.row(row);
        }
        t.end();
    }

    private Collection<RunResult> run(Class<?> benchmark, Map<String, List<String>> params) throws RunnerException {
        ChainedOptionsBuilder o = new OptionsBuilder()
                .include("^" + benchmark.getName().replace(".", "\\.") + "\\.")
                .forks(1)
                .warmupIterations(1)
                .warmupTime(TimeValue.milliseconds(Math.max(500, 2L * measureMillis)))
                // Five, not three: JMH's interval uses Student's t, which is 31.6 for 3 samples and 8.6 for 5.
                .measurementIterations(5)
                .measurementTime(TimeValue.milliseconds(measureMillis))
                .jvmArgs("-Xmx2g", "-XX:+UseParallelGC")
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT);
        params.forEach((k, v) -> o.param(k, v.toArray(String[]::new)));
        return new Runner(o.build()).run();
    }

    /** Results keyed by the values of two parameters, e.g. {@code "ADAM|java-batch"}. */
    private static Map<String, Score> scores(Collection<RunResult> results, String first, String second) {
        Map<String, Score> m = new LinkedHashMap<>();
        for (RunResult r : results) {
            var p = r.getParams();
            var res = r.getPrimaryResult();
            m.put(p.getParam(first) + "|" + p.getParam(second), new Score(res.getScore(), res.getScoreError()));
        }
        return m;
    }

    record Score(double perSecond, double error) {
    }

    private static String fmt(Score s) {
        if (s == null) {
            return "n/a";
        }
        double e = Double.isNaN(s.error()) ? 0 : s.error();
        return millions(s.perSecond()) + " ± " + millions(e);
    }

    private static String millions(double v) {
        return v >= 1e6 ? BenchSection.fixed(v / 1e6, 2) + " M" : BenchSection.fixed(v / 1e3, 0) + " k";
    }

    private static String ratio(Score a, Score b) {
        return a == null || b == null ? "n/a" : BenchSection.fixed(a.perSecond() / b.perSecond(), 1) + "×";
    }

    private static void progress(String what) {
        System.err.println("bench model: " + what + " ...");
    }
}
