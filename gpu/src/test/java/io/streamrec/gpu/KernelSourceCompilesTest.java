package io.streamrec.gpu;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Compiles the generated CUDA C for Hopper (sm_90) with the CUDA toolkit's nvcc where one is installed (it needs no GPU):
 * the same front end as NVRTC, so a syntax or type error in a generated kernel shows here and not first on the device.
 * Skips where no nvcc exists.
 */
class KernelSourceCompilesTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(ints = {1, 33, 129, 0})
    void generatedSourceCompilesToCubinForSm90(int width) throws Exception {
        Path nvcc = nvcc();
        Assumptions.assumeTrue(nvcc != null, "no nvcc on this machine");
        // width 0 stands for the dense helpers
        String src = width == 0 ? DenseKernelSource.generate() : MfKernelSource.generate(width);
        Path cu = dir.resolve("k" + width + ".cu");
        Files.writeString(cu, src);
        Path cubin = dir.resolve("k" + width + ".cubin");
        Process p = new ProcessBuilder(nvcc.toString(), "-cubin", "-arch=sm_90", "--fmad=false", "-o", cubin.toString(), cu.toString())
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(log).isZero();
        assertThat(Files.size(cubin)).isPositive();
        // Every kernel is exported under its C name (extern "C"), which is what cuModuleGetFunction looks up.
        byte[] image = Files.readAllBytes(cubin);
        String text = new String(image, StandardCharsets.ISO_8859_1);
        for (String k : width == 0 ? DenseKernelSource.KERNELS : MfKernelSource.KERNELS) {
            assertThat(text).contains(k);
        }
    }

    /**
     * The parity claim (the device performs the Java kernel's float operations exactly) rests on --fmad=false: PTX must
     * hold no fused multiply-add and only explicitly rounded (.rn) mul/add/sub, which ptxas may not contract either.
     * The same source with --fmad=true does contract, so this check can tell the two apart.
     */
    @org.junit.jupiter.api.Test
    void withoutContractionThePtxHasOnlyRoundedMultipliesAndAdds() throws Exception {
        Path nvcc = nvcc();
        Assumptions.assumeTrue(nvcc != null, "no nvcc on this machine");
        String exact = ptx(nvcc, MfKernelSource.generate(33), "--fmad=false");
        assertThat(exact).doesNotContain("fma.").contains("mul.rn.f32", "add.rn.f32")
                .doesNotContainPattern("(mul|add|sub)\\.f32");
        String fused = ptx(nvcc, MfKernelSource.generate(33), "--fmad=true");
        assertThat(fused).contains("fma.rn.f32");
    }

    private String ptx(Path nvcc, String src, String fmad) throws Exception {
        Path cu = dir.resolve("p" + fmad.hashCode() + ".cu");
        Files.writeString(cu, src);
        Path out = dir.resolve("p" + fmad.hashCode() + ".ptx");
        Process p = new ProcessBuilder(nvcc.toString(), "-ptx", "-arch=sm_90", fmad, "-o", out.toString(), cu.toString())
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(log).isZero();
        return Files.readString(out);
    }

    private static Path nvcc() throws IOException {
        for (String c : List.of("/usr/local/cuda/bin/nvcc", "/usr/local/bin/nvcc", "/usr/bin/nvcc")) {
            Path p = Path.of(c);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
