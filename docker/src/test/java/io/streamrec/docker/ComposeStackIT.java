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
 * Checks the cluster-mode files without a Docker engine (it runs everywhere; {@link ClusterFaultIT} runs the stack):
 * the compose stack's structure, the Flink configuration as Flink's own loader reads it, and the Dockerfiles'
 * essentials.
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
        assertThat(names).containsExactlyInAnyOrder("kafka-1", "kafka-2", "kafka-3", "jobmanager", "taskmanager-1",
                "taskmanager-2", "scorer-1", "scorer-2", "ingest");
        assertThat(services.get("kafka-1").get("image").asText()).isEqualTo("streamrec-kafka:4.2.0");
        assertThat(services.get("jobmanager").get("command").asText()).contains("standalone-job")
                .contains("io.streamrec.trainer.TrainerMain").contains("--parallelism ${TRAINER_PARALLELISM:-2}");
        assertThat(services.get("taskmanager-2").get("command").asText()).isEqualTo("taskmanager");
        assertThat(services.get("ingest").get("restart").asText()).isEqualTo("no");
    }

    @Test
    void everyPublishedPortIsLoopbackOnly() throws IOException {
        JsonNode services = compose().get("services");
        List<String> ports = new ArrayList<>();
        services.forEach(s -> s.path("ports").forEach(p -> ports.add(p.asText())));
        assertThat(ports).hasSize(6).allSatisfy(p -> assertThat(p).startsWith("127.0.0.1:"));
    }

    @Test
    void longRunningServicesHaveHealthchecksAndStateIsOnNamedVolumes() throws IOException {
        JsonNode root = compose();
        for (String s : List.of("kafka-1", "kafka-2", "kafka-3", "jobmanager", "taskmanager-1", "taskmanager-2", "scorer-1", "scorer-2")) {
            JsonNode svc = root.get("services").get(s);
            assertThat(svc.has("healthcheck")).as(s + " healthcheck").isTrue();
            assertThat(svc.has("mem_limit")).as(s + " memory limit").isTrue();
        }
        Set<String> volumes = new java.util.HashSet<>();
        root.get("volumes").fieldNames().forEachRemaining(volumes::add);
        assertThat(volumes).contains("kafka-1-data", "kafka-2-data", "kafka-3-data", "flink-data", "scorer-1-data", "scorer-2-data");
        for (String s : List.of("jobmanager", "taskmanager-1", "taskmanager-2")) {
            assertThat(root.get("services").get(s).get("volumes").get(0).asText()).as(s).startsWith("flink-data:");
        }
    }

    @Test
    void threeBrokersFormOneQuorumAndAdvertiseTheirPublishedPorts() throws IOException {
        JsonNode services = compose().get("services");
        Set<Integer> ids = new java.util.HashSet<>();
        for (String s : List.of("kafka-1", "kafka-2", "kafka-3")) {
            JsonNode env = services.get(s).get("environment");
            assertThat(env.get("KAFKA_CONTROLLER_QUORUM_VOTERS").asText())
                    .isEqualTo("1@kafka-1:9093,2@kafka-2:9093,3@kafka-3:9093");
            ids.add(env.get("KAFKA_NODE_ID").asInt());
            String published = services.get(s).get("ports").get(0).asText();
            String hostPort = published.substring("127.0.0.1:".length(), published.lastIndexOf(':'));
            assertThat(env.get("KAFKA_ADVERTISED_LISTENERS").asText())
                    .contains("INTERNAL://" + s + ":19092").contains("EXTERNAL://127.0.0.1:" + hostPort);
            assertThat(env.get("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR").asInt()).isEqualTo(3);
        }
        assertThat(ids).containsExactlyInAnyOrder(1, 2, 3);
        assertThat(services.get("jobmanager").get("environment").get("STREAMREC_REPLICATION_FACTOR").asInt()).isEqualTo(3);
    }

    @Test
    void eachScorerAdvertisesItsOwnAddressUnderOneApplicationId() throws IOException {
        JsonNode services = compose().get("services");
        for (String s : List.of("scorer-1", "scorer-2")) {
            JsonNode svc = services.get(s);
            assertThat(svc.get("hostname").asText()).isEqualTo(s);
            assertThat(svc.get("command").toString()).contains("\"--http\",\"" + s + ":8080\"").doesNotContain("--application-id");
        }
    }

    @Test
    void flinkConfigParsesWithFlinksOwnLoader() {
        Configuration c = GlobalConfiguration.loadConfiguration(DIR.resolve("flink").toString());
        assertThat(c.toMap()).containsEntry("state.backend.type", "rocksdb")
                .containsEntry("execution.checkpointing.incremental", "true")
                .containsEntry("execution.checkpointing.interval", "1s")
                .containsEntry("execution.attached", "true")
                .containsEntry("taskmanager.numberOfTaskSlots", "1")
                .containsEntry("restart-strategy.type", "fixed-delay")
                .containsEntry("execution.checkpointing.dir", "file:///flink-data/checkpoints");
        assertThat(c.toMap().get("metrics.reporter.prom.factory.class")).contains("PrometheusReporterFactory");
    }

    @Test
    void imagesRunAsNonRootOnLocallyBuiltBases() throws IOException {
        for (String f : List.of("Dockerfile.scorer", "Dockerfile.ingest")) {
            String text = Files.readString(DIR.resolve(f));
            assertThat(text).as(f).contains("ARG JRE_IMAGE=streamrec-base:bookworm").contains("FROM ${JRE_IMAGE}").contains("USER streamrec");
        }
        String trainer = Files.readString(DIR.resolve("Dockerfile.trainer"));
        assertThat(trainer).contains("ARG FLINK_IMAGE=streamrec-flink:2.3.0").contains("/opt/flink/usrlib").contains("config.yaml");
        assertThat(Files.readString(DIR.resolve("images/kafka/Dockerfile"))).contains("USER appuser");
        assertThat(Files.readString(DIR.resolve("images/flink/Dockerfile"))).contains("USER flink");
    }
}
