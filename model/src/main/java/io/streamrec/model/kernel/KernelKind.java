package io.streamrec.model.kernel;

import java.util.Locale;

/** Which compute kernel runs the batch arithmetic. */
public enum KernelKind {
    /** Plain {@code float[]} loops: the CPU fast path, no native start-up. */
    JAVA,
    /** ND4J: the path for the ND4J CUDA backend (Maven profile {@code -Pcuda}); loaded only when selected. */
    ND4J;

    public static KernelKind parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown kernel '" + text + "', expected java or nd4j", e);
        }
    }
}
