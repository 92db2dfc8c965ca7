package io.streamrec.common.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/** The scratch directories a benchmark harness makes (broker logs, checkpoints, state) and removes when done. */
public final class BenchDirectories {

    private BenchDirectories() {
    }

    /** Deletes {@code dir} and everything under it; nothing when it does not exist. */
    public static void deleteTree(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** The bytes of the regular files under {@code dir} (0 when absent); files deleted while it walks are skipped. */
    public static long sizeOf(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return 0;
        }
        long[] total = {0};
        try (var walk = Files.walk(dir)) {
            walk.forEach(p -> {
                try {
                    if (Files.isRegularFile(p)) {
                        total[0] += Files.size(p);
                    }
                } catch (IOException e) {
                    // RocksDB compacted the file away between the listing and the stat: it no longer counts.
                }
            });
        } catch (IOException | java.io.UncheckedIOException e) {
            // The same race on a directory: count what was seen.
        }
        return total[0];
    }
}
