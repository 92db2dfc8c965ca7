package io.streamrec.model.kernel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds and instantiates the GPU kernel ({@code io.streamrec.gpu.CudaMfKernel}, module {@code gpu}) only when
 * {@code --kernel gpu} is selected. The model does not depend on that module: its JavaCPP (1.5.13, for the CUDA 13
 * presets) would not converge with ND4J's (1.5.7). Either the kernel is already on the class path (the device-check
 * bundle, the gpu module's own tests), or its jars sit in a folder ({@code gpu/target/gpu-lib}, written by
 * {@code ./mvnw -pl gpu -am package}) that is loaded through a {@link ChildFirstClassLoader}.
 *
 * @param libDir the folder of the gpu module's jars, or null when none was configured or found
 */
public record GpuKernelLoader(Path libDir) {

    /** The GPU kernel's class: a public no-argument constructor that fails with a message when no GPU is usable. */
    public static final String KERNEL_CLASS = "io.streamrec.gpu.CudaMfKernel";
    public static final String LIB_PROPERTY = "streamrec.gpu.lib";
    public static final String LIB_ENV = "STREAMREC_GPU_LIB";
    /** Where {@code ./mvnw -pl gpu -am package} puts the module's jar and its CUDA dependencies. */
    public static final Path DEFAULT_LIB = Path.of("gpu", "target", "gpu-lib");

    private static final List<String> CHILD_FIRST = List.of("org.bytedeco.", "io.streamrec.gpu.");
    /**
     * One loader per folder per JVM: a JNI library can be bound to one class loader only, so a second loader (a second
     * model instance, parallelism 2 in one MiniCluster) would fail to load JavaCPP's CUDA libraries again.
     */
    private static final java.util.concurrent.ConcurrentMap<Path, ClassLoader> LOADERS = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The folder named by {@value #LIB_PROPERTY} or {@value #LIB_ENV}, else {@link #DEFAULT_LIB} under STREAMREC_HOME (set
     * by the {@code streamrec} launcher) or under the working directory, whichever exists.
     */
    public static GpuKernelLoader fromEnvironment() {
        String configured = System.getProperty(LIB_PROPERTY);
        if (configured == null || configured.isBlank()) {
            configured = System.getenv(LIB_ENV);
        }
        if (configured != null && !configured.isBlank()) {
            return new GpuKernelLoader(Path.of(configured));
        }
        String home = System.getenv("STREAMREC_HOME");
        if (home != null && !home.isBlank() && Files.isDirectory(Path.of(home).resolve(DEFAULT_LIB))) {
            return new GpuKernelLoader(Path.of(home).resolve(DEFAULT_LIB));
        }
        return new GpuKernelLoader(Files.isDirectory(DEFAULT_LIB) ? DEFAULT_LIB : null);
    }

    /**
     * A started GPU kernel. Throws {@link IllegalStateException} whose message says what is missing (the module's jars,
     * the NVIDIA driver, a CUDA 13 library, a device) rather than a linkage stack trace.
     */
    public MfKernel create() {
        Class<?> kernelClass = findKernelClass();
        try {
            return (MfKernel) kernelClass.getConstructor().newInstance();
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IllegalStateException ise) {
                throw ise; // the kernel's own explanation of what is missing
            }
            throw new IllegalStateException("the GPU kernel failed to start: " + cause, cause);
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalStateException("the GPU kernel failed to start: " + e, e);
        }
    }

    private Class<?> findKernelClass() {
        try {
            return Class.forName(KERNEL_CLASS, true, GpuKernelLoader.class.getClassLoader());
        } catch (ClassNotFoundException notOnClassPath) {
            // expected outside the bundle: look for the module's folder below
        }
        if (libDir == null) {
            throw new IllegalStateException("--kernel gpu needs the gpu module, which is not on the class path: build it with "
                    + "`./mvnw -pl gpu -am package` (it writes " + DEFAULT_LIB + ") and run from the repository root, or point -D"
                    + LIB_PROPERTY + " or " + LIB_ENV + " at that folder");
        }
        ClassLoader loader = LOADERS.computeIfAbsent(libDir.toAbsolutePath().normalize(), dir -> new ChildFirstClassLoader(
                "streamrec-gpu", jarsIn(dir).toArray(URL[]::new), GpuKernelLoader.class.getClassLoader(), CHILD_FIRST));
        try {
            return Class.forName(KERNEL_CLASS, true, loader);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("--kernel gpu: " + libDir + " holds no " + KERNEL_CLASS
                    + " (rebuild it with `./mvnw -pl gpu -am package`)", e);
        }
    }

    private static List<URL> jarsIn(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("--kernel gpu: the gpu module's folder " + dir + " does not exist (build it with "
                    + "`./mvnw -pl gpu -am package`)");
        }
        List<URL> urls = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList()) {
                urls.add(p.toUri().toURL());
            }
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        if (urls.isEmpty()) {
            throw new IllegalStateException("--kernel gpu: " + dir + " holds no jars (build it with `./mvnw -pl gpu -am package`)");
        }
        return urls;
    }
}
