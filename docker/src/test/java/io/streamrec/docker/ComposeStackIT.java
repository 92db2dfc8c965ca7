package io.streamrec.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks the cluster-mode files without a Docker engine: the compose stack's structure, the Flink configuration as
 * Flink's own loader reads it, and the Dockerfiles' essentials.
 */
class ComposeStackIT {

    private static final Path DIR = Path.of("").toAbsolutePath().getFileName().toString().equals("docker")
            ? Path.of("").toAbsolutePath() : Path.of("docker").toAbsolutePath();

    /** SnakeYAML resolves YAML merge keys ({@code <<: *anchor}) as docker compose does; Jackson's parser does not. */
    private static JsonNode compose() throws IOException {
        Object tree = new org.yaml.snakeyaml.Yaml().load(Files.readString(DIR.resolve("compose.yaml")));
        return new ObjectMapper().valueToTree(tree);
    }

    @Test
    void stackHasEveryComponent() throws IOException {
        JsonNode services = compose().get("services");
        List<String> names = new ArrayList<>();
        services.fieldNames().forEachRemaining(names::add);
        assertThat(names).contains("kafka", "kafka-1", "kafka-2", "kafka-3", "topics", "jobmanager", "taskmanager", "scorer", "ingest");
        assertThat(services.get("kafka").get("image").asText()).startsWith("apache/kafka:4.");
        assertThat(services.get("jobmanager").get("command").asText()).contains("standalone-job")
                .contains("io.streamrec.trainer.TrainerMain");
        assertThat(services.get("ingest").get("restart").asText()).isEqualTo("no");
    }

    @Test
    void everyPublishedPortIsLoopbackOnly() throws IOException {
        JsonNode services = compose().get("services");
        List<String> ports = new ArrayList<>();
        services.forEach(s -> s.path("ports").forEach(p -> ports.add(p.asText())));
        assertThat(ports).isNotEmpty().allSatisfy(p -> assertThat(p).startsWith("127.0.0.1:"));
    }

    @Test
    void longRunningServicesHaveHealthchecksAndStateIsOnNamedVolumes() throws IOException {
        JsonNode root = compose();
        for (String s : List.of("kafka", "kafka-1", "kafka-2", "kafka-3", "jobmanager", "taskmanager", "scorer")) {
            JsonNode svc = root.get("services").get(s);
            assertThat(svc.has("healthcheck")).as(s + " healthcheck").isTrue();
        }
        Set<String> volumes = new java.util.HashSet<>();
        root.get("volumes").fieldNames().forEachRemaining(volumes::add);
        assertThat(volumes).contains("kafka-data", "flink-data", "scorer-data");
        assertThat(root.get("services").get("jobmanager").get("volumes").get(0).asText()).startsWith("flink-data:");
    }

    @Test
    void threeBrokerProfileFormsOneQuorum() throws IOException {
        JsonNode services = compose().get("services");
        for (String s : List.of("kafka-1", "kafka-2", "kafka-3")) {
            JsonNode env = services.get(s).get("environment");
            assertThat(env.get("KAFKA_CONTROLLER_QUORUM_VOTERS").asText())
                    .isEqualTo("1@kafka-1:9093,2@kafka-2:9093,3@kafka-3:9093");
            assertThat(services.get(s).get("profiles").get(0).asText()).isEqualTo("ha");
        }
        assertThat(services.get("kafka-2").get("environment").get("KAFKA_NODE_ID").asInt()).isEqualTo(2);
    }

    @Test
    void flinkConfigParsesWithFlinksOwnLoader() {
        Configuration c = GlobalConfiguration.loadConfiguration(DIR.resolve("flink").toString());
        assertThat(c.toMap()).containsEntry("state.backend.type", "rocksdb")
                .containsEntry("execution.checkpointing.incremental", "true")
                .containsEntry("execution.checkpointing.interval", "1s")
                .containsEntry("restart-strategy.type", "fixed-delay")
                .containsEntry("restart-strategy.fixed-delay.attempts", "5")
                .containsEntry("execution.checkpointing.dir", "file:///flink-data/checkpoints");
        assertThat(c.toMap().get("metrics.reporter.prom.factory.class")).contains("PrometheusReporterFactory");
    }

    @Test
    void imagesRunAsNonRootOnSlimJres() throws IOException {
        for (String f : List.of("Dockerfile.scorer", "Dockerfile.ingest")) {
            String text = Files.readString(DIR.resolve(f));
            assertThat(text).as(f).contains("FROM eclipse-temurin:17-jre").contains("USER streamrec");
        }
        String trainer = Files.readString(DIR.resolve("Dockerfile.trainer"));
        assertThat(trainer).contains("flink:2.").contains("/opt/flink/usrlib").contains("config.yaml");
    }
}
