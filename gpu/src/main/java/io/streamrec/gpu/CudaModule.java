package io.streamrec.gpu;

import org.bytedeco.cuda.cudart.CUfunc_st;
import org.bytedeco.cuda.cudart.CUmod_st;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.PointerScope;

import java.util.HashMap;
import java.util.Map;

/** A loaded CUBIN and launches of its {@code extern "C"} kernels on the default stream. */
public final class CudaModule implements AutoCloseable {

    private final CUmod_st module = new CUmod_st();
    private final Map<String, CUfunc_st> functions = new HashMap<>();
    private boolean closed;

    public CudaModule(byte[] cubin) {
        try (BytePointer image = new BytePointer(cubin)) {
            CudaErrors.check(cudart.cuModuleLoadData(module, image), "cuModuleLoadData");
        }
    }

    /**
     * Launches {@code kernel} over a 1-D grid covering {@code threads} threads. Arguments: {@link Long} for a device
     * pointer, {@link Integer}, {@link Float}, in the kernel's parameter order.
     */
    public void launch(String kernel, long threads, int block, Object... args) {
        if (threads <= 0) {
            return;
        }
        long blocks = (threads + block - 1) / block;
        if (blocks > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(kernel + ": " + threads + " threads do not fit one grid");
        }
        CUfunc_st f = function(kernel);
        // The argument boxes live only for this call: the driver copies kernel parameters at launch.
        try (PointerScope scope = new PointerScope()) {
            Pointer[] boxes = new Pointer[args.length];
            for (int i = 0; i < args.length; i++) {
                boxes[i] = box(args[i]);
            }
            PointerPointer<Pointer> params = new PointerPointer<>(boxes);
            CudaErrors.check(cudart.cuLaunchKernel(f, (int) blocks, 1, 1, block, 1, 1, 0, (CUstream_st) null, params,
                    (PointerPointer<?>) null), "cuLaunchKernel(" + kernel + ")");
        }
    }

    private CUfunc_st function(String name) {
        CUfunc_st f = functions.get(name);
        if (f == null) {
            f = new CUfunc_st();
            CudaErrors.check(cudart.cuModuleGetFunction(f, module, name), "cuModuleGetFunction(" + name + ")");
            functions.put(name, f);
        }
        return f;
    }

    private static Pointer box(Object arg) {
        if (arg instanceof Long l) {
            return new LongPointer(1).put(l);
        }
        if (arg instanceof Integer i) {
            return new IntPointer(1).put(i);
        }
        if (arg instanceof Float x) {
            return new FloatPointer(1).put(x);
        }
        throw new IllegalArgumentException("unsupported kernel argument " + arg);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            cudart.cuModuleUnload(module);
        }
    }
}
