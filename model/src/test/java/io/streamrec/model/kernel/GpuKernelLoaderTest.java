package io.streamrec.model.kernel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** --kernel gpu where the gpu module is absent or broken: a message that says how to get it, never a linkage error. */
class GpuKernelLoaderTest {

    @TempDir
    Path dir;

    @Test
    void withoutTheModuleSaysHowToBuildIt() {
        assertThatThrownBy(() -> new GpuKernelLoader(null).create()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("./mvnw -pl gpu -am package").hasMessageContaining(GpuKernelLoader.LIB_ENV);
    }

    @Test
    void aMissingFolderIsNamed() {
        Path missing = dir.resolve("nope");
        assertThatThrownBy(() -> new GpuKernelLoader(missing).create()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(missing.toString()).hasMessageContaining("does not exist");
    }

    @Test
    void aFolderWithoutJarsIsNamed() {
        assertThatThrownBy(() -> new GpuKernelLoader(dir).create()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("holds no jars");
    }

    @Test
    void jarsWithoutTheKernelAreNamed() throws Exception {
        try (OutputStream out = Files.newOutputStream(dir.resolve("other.jar")); JarOutputStream jar = new JarOutputStream(out)) {
            jar.putNextEntry(new JarEntry("readme.txt"));
            jar.write("not the gpu module".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            jar.closeEntry();
        }
        assertThatThrownBy(() -> new GpuKernelLoader(dir).create()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("holds no " + GpuKernelLoader.KERNEL_CLASS);
    }

    @Test
    void gpuParsesAndRunsWholeBatches() {
        assertThat(KernelKind.parse(" GPU ")).isEqualTo(KernelKind.GPU);
        assertThat(KernelKind.GPU.wholeBatchOnly()).isTrue();
        assertThat(KernelKind.JAVA.wholeBatchOnly()).isFalse();
        assertThatThrownBy(() -> KernelKind.parse("cuda")).hasMessageContaining("java, nd4j or gpu");
    }
}
