package io.streamrec.bench.model;

import io.streamrec.model.DlPlusHyperParameters;
import io.streamrec.model.DlPlusModel;
import io.streamrec.model.MiniBatch;
import io.streamrec.model.RowTable;
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

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * The DL+ learner step as the trainer will call it, beside {@link LearnerBenchmark}'s MF step: {@code learn} on a
 * 4096-event batch at the default network (gather rows, build the [B, 2·dim] input, DL4J forward + backward with the
 * input gradient, Adam on the weights, per-row optimizer on the touched rows, scatter back), and {@code process}
 * (the prequential step: the plain-Java forward predicts every event first). One operation = one rating.
 * Same data as the MF benchmark: 100 k users, 10 k popularity-skewed items.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DlPlusLearnerBenchmark {

    static final int BATCH = 4096;
    static final int ITEMS = 10_000;
    static final int BATCHES = 16;

    /** Hidden layer widths; the default network first. */
    @Param({DlPlusHyperParameters.DEFAULT_HIDDEN_TEXT, "64,32"})
    public String hidden;

    @Param({"100000"})
    public int users;

    private DlPlusModel model;
    private RowTable userTable;
    private RowTable items;
    private MiniBatch[] batches;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        DlPlusHyperParameters d = DlPlusHyperParameters.defaults();
        DlPlusHyperParameters p = d.withShape(d.dim(), Arrays.stream(hidden.split(",")).map(String::trim)
                .map(Integer::valueOf).toList()).withBatchSize(BATCH);
        model = new DlPlusModel(p);
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

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public Object process() {
        MiniBatch b = batches[next];
        next = (next + 1) % BATCHES;
        return model.process(b, userTable, items);
    }
}
