package io.streamrec.cli.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Memory of a live process from Linux's /proc: current and peak resident set size. */
public record ProcessStats(long rssKb, long peakRssKb) {

    static final ProcessStats UNKNOWN = new ProcessStats(-1, -1);

    public static ProcessStats of(long pid) {
        try {
            long rss = -1;
            long hwm = -1;
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = kb(line);
                } else if (line.startsWith("VmHWM:")) {
                    hwm = kb(line);
                }
            }
            return new ProcessStats(rss, hwm);
        } catch (IOException | RuntimeException e) {
            return UNKNOWN;
        }
    }

    private static long kb(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }

    /** Bytes under a directory (checkpoint size); 0 if absent. */
    public static long directorySize(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (var s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException gone) {
                    return 0;
                }
            }).sum();
        } catch (IOException | java.io.UncheckedIOException e) {
            return 0;
        }
    }
}
