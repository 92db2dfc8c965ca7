package io.streamrec.gpu;

import org.bytedeco.cuda.nvrtc._nvrtcProgram;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.SizeTPointer;

import java.util.List;

import static org.bytedeco.cuda.global.nvrtc.NVRTC_SUCCESS;
import static org.bytedeco.cuda.global.nvrtc.nvrtcCompileProgram;
import static org.bytedeco.cuda.global.nvrtc.nvrtcCreateProgram;
import static org.bytedeco.cuda.global.nvrtc.nvrtcDestroyProgram;
import static org.bytedeco.cuda.global.nvrtc.nvrtcGetCUBIN;
import static org.bytedeco.cuda.global.nvrtc.nvrtcGetCUBINSize;
import static org.bytedeco.cuda.global.nvrtc.nvrtcGetErrorString;
import static org.bytedeco.cuda.global.nvrtc.nvrtcGetProgramLog;
import static org.bytedeco.cuda.global.nvrtc.nvrtcGetProgramLogSize;

/**
 * Compiles CUDA C to a CUBIN for one architecture with NVRTC. A CUBIN for the device's own {@code sm_XY} needs no PTX
 * JIT at load time, and is exactly what ND4J's CUDA 11.6 build lacks for Hopper.
 */
public final class NvrtcCompiler {

    private NvrtcCompiler() {
    }

    /**
     * The options every kernel here is compiled with. {@code --fmad=false}: no multiply-add contraction, so each
     * {@code a * b + c} rounds twice exactly as Java's float arithmetic does, and the MF kernel reproduces the Java
     * kernel's sums bit for bit (measured parity then means the same arithmetic, not "close").
     */
    public static List<String> options(String arch) {
        if (!arch.matches("sm_\\d{2,3}a?")) {
            throw new IllegalArgumentException("not an NVRTC architecture: " + arch);
        }
        return List.of("--gpu-architecture=" + arch, "--fmad=false", "--std=c++17", "-default-device");
    }

    /** The CUBIN image; throws with NVRTC's log when the source does not compile. */
    public static byte[] compileToCubin(String source, String name, String arch) {
        List<String> opts = options(arch);
        _nvrtcProgram program = new _nvrtcProgram();
        check(nvrtcCreateProgram(program, new BytePointer(source), new BytePointer(name), 0, (PointerPointer<?>) null,
                (PointerPointer<?>) null), "nvrtcCreateProgram");
        try {
            int rc;
            try (PointerPointer<BytePointer> o = new PointerPointer<>(opts.toArray(String[]::new))) {
                rc = nvrtcCompileProgram(program, opts.size(), o);
            }
            if (rc != NVRTC_SUCCESS) {
                throw new IllegalStateException("NVRTC could not compile " + name + " for " + arch + ": "
                        + nvrtcGetErrorString(rc).getString() + "\n" + log(program));
            }
            try (SizeTPointer size = new SizeTPointer(1)) {
                check(nvrtcGetCUBINSize(program, size), "nvrtcGetCUBINSize");
                byte[] cubin = new byte[(int) size.get()];
                check(nvrtcGetCUBIN(program, cubin), "nvrtcGetCUBIN");
                return cubin;
            }
        } finally {
            nvrtcDestroyProgram(program);
        }
    }

    private static String log(_nvrtcProgram program) {
        try (SizeTPointer size = new SizeTPointer(1)) {
            if (nvrtcGetProgramLogSize(program, size) != NVRTC_SUCCESS || size.get() <= 1) {
                return "";
            }
            byte[] log = new byte[(int) size.get()];
            nvrtcGetProgramLog(program, log);
            return new String(log, 0, log.length - 1, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private static void check(int rc, String call) {
        if (rc != NVRTC_SUCCESS) {
            throw new IllegalStateException(call + " failed: " + nvrtcGetErrorString(rc).getString());
        }
    }
}
