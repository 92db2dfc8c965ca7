package io.streamrec.gpu;

import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;

/** Turns CUDA driver and cuBLAS status codes into exceptions that name the call and the error. */
final class CudaErrors {

    private CudaErrors() {
    }

    /** Throws unless {@code rc} is CUDA_SUCCESS. */
    static void check(int rc, String call) {
        if (rc != cudart.CUDA_SUCCESS) {
            throw new IllegalStateException(call + " failed: " + name(rc) + " (" + rc + ")");
        }
    }

    static void checkCublas(int rc, String call) {
        if (rc != 0) { // CUBLAS_STATUS_SUCCESS
            throw new IllegalStateException(call + " failed: cuBLAS status " + rc);
        }
    }

    static String name(int rc) {
        try (PointerPointer<BytePointer> out = new PointerPointer<>(1)) {
            if (cudart.cuGetErrorName(rc, out) == cudart.CUDA_SUCCESS && out.get(0) != null) {
                return new BytePointer(out.get(0)).getString();
            }
        }
        return "CUDA error";
    }
}
