package io.streamrec.gpu;

import org.bytedeco.cuda.cudart.CUctx_st;
import org.bytedeco.cuda.global.cublas;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.cuda.global.nvrtc;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.SizeTPointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One GPU opened through the CUDA driver API: loads JavaCPP's CUDA bindings, initialises the driver, retains the
 * device's primary context (the one the CUDA runtime and so cuBLAS use too) and makes it current on the calling thread.
 * Every way of not having a GPU ends in a {@link GpuUnavailableException} that says what is missing.
 */
public final class CudaDevice implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CudaDevice.class);

    private static final int CUDA_ERROR_INSUFFICIENT_DRIVER = 35;
    private static final int CUDA_ERROR_STUB_LIBRARY = 34;
    private static final int CUDA_ERROR_NO_DEVICE = 100;

    private final DeviceInfo info;
    private final CUctx_st context;
    private boolean closed;

    private CudaDevice(DeviceInfo info, CUctx_st context) {
        this.info = info;
        this.context = context;
    }

    /** Opens device {@code ordinal} (0 unless CUDA_VISIBLE_DEVICES says otherwise). */
    public static CudaDevice open(int ordinal) {
        // The driver first: "no device" is the likelier news and needs only libcuda and libcudart to be told.
        loadBinding(cudart.class);
        int rc = cudart.cuInit(0);
        if (rc != cudart.CUDA_SUCCESS) {
            throw new GpuUnavailableException(explainInit(rc), null);
        }
        loadBinding(nvrtc.class);
        loadBinding(cublas.class);
        int[] count = new int[1];
        CudaErrors.check(cudart.cuDeviceGetCount(count), "cuDeviceGetCount");
        if (count[0] <= ordinal) {
            throw new GpuUnavailableException("--kernel gpu: the NVIDIA driver sees " + count[0] + " GPU(s), device " + ordinal
                    + " does not exist (check CUDA_VISIBLE_DEVICES)", null);
        }
        int[] dev = new int[1];
        CudaErrors.check(cudart.cuDeviceGet(dev, ordinal), "cuDeviceGet");
        DeviceInfo info = describe(dev[0], ordinal);
        if (info.major() * 10 + info.minor() < 75) {
            // CUDA 13 dropped Maxwell, Pascal and Volta; ND4J's CUDA 11.6 backend still runs them.
            throw new GpuUnavailableException("--kernel gpu: " + info + " is older than CUDA 13 supports (compute capability 7.5+); "
                    + "use --kernel nd4j with the -Pcuda build for it", null);
        }
        CUctx_st ctx = new CUctx_st();
        CudaErrors.check(cudart.cuDevicePrimaryCtxRetain(ctx, dev[0]), "cuDevicePrimaryCtxRetain");
        CudaErrors.check(cudart.cuCtxSetCurrent(ctx), "cuCtxSetCurrent");
        LOG.info("GPU kernel on {}", info);
        return new CudaDevice(info, ctx);
    }

    public DeviceInfo info() {
        return info;
    }

    /** Makes this device's context current on the calling thread: Flink may call open() and the batches on different threads. */
    public void makeCurrent() {
        if (closed) {
            throw new IllegalStateException("device closed");
        }
        CudaErrors.check(cudart.cuCtxSetCurrent(context), "cuCtxSetCurrent");
    }

    public void synchronize() {
        CudaErrors.check(cudart.cuCtxSynchronize(), "cuCtxSynchronize");
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            // Refcounted by the driver: other kernels in this process keep their context.
            cudart.cuDevicePrimaryCtxRelease(info.ordinal());
        }
    }

    /** Loads one JavaCPP binding; a linkage failure becomes a message naming the missing system libraries. */
    static void loadBinding(Class<?> binding) {
        // Which JavaCPP answered matters when ND4J's 1.5.7 is on the application class path (GpuKernelLoader isolates it).
        LOG.debug("JavaCPP from {} loads {}", Loader.class.getProtectionDomain().getCodeSource(), binding.getSimpleName());
        try {
            Loader.load(binding);
        } catch (LinkageError e) {
            throw new GpuUnavailableException(explainLinkage(e, CudaLibraryProbe.system()), e);
        }
    }

    /** The operator's message for a failed load of the CUDA bindings. */
    static String explainLinkage(Throwable e, CudaLibraryProbe probe) {
        String javacpp = rootMessage(e);
        Map<String, String> missing = probe.missing();
        if (!missing.isEmpty()) {
            String list = missing.entrySet().stream().map(m -> m.getKey() + " (" + m.getValue() + ")").collect(Collectors.joining(", "));
            return "--kernel gpu: no usable CUDA 13 installation on this machine: missing " + list + "; looked in "
                    + probe.folders().size() + " folders (LD_LIBRARY_PATH, ld.so.conf, /usr/local/cuda/lib64, ...). "
                    + "The GPU kernel needs an NVIDIA GPU, driver 580+ and the CUDA 13 libraries; use --kernel java on a CPU. "
                    + "(JavaCPP: " + javacpp + ")";
        }
        return "--kernel gpu: the CUDA 13 libraries are present but JavaCPP could not load its CUDA bindings: " + javacpp;
    }

    static String explainInit(int rc) {
        return switch (rc) {
            case CUDA_ERROR_NO_DEVICE -> "--kernel gpu: the NVIDIA driver is installed but reports no GPU (CUDA_ERROR_NO_DEVICE): "
                    + "none is visible to this process (check CUDA_VISIBLE_DEVICES, or the container's GPU access)";
            case CUDA_ERROR_INSUFFICIENT_DRIVER -> "--kernel gpu: the NVIDIA driver is older than CUDA 13 needs "
                    + "(CUDA_ERROR_INSUFFICIENT_DRIVER): install driver 580 or newer";
            case CUDA_ERROR_STUB_LIBRARY -> "--kernel gpu: libcuda.so.1 is the CUDA toolkit's stub, not a driver "
                    + "(CUDA_ERROR_STUB_LIBRARY): install the NVIDIA driver, or take the stubs folder off LD_LIBRARY_PATH";
            default -> "--kernel gpu: cuInit failed: " + CudaErrors.name(rc) + " (" + rc + ")";
        };
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    private static DeviceInfo describe(int dev, int ordinal) {
        byte[] name = new byte[256];
        CudaErrors.check(cudart.cuDeviceGetName(name, name.length, dev), "cuDeviceGetName");
        int len = 0;
        while (len < name.length && name[len] != 0) {
            len++;
        }
        int[] v = new int[1];
        CudaErrors.check(cudart.cuDeviceGetAttribute(v, cudart.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, dev), "cuDeviceGetAttribute");
        int major = v[0];
        CudaErrors.check(cudart.cuDeviceGetAttribute(v, cudart.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, dev), "cuDeviceGetAttribute");
        int minor = v[0];
        CudaErrors.check(cudart.cuDeviceGetAttribute(v, cudart.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT, dev), "cuDeviceGetAttribute");
        int sms = v[0];
        CudaErrors.check(cudart.cuDriverGetVersion(v), "cuDriverGetVersion");
        long total;
        try (SizeTPointer bytes = new SizeTPointer(1)) {
            CudaErrors.check(cudart.cuDeviceTotalMem(bytes, dev), "cuDeviceTotalMem");
            total = bytes.get();
        }
        return new DeviceInfo(ordinal, new String(name, 0, len, StandardCharsets.UTF_8), major, minor, total, sms, v[0]);
    }
}
