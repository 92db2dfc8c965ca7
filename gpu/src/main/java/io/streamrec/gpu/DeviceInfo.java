package io.streamrec.gpu;

/**
 * What the kernels are compiled for and what the operator is told at start.
 *
 * @param ordinal       CUDA device ordinal
 * @param name          e.g. "NVIDIA H200"
 * @param major         compute capability, major (9 on Hopper)
 * @param minor         compute capability, minor
 * @param totalBytes    device memory
 * @param multiprocessors streaming multiprocessors
 * @param driverVersion as cuDriverGetVersion reports it (13000 = CUDA 13.0)
 */
public record DeviceInfo(int ordinal, String name, int major, int minor, long totalBytes, int multiprocessors, int driverVersion) {

    /** NVRTC's name for this device's own architecture, e.g. {@code sm_90}. */
    public String arch() {
        return "sm_" + major + minor;
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "%s (device %d, %s, %d SMs, %.1f GiB, driver CUDA %d.%d)", name, ordinal, arch(),
                multiprocessors, totalBytes / (double) (1L << 30), driverVersion / 1000, driverVersion % 1000 / 10);
    }
}
