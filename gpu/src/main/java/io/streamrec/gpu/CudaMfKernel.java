package io.streamrec.gpu;

import io.streamrec.model.kernel.GatheredBatch;
import io.streamrec.model.kernel.KernelKind;
import io.streamrec.model.kernel.MfKernel;

import java.util.HashMap;
import java.util.Map;

/**
 * The MF batch arithmetic of {@link MfKernel} on a CUDA device. Per batch: the gathered rows and indices go up once
 * (dots and backward share them, keyed by the batch's generation), the dots come back, then dLoss goes up with the
 * per-row event segments (built on the CPU, {@link RowSegments}) and the summed per-row gradients come back for the
 * model's optimizer. Sums are deterministic and in the Java kernel's order (see {@link MfKernelSource}).
 * Device buffers stay allocated between batches; the rows themselves live in Flink state, not on the device, so they
 * are uploaded per batch. Kernels are compiled with NVRTC for the device's own arch on the first batch of each width.
 */
public final class CudaMfKernel implements MfKernel {

    private static final int BLOCK = 256;

    private final CudaDevice device;
    private final Map<Integer, CudaModule> modules = new HashMap<>();
    private final RowSegments userSegments = new RowSegments();
    private final RowSegments itemSegments = new RowSegments();
    private final DeviceBuffer userParams = new DeviceBuffer("userParams");
    private final DeviceBuffer itemParams = new DeviceBuffer("itemParams");
    private final DeviceBuffer userIndex = new DeviceBuffer("userIndex");
    private final DeviceBuffer itemIndex = new DeviceBuffer("itemIndex");
    private final DeviceBuffer dots = new DeviceBuffer("dots");
    private final DeviceBuffer dLoss = new DeviceBuffer("dLoss");
    private final DeviceBuffer userStart = new DeviceBuffer("userSegStart");
    private final DeviceBuffer userEvents = new DeviceBuffer("userSegEvents");
    private final DeviceBuffer itemStart = new DeviceBuffer("itemSegStart");
    private final DeviceBuffer itemEvents = new DeviceBuffer("itemSegEvents");
    private final DeviceBuffer userGrad = new DeviceBuffer("userGrad");
    private final DeviceBuffer itemGrad = new DeviceBuffer("itemGrad");
    private float[] hostGrad = new float[0];
    private GatheredBatch uploadedFor;
    private long uploadedGeneration = -1;

    /** Opens device 0; throws {@link GpuUnavailableException} (what is missing) when there is none. */
    public CudaMfKernel() {
        this(CudaDevice.open(0));
    }

    public CudaMfKernel(CudaDevice device) {
        this.device = device;
    }

    public DeviceInfo deviceInfo() {
        return device.info();
    }

    @Override
    public void dots(GatheredBatch g, float[] out) {
        int n = g.events();
        if (n == 0) {
            return;
        }
        device.makeCurrent();
        CudaModule m = module(g.width());
        upload(g);
        m.launch("mf_dots", n, BLOCK, userParams.address(), itemParams.address(), userIndex.address(), itemIndex.address(),
                dots.ensure(n).address(), n);
        dots.download(out, n);
    }

    @Override
    public void backward(GatheredBatch g, float[] dLossHost, float l2Bias, float l2Factors) {
        int n = g.events();
        if (n == 0) {
            return;
        }
        device.makeCurrent();
        int w = g.width();
        CudaModule m = module(w);
        upload(g);
        dLoss.upload(dLossHost, n);
        userSegments.build(g.userIndex(), n, g.users());
        itemSegments.build(g.itemIndex(), n, g.items());
        userStart.upload(userSegments.start(), g.users() + 1);
        userEvents.upload(userSegments.events(), n);
        itemStart.upload(itemSegments.start(), g.items() + 1);
        itemEvents.upload(itemSegments.events(), n);
        int nu = g.users() * w;
        int ni = g.items() * w;
        m.launch("mf_row_grad", nu, BLOCK, userParams.address(), itemParams.address(), itemIndex.address(), userStart.address(),
                userEvents.address(), dLoss.address(), userGrad.ensure(nu).address(), g.users(), l2Bias, l2Factors);
        m.launch("mf_row_grad", ni, BLOCK, itemParams.address(), userParams.address(), userIndex.address(), itemStart.address(),
                itemEvents.address(), dLoss.address(), itemGrad.ensure(ni).address(), g.items(), l2Bias, l2Factors);
        addInto(userGrad, g.userGrad(), nu);
        addInto(itemGrad, g.itemGrad(), ni);
    }

    /** The interface accumulates: add the device's sums into what the buffers hold (zeros after a reset, so exact). */
    private void addInto(DeviceBuffer src, float[] dst, int count) {
        if (hostGrad.length < count) {
            hostGrad = new float[Math.max(count, hostGrad.length * 2)];
        }
        src.download(hostGrad, count);
        for (int x = 0; x < count; x++) {
            dst[x] += hostGrad[x];
        }
    }

    private void upload(GatheredBatch g) {
        if (uploadedFor == g && uploadedGeneration == g.generation()) {
            return; // dots() already sent this batch's rows; the model does not change them before backward()
        }
        int w = g.width();
        userParams.upload(g.userParams(), g.users() * w);
        itemParams.upload(g.itemParams(), g.items() * w);
        userIndex.upload(g.userIndex(), g.events());
        itemIndex.upload(g.itemIndex(), g.events());
        uploadedFor = g;
        uploadedGeneration = g.generation();
    }

    /** The compiled MF module for this row width (compiled once per width for the device's arch). */
    CudaModule module(int width) {
        return modules.computeIfAbsent(width, w -> new CudaModule(
                NvrtcCompiler.compileToCubin(MfKernelSource.generate(w), "streamrec_mf_w" + w + ".cu", device.info().arch())));
    }

    CudaDevice device() {
        return device;
    }

    @Override
    public KernelKind kind() {
        return KernelKind.GPU;
    }

    @Override
    public void close() {
        for (CudaModule m : modules.values()) {
            m.close();
        }
        modules.clear();
        for (DeviceBuffer b : new DeviceBuffer[]{userParams, itemParams, userIndex, itemIndex, dots, dLoss, userStart, userEvents,
                itemStart, itemEvents, userGrad, itemGrad}) {
            b.close();
        }
        device.close();
    }
}
