package io.streamrec.gpu;

import io.streamrec.model.kernel.KernelKind;
import io.streamrec.model.kernel.MfKernels;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The loader's error path: what an operator reads when --kernel gpu meets a machine without a GPU. */
class GpuUnavailableTest {

    @TempDir
    Path dir;

    @Test
    void probeNamesExactlyTheAbsentLibraries() throws Exception {
        Path a = Files.createDirectory(dir.resolve("a"));
        Path b = Files.createDirectory(dir.resolve("b"));
        Files.createFile(a.resolve("libcudart.so.13"));
        Files.createFile(b.resolve("libcublas.so.13"));
        Files.createFile(b.resolve("libcublasLt.so.13"));
        CudaLibraryProbe probe = new CudaLibraryProbe(List.of(a, b));
        assertThat(probe.missing()).containsOnlyKeys("libcuda.so.1", "libnvrtc.so.13");
        assertThat(probe.find("libcublas.so.13")).isEqualTo(b.resolve("libcublas.so.13"));
    }

    @Test
    void linkageMessageSaysWhatIsMissingAndWhatToDo() {
        CudaLibraryProbe probe = new CudaLibraryProbe(List.of(dir));
        String msg = CudaDevice.explainLinkage(new UnsatisfiedLinkError("no jnicudart in java.library.path"), probe);
        assertThat(msg).startsWith("--kernel gpu:").contains("libcuda.so.1 (the NVIDIA driver", "libnvrtc.so.13", "driver 580",
                "--kernel java", "no jnicudart");
    }

    @Test
    void driverWithoutDeviceIsExplained() {
        assertThat(CudaDevice.explainInit(100)).contains("CUDA_ERROR_NO_DEVICE", "CUDA_VISIBLE_DEVICES");
        assertThat(CudaDevice.explainInit(35)).contains("580");
    }

    /** On a machine without the NVIDIA driver (this one): the real load fails, with the message, not a linkage error. */
    @Test
    void kernelGpuFailsAtStartWithTheMessageWhereNoDriverExists() {
        Assumptions.assumeTrue(CudaLibraryProbe.system().find("libcuda.so.1") == null, "this machine has an NVIDIA driver");
        assertThatThrownBy(CudaMfKernel::new).isInstanceOf(GpuUnavailableException.class)
                .hasMessageContaining("libcuda.so.1").hasMessageStartingWith("--kernel gpu:");
        // Through the model's factory, as BiasedMf and the CLI reach it: the same explanation, still an IllegalStateException.
        assertThatThrownBy(() -> MfKernels.create(KernelKind.GPU)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("libcuda.so.1");
    }
}
