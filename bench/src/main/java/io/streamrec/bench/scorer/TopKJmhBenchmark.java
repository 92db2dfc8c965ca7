package io.streamrec.bench.scorer;

import io.streamrec.common.event.FactorRow;
import io.streamrec.common.event.ScoredItem;
import io.streamrec.scorer.index.ItemIndex;
import io.streamrec.scorer.index.ScoringKernel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * JMH cross-check of {@link TopKBench}'s single-request latency: one exact top-10 over the catalogue, sampled
 * ({@code Mode.SampleTime}, so JMH reports percentiles), SIMD and scalar kernels. The fork needs
 * {@code --add-modules jdk.incubator.vector} for the SIMD kernel; {@code kernel} says which one actually ran.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TopKJmhBenchmark {

    @Param({"simd", "scalar"})
    public String kernel;

    @Param({"32"})
    public int dim;

    @Param({"62000"})
    public int items;

    private ItemIndex index;
    private float[][] users;
    private long[] seen;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        ScoringKernel k = kernel.equals("simd") ? ScoringKernel.best() : ScoringKernel.scalar();
        if (kernel.equals("simd") && k.getClass() == ScoringKernel.scalar().getClass()) {
            throw new IllegalStateException("SIMD kernel requested but jdk.incubator.vector is not in this JVM");
        }
        Random rnd = new Random(1);
        index = new ItemIndex(k);
        for (int i = 0; i < items; i++) {
            index.upsert(i, new FactorRow(1, (float) rnd.nextGaussian(), TopKBench.gaussian(rnd, dim), 0));
        }
        seen = rnd.longs(100, 0, items).toArray();
        users = new float[1024][];
        for (int i = 0; i < users.length; i++) {
            users[i] = TopKBench.gaussian(rnd, dim);
        }
    }

    @Benchmark
    public List<ScoredItem> topTen() {
        float[] u = users[next];
        next = (next + 1) & (users.length - 1);
        return index.topK(u, 1f, 0f, 10, seen);
    }
}
