package io.streamrec.bench.model;

import io.streamrec.model.optim.OptimizerKind;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;

/**
 * Companion to the JMH runs for a shared, overloaded machine: the same {@link LearnerBenchmark} setup, timed by the
 * thread's CPU time as well as wall time, so other tenants' load does not count as our slowness (cache interference
 * still does). Usage: {@code CpuTimeThroughput [seconds [modes [dims [optimizers]]]]}, modes among java-sequential,
 * java-batch, nd4j-batch (the learner step) and seq-kernel ({@link SequentialKernelBenchmark}); one line per config.
 */
public final class CpuTimeThroughput {

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 2.0;
        String[] modes = args.length > 1 ? args[1].split(",") : new String[]{"java-sequential", "java-batch"};
        int[] dims = args.length > 2 ? java.util.Arrays.stream(args[2].split(",")).mapToInt(Integer::parseInt).toArray() : new int[]{16, 32, 64, 128};
        String[] opts = args.length > 3 ? args[3].split(",") : new String[]{"SGD", "MOMENTUM", "ADAGRAD", "RMSPROP", "ADAM"};
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        System.out.printf("%-16s %-9s %5s %16s %16s%n", "mode", "optimizer", "dim", "updates/s (wall)", "updates/CPU-s");
        for (String mode : modes) {
            for (int dim : dims) {
                for (String opt : opts) {
                    Runnable step;
                    if (mode.equals("seq-kernel")) {
                        SequentialKernelBenchmark k = new SequentialKernelBenchmark();
                        k.dim = dim;
                        k.optimizer = OptimizerKind.valueOf(opt);
                        k.setUp();
                        step = k::learn;
                    } else {
                        LearnerBenchmark b = new LearnerBenchmark();
                        b.mode = mode;
                        b.dim = dim;
                        b.optimizer = OptimizerKind.valueOf(opt);
                        b.users = Integer.getInteger("users", 100_000);
                        b.setUp();
                        step = b::learn;
                    }
                    long warmEnd = System.nanoTime() + (long) (seconds * 0.5e9);
                    while (System.nanoTime() < warmEnd) {
                        step.run();
                    }
                    long events = 0;
                    long cpu0 = mx.getCurrentThreadCpuTime();
                    long wall0 = System.nanoTime();
                    long end = wall0 + (long) (seconds * 1e9);
                    while (System.nanoTime() < end) {
                        step.run();
                        events += 4096;
                    }
                    double wall = (System.nanoTime() - wall0) / 1e9;
                    double cpu = (mx.getCurrentThreadCpuTime() - cpu0) / 1e9;
                    System.out.printf(Locale.ROOT, "%-16s %-9s %5d %16.0f %16.0f%n", mode, opt, dim, events / wall, events / cpu);
                }
            }
        }
    }

    private CpuTimeThroughput() {
    }
}
