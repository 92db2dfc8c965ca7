package io.streamrec.cli.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The demo report as written and read back: the same record, the keys scripts read, and only its own version. */
class DemoReportTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static DemoReport sample(double windowRmse) throws Exception {
        Map<String, Long> peaks = new LinkedHashMap<>();
        peaks.put("trainer", 900L);
        peaks.put("scorer", 400L);
        peaks.put("broker", 350L);
        var response = JSON.readTree("{\"modelVersion\":7,\"items\":[{\"item\":50,\"score\":4.61,\"title\":\"Star Wars (1977)\"}]}");
        return new DemoReport(DemoReport.VERSION, "ml-100k (cached)", "mf", 100_000, 100_000, 0, 0.9712, windowRmse, 8123.5,
                12_310, 4_200, 3, 1010, 1050, 1050, 42, 30_000.25, 99_000, 12_345_678, peaks, List.of(990L, 1010L, 1050L),
                List.of(new DemoReport.SampleRecommendation(1, response, true)));
    }

    @Test
    void aWrittenReportReadsBackAsTheSameRecord(@TempDir Path dir) throws Exception {
        DemoReport r = sample(0.95);
        Path file = dir.resolve("r.json");
        r.writeTo(file);
        assertThat(DemoReport.read(file)).isEqualTo(r);
        assertThat(DemoReport.read(file).peakRssMb().keySet()).containsExactly("trainer", "scorer", "broker");
    }

    @Test
    void perModelFiguresReadBackAndAReportWithoutThemReadsAsNone() throws Exception {
        DemoReport one = sample(0.95);
        DemoReport two = new DemoReport(one.version(), one.dataset(), one.model(), one.events(), one.trained(), one.dlq(),
                one.prequentialRmse(), one.finalWindowRmse(), one.eventsPerSecond(), one.elapsedMs(),
                one.firstRecommendationMs(), one.freshnessProbes(), one.freshnessP50Ms(), one.freshnessP95Ms(),
                one.freshnessP99Ms(), one.metricsReports(), one.sustainedTrainedPerSecond(), one.maxLag(),
                one.checkpointBytes(), one.peakRssMb(), one.freshnessMs(), one.sampleRecommendations(), List.of(
                        new DemoReport.ModelFigures("mf", 100_000, 0.9712, 0.95, 120, 0.05, 0.2, 0.03, 0.04),
                        new DemoReport.ModelFigures("popular", 100_000, 1.12, 1.1, 120, 0.08, 0.3, 0.04, 0.05)));
        var tree = JSON.readTree(two.toJson());
        assertThat(tree.get("models").get(1).get("model").asText()).isEqualTo("popular");
        assertThat(tree.get("models").get(1).get("recallAt10").asDouble()).isEqualTo(0.08);
        assertThat(DemoReport.fromJson(two.toJson())).isEqualTo(two);
        ObjectNode old = (ObjectNode) JSON.readTree(one.toJson());
        old.remove("models");
        assertThat(DemoReport.fromJson(JSON.writeValueAsBytes(old)).models()).isEmpty();
    }

    @Test
    void notANumberSurvivesTheRoundTrip() throws Exception {
        // A run too short for a full window reports NaN; the report must still read back.
        DemoReport back = DemoReport.fromJson(sample(Double.NaN).toJson());
        assertThat(back.finalWindowRmse()).isNaN();
        assertThat(back.prequentialRmse()).isEqualTo(0.9712);
    }

    @Test
    void theJsonKeepsTheKeysScriptsRead() throws Exception {
        var tree = JSON.readTree(sample(0.95).toJson());
        assertThat(tree.get("version").asInt()).isEqualTo(1);
        assertThat(tree.get("events").asLong()).isEqualTo(100_000);
        assertThat(tree.get("model").asText()).isEqualTo("mf");
        assertThat(tree.get("freshnessMs")).hasSize(3);
        assertThat(tree.get("peakRssMb").get("trainer").asLong()).isEqualTo(900);
        assertThat(tree.get("sampleRecommendations").get(0).get("response").get("items").get(0).get("item").asLong()).isEqualTo(50);
        assertThat(tree.get("sampleRecommendations").get(0).get("excludesRatedItems").asBoolean()).isTrue();
        List<String> keys = new java.util.ArrayList<>();
        tree.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).startsWith("version", "dataset", "model", "events", "trained", "dlq", "prequentialRmse", "finalWindowRmse")
                .endsWith("peakRssMb", "freshnessMs", "sampleRecommendations");
    }

    @Test
    void anUnknownVersionIsRefusedWithAClearError(@TempDir Path dir) throws Exception {
        ObjectNode tree = (ObjectNode) JSON.readTree(sample(0.95).toJson());
        tree.put("version", 2);
        Path file = dir.resolve("future.json");
        Files.writeString(file, tree.toString(), StandardCharsets.UTF_8);
        assertThatThrownBy(() -> DemoReport.read(file))
                .isInstanceOf(DemoReport.UnsupportedReportVersionException.class)
                .hasMessage(file + " is a demo report of version 2; this streamrec reads version 1 only: rerun "
                        + "`streamrec demo --until-done --report FILE` with this build");

        tree.remove("version");
        assertThatThrownBy(() -> DemoReport.fromJson(tree.toString().getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(DemoReport.UnsupportedReportVersionException.class)
                .hasMessageStartingWith("the report is a demo report of version (none); this streamrec reads version 1 only");
    }

    @Test
    void fieldsAddedWithinAVersionAreIgnored() throws Exception {
        ObjectNode tree = (ObjectNode) JSON.readTree(sample(0.95).toJson());
        tree.put("kernel", "gpu");
        assertThat(DemoReport.fromJson(tree.toString().getBytes(StandardCharsets.UTF_8))).isEqualTo(sample(0.95));
    }
}
