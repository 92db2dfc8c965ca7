package io.streamrec.model.kernel;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scatter.ScatterAdd;
import org.nd4j.linalg.api.ops.impl.shape.Gather;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Arrays;

/**
 * The same arithmetic as {@link JavaMfKernel} as whole-batch ND4J ops: gather rows per event, elementwise products
 * and row sums for the dots, then a scatter-add of the per-event gradients onto the distinct rows. On a CPU each op
 * costs tens of microseconds of overhead (docs/ARCHITECTURE.md, "Learned the hard way"), so this is the path for the CUDA backend (Maven profile
 * {@code -Pcuda}), not the CPU default. Only instantiate it when selected: the first ND4J call loads the native
 * backend, which takes seconds.
 */
public final class Nd4jMfKernel implements MfKernel {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Nd4jMfKernel.class);

    private GatheredBatch cachedFor;
    private long cachedGeneration = -1;
    private INDArray cachedUsers;
    private INDArray cachedItems;

    public Nd4jMfKernel() {
        // Batch-sized ops gain nothing from ND4J's OpenMP pool and lose a lot when cores are shared (measured 3-5x
        // slower on the 2-core box): one thread unless the operator chose otherwise with OMP_NUM_THREADS.
        if (System.getenv("OMP_NUM_THREADS") == null) {
            Nd4j.getEnvironment().setMaxThreads(1);
            Nd4j.getEnvironment().setMaxMasterThreads(1);
        }
        // Operators must see at start which backend and device the job really got (CPU fallback vs a GPU).
        java.util.Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
        Object devices = env.get("cuda.devicesInformation");
        LOG.info("ND4J kernel: backend {} ({}), device {}", Nd4j.getBackend().getClass().getSimpleName(),
                env.getOrDefault("backend", "?"), devices != null ? devices : "CPU, " + env.getOrDefault("blas.vendor", "?") + " BLAS");
    }

    @Override
    public void dots(GatheredBatch g, float[] out) {
        int n = g.events();
        int w = g.width();
        if (n == 0) {
            return;
        }
        if (w == 1) {
            Arrays.fill(out, 0, n, 0f);
            return;
        }
        INDArray ug = gatherUsers(g);
        INDArray ig = gatherItems(g);
        INDArray dots = ug.get(NDArrayIndex.all(), NDArrayIndex.interval(1, w))
                .mul(ig.get(NDArrayIndex.all(), NDArrayIndex.interval(1, w)))
                .sum(1);
        float[] values = dots.toFloatVector();
        System.arraycopy(values, 0, out, 0, n);
    }

    @Override
    public void backward(GatheredBatch g, float[] dLoss, float l2Bias, float l2Factors) {
        int n = g.events();
        int w = g.width();
        if (n == 0) {
            return;
        }
        INDArray ug = gatherUsers(g);
        INDArray ig = gatherItems(g);
        INDArray d = Nd4j.create(Arrays.copyOf(dLoss, n), new long[]{n, 1}, 'c');
        INDArray l2 = Nd4j.valueArrayOf(new long[]{1, w}, l2Factors, DataType.FLOAT);
        l2.putScalar(0, 0, l2Bias);
        INDArray ones = Nd4j.ones(DataType.FLOAT, n, 1);

        // d(pred)/d(user params) is [1, q_i]; d(pred)/d(item params) is [1, p_u].
        INDArray userDir = ig.dup();
        userDir.putColumn(0, ones);
        INDArray itemDir = ug.dup();
        itemDir.putColumn(0, ones);
        INDArray userUpdates = userDir.mulColumnVector(d).addi(ug.mulRowVector(l2));
        INDArray itemUpdates = itemDir.mulColumnVector(d).addi(ig.mulRowVector(l2));

        scatterAddInto(g.userGrad(), g.users(), w, g.userIndex(), n, userUpdates);
        scatterAddInto(g.itemGrad(), g.items(), w, g.itemIndex(), n, itemUpdates);
    }

    private static void scatterAddInto(float[] grad, int rows, int w, int[] index, int n, INDArray updates) {
        INDArray ref = Nd4j.create(Arrays.copyOf(grad, rows * w), new long[]{rows, w}, 'c');
        INDArray idx = Nd4j.createFromArray(Arrays.copyOf(index, n));
        ScatterAdd op = new ScatterAdd(ref, idx, updates);
        // A batch hits the same row many times. Without the lock flag libnd4j splits the indices across its OpenMP
        // threads and concurrent adds to one row lose updates (seen on CI with OMP_NUM_THREADS set: predictions off by
        // 5e-2). Second flag: reject out-of-range indices instead of writing past the table.
        op.addBArgument(true, true);
        INDArray[] result = Nd4j.exec(op);
        INDArray summed = result != null && result.length > 0 && result[0] != null ? result[0] : ref;
        float[] values = summed.reshape(rows * (long) w).toFloatVector();
        System.arraycopy(values, 0, grad, 0, rows * w);
    }

    // dots() and backward() see the same parameters within one batch: gather once per batch generation.
    private INDArray gatherUsers(GatheredBatch g) {
        refresh(g);
        return cachedUsers;
    }

    private INDArray gatherItems(GatheredBatch g) {
        refresh(g);
        return cachedItems;
    }

    private void refresh(GatheredBatch g) {
        if (cachedFor != g || cachedGeneration != g.generation()) {
            cachedUsers = gather(g.userParams(), g.users(), g.width(), g.userIndex(), g.events());
            cachedItems = gather(g.itemParams(), g.items(), g.width(), g.itemIndex(), g.events());
            cachedFor = g;
            cachedGeneration = g.generation();
        }
    }

    private static INDArray gather(float[] packed, int rows, int w, int[] index, int n) {
        INDArray table = Nd4j.create(Arrays.copyOf(packed, rows * w), new long[]{rows, w}, 'c');
        // The native gather op: one call for the whole batch (pullRows loops row by row on the Java side).
        INDArray idx = Nd4j.createFromArray(Arrays.copyOf(index, n));
        return Nd4j.exec(new Gather(table, idx, 0))[0];
    }

    @Override
    public KernelKind kind() {
        return KernelKind.ND4J;
    }
}
