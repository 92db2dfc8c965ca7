package io.streamrec.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the real MovieLens files in {@code ../shared/datasets} (never committed: their licence forbids it). Tests
 * that use them must fall back to generated data when this returns empty.
 */
public final class Datasets {

    private Datasets() {
    }

    /** The shared datasets folder, from the {@code streamrec.datasets} property or found upward from the cwd. */
    public static Optional<Path> root() {
        String prop = System.getProperty("streamrec.datasets");
        if (prop != null && Files.isDirectory(Path.of(prop))) {
            return Optional.of(Path.of(prop).toAbsolutePath().normalize());
        }
        Path dir = Path.of("").toAbsolutePath();
        for (int i = 0; i < 5 && dir != null; i++, dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("datasets");
            if (Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
            candidate = dir.resolveSibling("shared").resolve("datasets");
            if (Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** A dataset folder such as "ml-100k", if present. */
    public static Optional<Path> find(String name) {
        return root().map(r -> r.resolve(name)).filter(Files::isDirectory);
    }
}
