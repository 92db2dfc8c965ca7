package io.streamrec.trainer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;

import static org.assertj.core.api.Assertions.assertThat;

class JobShipmentTest {

    @Test
    void shipsWhatAFlinkDistributionLacks() {
        assertThat(JobShipment.providedByCluster("flink-runtime-2.3.0.jar")).isTrue();
        assertThat(JobShipment.providedByCluster("flink-statebackend-rocksdb-2.3.0.jar")).isTrue();
        assertThat(JobShipment.providedByCluster("frocksdbjni-8.10.0-ververica-1.0.jar")).isTrue();
        assertThat(JobShipment.providedByCluster("scala-library-2.13.17.jar")).isTrue();
        assertThat(JobShipment.providedByCluster("log4j-core-2.24.3.jar")).isTrue();
        assertThat(JobShipment.providedByCluster("flink-connector-kafka-5.0.0-2.2.jar")).isFalse();
        assertThat(JobShipment.providedByCluster("flink-metrics-prometheus-2.3.0.jar")).isFalse();
        assertThat(JobShipment.providedByCluster("kafka-clients-4.2.0.jar")).isFalse();
        assertThat(JobShipment.providedByCluster("streamrec-model-0.1.0-SNAPSHOT.jar")).isFalse();
    }

    @Test
    void packsClassDirectoriesAndSkipsProvidedJars(@TempDir Path tmp) throws Exception {
        Path classes = tmp.resolve("classes");
        Files.createDirectories(classes.resolve("io/streamrec/x"));
        Files.writeString(classes.resolve("io/streamrec/x/A.class"), "not really a class");
        Path kafka = Files.writeString(tmp.resolve("kafka-clients-4.2.0.jar"), "jar");
        Path flink = Files.writeString(tmp.resolve("flink-core-2.3.0.jar"), "jar");

        Path nd4j = Files.writeString(tmp.resolve("nd4j-native-1.0.0-M2.1-linux-x86_64.jar"), "jar");
        Path openblas = Files.writeString(tmp.resolve("openblas-0.3.19-1.5.7-linux-x86_64.jar"), "jar");
        Path dl4j = Files.writeString(tmp.resolve("deeplearning4j-nn-1.0.0-M2.1.jar"), "jar");
        Path fastutil = Files.writeString(tmp.resolve("fastutil-6.5.7.jar"), "jar");
        List<Path> classpath = List.of(classes, kafka, flink, nd4j, openblas, dl4j, fastutil, tmp.resolve("missing.jar"));

        assertThat(JobShipment.jarsFor(classpath, tmp.resolve("nd4j"), true)).hasSize(6).contains(kafka, nd4j, openblas, dl4j, fastutil);
        List<Path> shipped = JobShipment.jarsFor(classpath, tmp.resolve("out"), false);
        assertThat(shipped).hasSize(2).contains(kafka).doesNotContain(flink, nd4j, openblas, dl4j, fastutil);
        Path packed = shipped.stream().filter(p -> p.startsWith(tmp.resolve("out"))).findFirst().orElseThrow();
        try (JarFile jar = new JarFile(packed.toFile())) {
            assertThat(jar.getEntry("io/streamrec/x/A.class")).isNotNull();
            assertThat(jar.getManifest()).isNotNull();
        }
    }
}
