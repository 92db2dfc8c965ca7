package io.streamrec.model.kernel;

/**
 * Creates kernels. The ND4J class is only loaded (and the native backend only started) when ND4J is asked for; the
 * GPU kernel lives in another module and is found by {@link GpuKernelLoader} only when GPU is asked for.
 */
public final class MfKernels {

    private MfKernels() {
    }

    public static MfKernel create(KernelKind kind) {
        return switch (kind) {
            case JAVA -> new JavaMfKernel();
            case ND4J -> newNd4j();
            case GPU -> GpuKernelLoader.fromEnvironment().create();
        };
    }

    private static MfKernel newNd4j() {
        try {
            // Reflection keeps ND4J out of the Java path's class resolution entirely.
            return (MfKernel) Class.forName("io.streamrec.model.kernel.Nd4jMfKernel").getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalStateException("ND4J kernel is not available (is an nd4j backend on the classpath?): " + e, e);
        }
    }
}
