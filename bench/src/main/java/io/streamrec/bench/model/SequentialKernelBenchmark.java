package io.streamrec.bench.model;

import io.streamrec.common.event.FactorKind;
import io.streamrec.model.RowLayout;
import io.streamrec.model.optim.Optimizer;
import io.streamrec.model.optim.OptimizerKind;
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

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The Java kernel of the default (sequential) update mode without the gather/scatter around it: per event the dot
 * product, the loss derivative, and {@link Optimizer#applyEvent} on the user and item rows, exactly the per-event body
 * of {@code BiasedMf}'s sequential step, over rows already gathered (2 000 users, 1 500 items, as a batch's working
 * set). Comparable to LIBMF's in-memory SGD updates. One operation = one rating learned.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SequentialKernelBenchmark {

    static final int EVENTS = 4096;

    @Param({"SGD", "MOMENTUM", "ADAGRAD", "RMSPROP", "ADAM"})
    public OptimizerKind optimizer;

    @Param({"16", "32", "64", "128"})
    public int dim;

    private float[][] users;
    private float[][] items;
    private int[] ui;
    private int[] ii;
    private float[] ratings;
    private Optimizer opt;
    private float[] gradU;
    private float[] gradI;

    @Setup(Level.Trial)
    public void setUp() {
        RowLayout layout = new RowLayout(dim, optimizer, 0.1f, 1);
        opt = new Optimizer(layout, 0.01f, 0.01f, 0.9f, 0.999f, 0.1f, 0f);
        users = new float[2000][];
        items = new float[1500][];
        for (int u = 0; u < users.length; u++) {
            users[u] = layout.newRow(FactorKind.USER, u);
        }
        for (int i = 0; i < items.length; i++) {
            items[i] = layout.newRow(FactorKind.ITEM, i);
        }
        SplittableRandom rnd = new SplittableRandom(3);
        ui = new int[EVENTS];
        ii = new int[EVENTS];
        ratings = new float[EVENTS];
        for (int e = 0; e < EVENTS; e++) {
            ui[e] = rnd.nextInt(users.length);
            ii[e] = rnd.nextInt(items.length);
            ratings[e] = 1 + rnd.nextInt(5);
        }
        gradU = new float[layout.parameters()];
        gradI = new float[layout.parameters()];
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public float learn() {
        float mean = 3.5f;
        float last = 0f;
        for (int e = 0; e < EVENTS; e++) {
            float[] u = users[ui[e]];
            float[] it = items[ii[e]];
            float dot = 0f;
            for (int j = 1; j <= dim; j++) {
                dot += u[j] * it[j];
            }
            float d = mean + u[0] + it[0] + dot - ratings[e];
            opt.applyEvent(u, it, d, 0.01f, 0.05f, gradU, gradI);
            last = d;
        }
        return last;
    }
}
