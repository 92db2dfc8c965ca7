package io.streamrec.bench.model;

import io.streamrec.model.kernel.GatheredBatch;
import io.streamrec.model.kernel.KernelKind;
import io.streamrec.model.kernel.MfKernel;
import io.streamrec.model.kernel.MfKernels;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The compute kernel alone, Java vs ND4J side by side, on an already gathered 4096-event batch (3000 distinct users,
 * 1500 distinct items): dots + gradient accumulation, i.e. what the ND4J/GPU path would offload. One operation = one
 * event's forward and backward.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class KernelBenchmark {

    static final int EVENTS = 4096;

    @Param({"JAVA", "ND4J"})
    public KernelKind kernel;

    @Param({"16", "32", "64", "128"})
    public int dim;

    private MfKernel k;
    private GatheredBatch g;
    private float[] dots;
    private float[] dLoss;

    @Setup(Level.Trial)
    public void setUp() {
        k = MfKernels.create(kernel);
        g = new GatheredBatch(1 + dim);
        g.reset(EVENTS, 3000, 1500);
        SplittableRandom rnd = new SplittableRandom(2);
        for (int e = 0; e < EVENTS; e++) {
            g.userIndex()[e] = rnd.nextInt(3000);
            g.itemIndex()[e] = rnd.nextInt(1500);
        }
        for (int i = 0; i < 3000 * (1 + dim); i++) {
            g.userParams()[i] = (float) rnd.nextGaussian() * 0.1f;
        }
        for (int i = 0; i < 1500 * (1 + dim); i++) {
            g.itemParams()[i] = (float) rnd.nextGaussian() * 0.1f;
        }
        dots = new float[EVENTS];
        dLoss = new float[EVENTS];
        for (int e = 0; e < EVENTS; e++) {
            dLoss[e] = (float) rnd.nextGaussian();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        k.close();
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public float forwardBackward() {
        k.dots(g, dots);
        k.backward(g, dLoss, 0.01f, 0.05f);
        return dots[0] + g.userGrad()[0];
    }
}
