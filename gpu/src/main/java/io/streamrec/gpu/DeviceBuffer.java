package io.streamrec.gpu;

import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;

/**
 * One array in device memory (4-byte elements: float or int) with its host staging buffer. Grows by doubling and never
 * shrinks, so steady-state batches allocate nothing: the buffers stay resident between batches.
 */
public final class DeviceBuffer implements AutoCloseable {

    private final String name;
    private long device;
    private long capacity;
    private FloatPointer floats;
    private IntPointer ints;

    public DeviceBuffer(String name) {
        this.name = name;
    }

    /** The device address, valid until the next {@link #ensure} that grows the buffer. */
    public long address() {
        return device;
    }

    /** Makes room for {@code elements} elements; contents are lost when it grows. */
    public DeviceBuffer ensure(long elements) {
        long need = Math.max(1, elements);
        if (need > capacity) {
            long cap = Math.max(need, capacity * 2);
            free();
            long[] out = new long[1];
            CudaErrors.check(cudart.cuMemAlloc(out, cap * 4L), "cuMemAlloc(" + name + ", " + cap * 4L + " bytes)");
            device = out[0];
            capacity = cap;
        }
        return this;
    }

    public void upload(float[] src, int n) {
        ensure(n);
        if (n == 0) {
            return;
        }
        FloatPointer h = floatStaging(n);
        h.position(0).put(src, 0, n);
        copyIn(h, n);
    }

    public void upload(int[] src, int n) {
        ensure(n);
        if (n == 0) {
            return;
        }
        IntPointer h = intStaging(n);
        h.position(0).put(src, 0, n);
        copyIn(h, n);
    }

    public void download(float[] dst, int n) {
        if (n == 0) {
            return;
        }
        requireCapacity(n);
        FloatPointer h = floatStaging(n);
        CudaErrors.check(cudart.cuMemcpyDtoH(h.position(0), device, n * 4L), "cuMemcpyDtoH(" + name + ")");
        h.get(dst, 0, n);
    }

    public void zero(long n) {
        if (n > 0) {
            requireCapacity(n);
            CudaErrors.check(cudart.cuMemsetD32(device, 0, n), "cuMemsetD32(" + name + ")");
        }
    }

    private void copyIn(Pointer h, long n) {
        CudaErrors.check(cudart.cuMemcpyHtoD(device, h, n * 4L), "cuMemcpyHtoD(" + name + ")");
    }

    private void requireCapacity(long n) {
        if (n > capacity) {
            throw new IllegalStateException(name + ": " + n + " elements requested, " + capacity + " allocated");
        }
    }

    private FloatPointer floatStaging(long n) {
        if (floats == null || floats.capacity() < n) {
            if (floats != null) {
                floats.close();
            }
            floats = new FloatPointer(Math.max(n, capacity));
        }
        return floats;
    }

    private IntPointer intStaging(long n) {
        if (ints == null || ints.capacity() < n) {
            if (ints != null) {
                ints.close();
            }
            ints = new IntPointer(Math.max(n, capacity));
        }
        return ints;
    }

    private void free() {
        if (device != 0) {
            cudart.cuMemFree(device);
            device = 0;
            capacity = 0;
        }
    }

    @Override
    public void close() {
        free();
        if (floats != null) {
            floats.close();
        }
        if (ints != null) {
            ints.close();
        }
    }
}
