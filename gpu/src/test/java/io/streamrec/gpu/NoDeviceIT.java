package io.streamrec.gpu;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The "driver present, no GPU" path through the real JNI bindings, where the CUDA 13 runtime is installed but no driver
 * is: a stand-in libcuda.so.1 (compiled here with gcc) whose cuInit answers CUDA_ERROR_NO_DEVICE, next to the system's
 * libcudart.so.13. A child JVM runs the device check's main, which must explain and exit 2. Also shows that the 13.1
 * presets' JNI library loads against the installed runtime (13.0 here, as on the GPU machine). Skips without gcc or
 * libcudart.so.13, or where a real driver exists.
 */
class NoDeviceIT {

    @TempDir
    Path dir;

    @Test
    void deviceCheckExplainsADriverWithoutDevicesAndExits2() throws Exception {
        Path cudart = CudaLibraryProbe.system().find("libcudart.so.13");
        Assumptions.assumeTrue(cudart != null, "no libcudart.so.13 here");
        Assumptions.assumeTrue(CudaLibraryProbe.system().find("libcuda.so.1") == null, "a real driver is installed");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/gcc")), "no gcc here");
        Path src = dir.resolve("fake.c");
        Files.writeString(src, """
                int cuInit(unsigned int flags) { return 100; }
                int cuGetErrorName(int e, const char **s) { *s = "CUDA_ERROR_NO_DEVICE"; return 0; }
                """);
        Path lib = dir.resolve("libcuda.so.1");
        Process cc = new ProcessBuilder("/usr/bin/gcc", "-shared", "-fPIC", "-Wl,-soname,libcuda.so.1", "-o", lib.toString(), src.toString())
                .redirectErrorStream(true).start();
        assertThat(cc.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(cc.exitValue()).isZero();

        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(List.of(java.toString(), "-Xmx512m", "-Dorg.bytedeco.javacpp.cachedir=" + dir.resolve("cache"),
                "-cp", System.getProperty("java.class.path"), DeviceCheck.class.getName())).redirectErrorStream(true);
        pb.environment().put("LD_LIBRARY_PATH", dir + ":" + cudart.getParent());
        Process p = pb.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(out).contains("PASS host: row segments", "no GPU: --kernel gpu: the NVIDIA driver is installed but reports no GPU",
                "CUDA_ERROR_NO_DEVICE");
        assertThat(p.exitValue()).as(out).isEqualTo(2);
    }
}
