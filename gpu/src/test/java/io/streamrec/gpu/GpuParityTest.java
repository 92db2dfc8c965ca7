package io.streamrec.gpu;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** GPU against the Java kernels on seeded batches (GpuParityChecks); skips where no GPU is usable. */
class GpuParityTest {

    @Test
    void everyParityCheckPasses() {
        CudaDevice device;
        try {
            device = CudaDevice.open(0);
        } catch (GpuUnavailableException e) {
            Assumptions.abort("no GPU here: " + e.getMessage());
            return;
        }
        try (device) {
            List<CheckResult> results = GpuParityChecks.runAll(device);
            assertThat(results).hasSizeGreaterThan(10);
            assertThat(results.stream().filter(r -> !r.passed()).map(CheckResult::toString).toList()).isEmpty();
        }
    }
}
