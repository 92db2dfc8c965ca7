package io.streamrec.docker;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.utility.DockerImageName;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The images the Docker tests run, built once per test JVM by {@code docker/build-images.sh} (a no-op when they are
 * up to date): where no registry is reachable they are local stand-ins for the official images, marked as compatible
 * substitutes so Testcontainers' modules accept them.
 */
final class LocalImages {

    static final String KAFKA = "streamrec-kafka:4.2.0";

    /** The repository root: this module runs with docker/ as its working directory. */
    static final Path ROOT = Path.of("").toAbsolutePath().getFileName().toString().equals("docker")
            ? Path.of("").toAbsolutePath().getParent() : Path.of("").toAbsolutePath();

    /** build-images.sh's exit status when the base image cannot be made here (no debootstrap, root or mirror). */
    private static final int NO_BASE_IMAGE = 3;

    private static boolean built;

    private LocalImages() {
    }

    /** Whether a Docker engine answers and docker-compose is installed: the condition every cluster test runs under. */
    static boolean composeAvailable() {
        return DockerClientFactory.instance().isDockerAvailable() && onPath("docker-compose");
    }

    static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    /** The Kafka image, as a substitute for {@code apache/kafka} (see {@link #ensureBuilt}). */
    static DockerImageName kafka() {
        return DockerImageName.parse(KAFKA).asCompatibleSubstituteFor("apache/kafka");
    }

    /** Runs build-images.sh once; its log goes to target/build-images.log. */
    static synchronized void ensureBuilt() {
        if (built) {
            return;
        }
        Path log = ROOT.resolve("docker/target/build-images.log");
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder pb = new ProcessBuilder(ROOT.resolve("docker/build-images.sh").toString())
                    .directory(ROOT.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
            // The verify build has packaged every module already: the script must not start Maven inside Maven.
            pb.environment().put("STREAMREC_SKIP_BUILD", "1");
            long start = System.nanoTime();
            Process p = pb.start();
            if (!p.waitFor(15, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("build-images.sh took over 15 minutes; see " + log);
            }
            if (p.exitValue() == NO_BASE_IMAGE) {
                throw new org.opentest4j.TestAbortedException("this machine cannot build the base image: " + Files.readString(log).strip());
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("build-images.sh failed (exit " + p.exitValue() + "):\n" + Files.readString(log));
            }
            System.out.printf("images ready in %.1f s (log %s)%n", (System.nanoTime() - start) / 1e9, log);
            built = true;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run build-images.sh", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted building images", e);
        }
    }
}
