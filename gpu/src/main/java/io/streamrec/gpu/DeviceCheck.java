package io.streamrec.gpu;

import org.bytedeco.cuda.global.nvrtc;

import java.util.List;

/**
 * The device-check bundle's entry point (no JUnit on the GPU machine): prints the device, runs {@link GpuParityChecks}
 * ("N passed, N failed") and, unless {@code --parity-only}, {@link GpuBenchmark}; first a {@link HostSelfTest}. Exit codes:
 * 0 all passed, 1 a parity check (or the benchmark) failed, 2 no usable GPU (the message says what is missing), 3 the
 * bundle itself is broken.
 */
public final class DeviceCheck {

    private DeviceCheck() {
    }

    public static void main(String[] args) {
        boolean parityOnly = List.of(args).contains("--parity-only");
        System.out.println("streamrec device check, Java " + Runtime.version() + ", " + System.getProperty("os.arch"));
        List<CheckResult> host = HostSelfTest.run();
        host.forEach(r -> System.out.println(r));
        if (!host.stream().allMatch(CheckResult::passed)) {
            System.out.println("the bundle itself is broken (host self-test failed); not trying the GPU");
            System.exit(3);
            return;
        }
        CudaDevice device;
        try {
            device = CudaDevice.open(0);
        } catch (GpuUnavailableException e) {
            System.out.println("no GPU: " + e.getMessage());
            System.exit(2);
            return;
        }
        int code;
        try (device) {
            int[] major = new int[1];
            int[] minor = new int[1];
            nvrtc.nvrtcVersion(major, minor);
            System.out.println("device: " + device.info() + "; NVRTC " + major[0] + "." + minor[0] + ", kernels compiled for "
                    + device.info().arch());
            long t0 = System.nanoTime();
            List<CheckResult> results = GpuParityChecks.runAll(device);
            long passed = results.stream().filter(CheckResult::passed).count();
            for (CheckResult r : results) {
                System.out.println("parity " + r);
            }
            System.out.printf("parity: %d passed, %d failed (%.1f s)%n", passed, results.size() - passed, (System.nanoTime() - t0) / 1e9);
            code = passed == results.size() ? 0 : 1;
            if (!parityOnly) {
                long b0 = System.nanoTime();
                try {
                    new GpuBenchmark(device, System.out).runAll();
                    System.out.printf("bench: done in %.1f s%n", (System.nanoTime() - b0) / 1e9);
                } catch (RuntimeException e) {
                    // The parity verdict above stands; say what broke the benchmark and keep the exit code honest.
                    System.out.println("bench: failed: " + e);
                    code = Math.max(code, 1);
                }
            }
        }
        System.exit(code);
    }
}
