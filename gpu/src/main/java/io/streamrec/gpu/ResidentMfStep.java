package io.streamrec.gpu;

/**
 * A plain-SGD MF batch step with the user and item tables resident on the device: dots, dLoss (linear output around
 * μ), per-row gradients over CSR segments, then θ −= lr·∂θ, all without a host round trip. The throughput benchmark
 * runs this to measure what the device does per batch once rows stay on it; the trainer today keeps rows in Flink
 * state and uses {@link CudaMfKernel}. Every table row is a segment (rows untouched by a batch have empty segments and
 * get only their L2 term, exactly as {@link io.streamrec.model.kernel.JavaMfKernel} over the same packed tables).
 */
public final class ResidentMfStep implements AutoCloseable {

    private static final int BLOCK = 256;

    private final CudaMfKernel kernel;
    private final int width;
    private final int users;
    private final int items;
    private final DeviceBuffer userTable = new DeviceBuffer("userTable");
    private final DeviceBuffer itemTable = new DeviceBuffer("itemTable");
    private final DeviceBuffer ui = new DeviceBuffer("ui");
    private final DeviceBuffer ii = new DeviceBuffer("ii");
    private final DeviceBuffer ratings = new DeviceBuffer("ratings");
    private final DeviceBuffer dots = new DeviceBuffer("dots");
    private final DeviceBuffer dLoss = new DeviceBuffer("dLoss");
    private final DeviceBuffer userStart = new DeviceBuffer("userStart");
    private final DeviceBuffer userEvents = new DeviceBuffer("userEvents");
    private final DeviceBuffer itemStart = new DeviceBuffer("itemStart");
    private final DeviceBuffer itemEvents = new DeviceBuffer("itemEvents");
    private final DeviceBuffer userGrad = new DeviceBuffer("userGrad");
    private final DeviceBuffer itemGrad = new DeviceBuffer("itemGrad");
    private int events;

    /** Uploads the tables ({@code users × width}, {@code items × width} packed floats). */
    public ResidentMfStep(CudaMfKernel kernel, float[] userRows, int users, float[] itemRows, int items, int width) {
        this.kernel = kernel;
        this.width = width;
        this.users = users;
        this.items = items;
        kernel.device().makeCurrent();
        userTable.upload(userRows, users * width);
        itemTable.upload(itemRows, items * width);
        userGrad.ensure((long) users * width);
        itemGrad.ensure((long) items * width);
    }

    /** Sends one batch's events (and their segments, built here on the CPU) to the device, where it stays for {@link #step}. */
    public void loadBatch(int[] userOfEvent, int[] itemOfEvent, float[] rating, int n) {
        kernel.device().makeCurrent();
        RowSegments us = new RowSegments().build(userOfEvent, n, users);
        RowSegments is = new RowSegments().build(itemOfEvent, n, items);
        ui.upload(userOfEvent, n);
        ii.upload(itemOfEvent, n);
        ratings.upload(rating, n);
        dots.ensure(n);
        dLoss.ensure(n);
        userStart.upload(us.start(), users + 1);
        userEvents.upload(us.events(), n);
        itemStart.upload(is.start(), items + 1);
        itemEvents.upload(is.events(), n);
        this.events = n;
    }

    /** One SGD step over the loaded batch (asynchronous: call {@link #synchronize} before timing or reading). */
    public void step(float mean, float lrBias, float lrFactors, float l2Bias, float l2Factors) {
        CudaModule m = kernel.module(width);
        int n = events;
        m.launch("mf_dots", n, BLOCK, userTable.address(), itemTable.address(), ui.address(), ii.address(), dots.address(), n);
        m.launch("mf_dloss", n, BLOCK, userTable.address(), itemTable.address(), ui.address(), ii.address(), dots.address(),
                ratings.address(), mean, dLoss.address(), n);
        m.launch("mf_row_grad", (long) users * width, BLOCK, userTable.address(), itemTable.address(), ii.address(),
                userStart.address(), userEvents.address(), dLoss.address(), userGrad.address(), users, l2Bias, l2Factors);
        m.launch("mf_row_grad", (long) items * width, BLOCK, itemTable.address(), userTable.address(), ui.address(),
                itemStart.address(), itemEvents.address(), dLoss.address(), itemGrad.address(), items, l2Bias, l2Factors);
        m.launch("mf_sgd", (long) users * width, BLOCK, userTable.address(), userGrad.address(), users, lrBias, lrFactors);
        m.launch("mf_sgd", (long) items * width, BLOCK, itemTable.address(), itemGrad.address(), items, lrBias, lrFactors);
    }

    public void synchronize() {
        kernel.device().synchronize();
    }

    public void downloadTables(float[] userRows, float[] itemRows) {
        kernel.device().makeCurrent();
        userTable.download(userRows, users * width);
        itemTable.download(itemRows, items * width);
    }

    @Override
    public void close() {
        for (DeviceBuffer b : new DeviceBuffer[]{userTable, itemTable, ui, ii, ratings, dots, dLoss, userStart, userEvents, itemStart,
                itemEvents, userGrad, itemGrad}) {
            b.close();
        }
    }
}
