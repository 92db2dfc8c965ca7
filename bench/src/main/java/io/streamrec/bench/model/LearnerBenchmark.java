package io.streamrec.bench.model;

import io.streamrec.model.MfHyperParameters;
import io.streamrec.model.MiniBatch;
import io.streamrec.model.ModelKind;
import io.streamrec.model.OnlineModel;
import io.streamrec.model.OnlineModels;
import io.streamrec.model.RowTable;
import io.streamrec.model.UpdateMode;
import io.streamrec.model.kernel.KernelKind;
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

import java.util.concurrent.TimeUnit;

/**
 * The whole learner step as the trainer calls it: {@code learn} on a 4096-event batch (distinct-row gather from the
 * tables, compute, optimizer per touched row, scatter back). One operation = one rating learned (an "update":
 * user row and item row both stepped). 10 k items with popularity-skewed draws; users as the parameter says.
 * Modes: {@code java-sequential} (CPU default), {@code java-batch}, {@code nd4j-batch}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class LearnerBenchmark {

    static final int BATCH = 4096;
    static final int ITEMS = 10_000;
    static final int BATCHES = 64;

    @Param({"SGD", "MOMENTUM", "ADAGRAD", "RMSPROP", "ADAM"})
    public OptimizerKind optimizer;

    @Param({"16", "32", "64", "128"})
    public int dim;

    @Param({"java-sequential", "java-batch", "nd4j-batch"})
    public String mode;

    /** 100 k users do not fit in cache (a row miss per event, as in production); 2 k users mostly do. */
    @Param({"100000"})
    public int users;

    private OnlineModel model;
    private RowTable userTable;
    private RowTable items;
    private MiniBatch[] batches;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        MfHyperParameters p = MfHyperParameters.defaults().withDim(dim).withOptimizer(optimizer).withBatchSize(BATCH);
        p = switch (mode) {
            case "java-sequential" -> p.withUpdate(UpdateMode.SEQUENTIAL);
            case "java-batch" -> p.withUpdate(UpdateMode.BATCH);
            case "nd4j-batch" -> p.withKernel(KernelKind.ND4J);
            default -> throw new IllegalArgumentException("unknown mode " + mode);
        };
        model = OnlineModels.create(ModelKind.MF, p);
        LearnerWorkload w = LearnerWorkload.of(model.layout(), users, ITEMS, BATCHES, BATCH);
        userTable = w.users();
        items = w.items();
        batches = w.batches();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public Object learn() {
        MiniBatch b = batches[next];
        next = (next + 1) % BATCHES;
        return model.learn(b, userTable, items);
    }
}
