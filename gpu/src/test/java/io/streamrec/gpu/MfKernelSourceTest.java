package io.streamrec.gpu;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MfKernelSourceTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 9, 33, 129})
    void bakesTheRowWidthInAndDeclaresEveryKernel(int width) {
        String src = MfKernelSource.generate(width);
        assertThat(src).contains("#define W " + width + "\n");
        for (String k : MfKernelSource.KERNELS) {
            assertThat(src).contains("extern \"C\" __global__ void " + k + "(");
        }
        assertBalanced(src);
        // NVRTC on the device machine has no toolkit headers.
        assertThat(src).doesNotContain("#include");
    }

    @Test
    void rejectsAWidthWithoutABias() {
        assertThatThrownBy(() -> MfKernelSource.generate(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void denseSourceDeclaresEveryKernel() {
        String src = DenseKernelSource.generate();
        for (String k : DenseKernelSource.KERNELS) {
            assertThat(src).contains("extern \"C\" __global__ void " + k + "(");
        }
        assertBalanced(src);
        assertThat(src).doesNotContain("#include");
    }

    @Test
    void nvrtcOptionsTargetTheGivenArchWithoutContraction() {
        assertThat(NvrtcCompiler.options("sm_90")).contains("--gpu-architecture=sm_90", "--fmad=false");
        assertThatThrownBy(() -> NvrtcCompiler.options("compute_90; rm -rf")).isInstanceOf(IllegalArgumentException.class);
    }

    static void assertBalanced(String src) {
        int braces = 0;
        int parens = 0;
        for (char c : src.toCharArray()) {
            braces += c == '{' ? 1 : c == '}' ? -1 : 0;
            parens += c == '(' ? 1 : c == ')' ? -1 : 0;
            assertThat(braces).isGreaterThanOrEqualTo(0);
            assertThat(parens).isGreaterThanOrEqualTo(0);
        }
        assertThat(braces).isZero();
        assertThat(parens).isZero();
    }
}
