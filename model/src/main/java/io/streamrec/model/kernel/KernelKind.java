package io.streamrec.model.kernel;

import java.util.Locale;

/** Which compute kernel runs the batch arithmetic. */
public enum KernelKind {
    /** Plain {@code float[]} loops: the CPU fast path, no native start-up. */
    JAVA,
    /** ND4J: the path for the ND4J CUDA backend (Maven profile {@code -Pcuda}); loaded only when selected. */
    ND4J,
    /**
     * CUDA 13 kernels compiled at run time with NVRTC (module {@code gpu}, JavaCPP's cuda presets): the route that runs
     * on Hopper. Loaded through {@link GpuKernelLoader} only when selected, so its JavaCPP never meets ND4J's.
     */
    GPU;

    public static KernelKind parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown kernel '" + text + "', expected java, nd4j or gpu", e);
        }
    }

    /** Kernels that sum a batch's gradients per row and step once per batch (they cannot run event by event). */
    public boolean wholeBatchOnly() {
        return this != JAVA;
    }
}
