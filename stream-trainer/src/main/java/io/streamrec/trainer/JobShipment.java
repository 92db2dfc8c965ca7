package io.streamrec.trainer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What {@code streamrec train --jobmanager} ships to a Flink cluster when no {@code --job-jar} is given: the jars on
 * this JVM's classpath that the cluster does not already have. Flink's own jars (and its frocksdb, Scala, and
 * logging) come from the cluster's {@code lib/}; the Kafka connector, the Prometheus reporter, streamrec's modules and
 * everything else go with the job. Class directories (a build tree) are packed into jars first. The same rule picks
 * what {@code docker/Dockerfile.trainer} copies into {@code usrlib}.
 */
public final class JobShipment {

    private static final Logger LOG = LoggerFactory.getLogger(JobShipment.class);

    /** Provided by every Flink distribution; shipping them would put two copies on the job's classpath. */
    private static final Pattern CLUSTER_PROVIDED = Pattern.compile(
            "(flink-(?!connector-|metrics-prometheus)[^/]*|frocksdbjni-[^/]*|scala-[^/]*|log4j-[^/]*|slf4j-api-[^/]*)\\.jar");

    /**
     * ND4J with its native backend, and DL4J with what only it pulls in (about 150 MB, more than Flink's default 100 MB
     * REST upload limit): only a job that selected the ND4J kernel or a deep model family loads them, so only such a
     * job ships them.
     */
    private static final Pattern ND4J = Pattern.compile(
            "(nd4j-[^/]*|openblas-[^/]*|javacpp-[^/]*|flatbuffers-java-[^/]*|(guava|jackson|protobuf)-1\\.0\\.0-M2\\.1"
                    + "|deeplearning4j-[^/]*|resources-1\\.0\\.0-M2\\.1|fastutil-6\\.5\\.7|oshi-core-[^/]*|jna-[^/]*"
                    + "|threetenbp-[^/]*|neoitertools-[^/]*|byteunits-[^/]*|gson-[^/]*)\\.jar");

    private JobShipment() {
    }

    /** True when a Flink cluster provides this jar itself. */
    static boolean providedByCluster(String jarFileName) {
        return CLUSTER_PROVIDED.matcher(jarFileName).matches();
    }

    /**
     * The jars to ship for the given classpath entries: jars the cluster lacks as they are, directories packed into
     * jars under {@code workDir}; ND4J's only when {@code withNd4j}.
     */
    static List<Path> jarsFor(List<Path> classpath, Path workDir, boolean withNd4j) {
        List<Path> out = new ArrayList<>();
        int packed = 0;
        for (Path entry : classpath) {
            if (Files.isDirectory(entry)) {
                out.add(pack(entry, workDir.resolve("streamrec-classes-" + (packed++) + ".jar")));
            } else if (Files.isRegularFile(entry) && entry.getFileName().toString().endsWith(".jar")
                    && !providedByCluster(entry.getFileName().toString())
                    && (withNd4j || !ND4J.matcher(entry.getFileName().toString()).matches())) {
                out.add(entry);
            }
        }
        long bytes = out.stream().mapToLong(p -> p.toFile().length()).sum();
        LOG.info("shipping {} jars ({} MB) with the job; {} classpath entries are provided by the cluster{}", out.size(),
                bytes >> 20, classpath.size() - out.size(), withNd4j ? "" : " or belong to the ND4J kernel this job does not use");
        if (bytes > 100L << 20) {
            LOG.warn("the job's jars total {} MB: raise the cluster's rest.server.max-content-length (default 100 MB) "
                    + "or put them in its usrlib/ (docker/Dockerfile.trainer does)", bytes >> 20);
        }
        return out;
    }

    /** This JVM's classpath. */
    static List<Path> currentClasspath() {
        return Stream.of(System.getProperty("java.class.path", "").split(File.pathSeparator))
                .filter(s -> !s.isBlank()).map(Path::of).toList();
    }

    private static Path pack(Path dir, Path jar) {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        try {
            Files.createDirectories(jar.getParent());
            try (OutputStream os = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(os, manifest);
                 Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.sorted(Comparator.naturalOrder()).toList()) {
                    String name = dir.relativize(f).toString().replace(File.separatorChar, '/');
                    if (name.isEmpty() || name.equals("META-INF/MANIFEST.MF")) {
                        continue;
                    }
                    if (Files.isDirectory(f)) {
                        out.putNextEntry(new JarEntry(name + "/"));
                    } else {
                        out.putNextEntry(new JarEntry(name));
                        Files.copy(f, out);
                    }
                    out.closeEntry();
                }
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot pack " + dir + " into " + jar, e);
        }
    }
}
