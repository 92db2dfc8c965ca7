package io.streamrec.cli.demo;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code streamrec demo --until-done --report FILE} writes and {@code streamrec bench --only e2e} reads back: one
 * run of the whole stack in figures, as versioned JSON. Counts are as they stood when the replay was fully trained,
 * before the freshness probes added their own events. A reader refuses a version it does not know.
 *
 * @param model             the model family trained and served (mf, dlplus, ...)
 * @param peakRssMb         peak resident memory per process name (broker, trainer, scorer), in start order
 * @param freshnessMs       every probe's latency, sorted
 * @param firstRecommendationMs -1 when none was seen
 * @param models            each family trained, in the order given ({@code --model mf,popular}), with its own
 *                          prequential RMSE and ranking figures; the single-model fields above are the first one's.
 *                          Empty in reports from before families were compared.
 */
@JsonPropertyOrder({"version", "dataset", "model", "events", "trained", "dlq", "prequentialRmse", "finalWindowRmse", "eventsPerSecond",
        "elapsedMs", "firstRecommendationMs", "freshnessProbes", "freshnessP50Ms", "freshnessP95Ms", "freshnessP99Ms",
        "metricsReports", "sustainedTrainedPerSecond", "maxLag", "checkpointBytes", "models", "peakRssMb", "freshnessMs",
        "sampleRecommendations"})
public record DemoReport(int version, String dataset, String model, long events, long trained, long dlq, double prequentialRmse,
                         double finalWindowRmse, double eventsPerSecond, long elapsedMs, long firstRecommendationMs,
                         int freshnessProbes, long freshnessP50Ms, long freshnessP95Ms, long freshnessP99Ms,
                         int metricsReports, double sustainedTrainedPerSecond, long maxLag, long checkpointBytes,
                         Map<String, Long> peakRssMb, List<Long> freshnessMs, List<SampleRecommendation> sampleRecommendations,
                         List<ModelFigures> models) {

    /** The version this code writes and the only one it reads. */
    public static final int VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            // Fields added within a version (the report grows) do not break readers of that version.
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /**
     * One sample user's top 5 as the scorer answered (its JSON as it came, null when it did not answer), and whether
     * none of them is an item the user rated.
     */
    public record SampleRecommendation(long user, JsonNode response, boolean excludesRatedItems) {
    }

    /**
     * One family's figures: its prequential RMSE (cumulative, and the mean of its subtasks' last windows) and the
     * cumulative sampled prequential ranking figures (NaN without samples).
     */
    @JsonPropertyOrder({"model", "scored", "prequentialRmse", "finalWindowRmse", "rankingSamples", "recallAt10",
            "recallAt50", "mrr", "ndcgAt10"})
    public record ModelFigures(String model, long scored, double prequentialRmse, double finalWindowRmse,
                               long rankingSamples, double recallAt10, double recallAt50, double mrr, double ndcgAt10) {
    }

    @com.fasterxml.jackson.annotation.JsonCreator
    public DemoReport {
        peakRssMb = Collections.unmodifiableMap(new LinkedHashMap<>(peakRssMb));
        freshnessMs = List.copyOf(freshnessMs);
        sampleRecommendations = List.copyOf(sampleRecommendations);
        models = models == null ? List.of() : List.copyOf(models);
    }

    /** Without per-family figures (one family, figures above only). */
    public DemoReport(int version, String dataset, String model, long events, long trained, long dlq, double prequentialRmse,
                      double finalWindowRmse, double eventsPerSecond, long elapsedMs, long firstRecommendationMs,
                      int freshnessProbes, long freshnessP50Ms, long freshnessP95Ms, long freshnessP99Ms,
                      int metricsReports, double sustainedTrainedPerSecond, long maxLag, long checkpointBytes,
                      Map<String, Long> peakRssMb, List<Long> freshnessMs, List<SampleRecommendation> sampleRecommendations) {
        this(version, dataset, model, events, trained, dlq, prequentialRmse, finalWindowRmse, eventsPerSecond, elapsedMs,
                firstRecommendationMs, freshnessProbes, freshnessP50Ms, freshnessP95Ms, freshnessP99Ms, metricsReports,
                sustainedTrainedPerSecond, maxLag, checkpointBytes, peakRssMb, freshnessMs, sampleRecommendations, List.of());
    }

    public byte[] toJson() throws IOException {
        return JSON.writeValueAsBytes(this);
    }

    /** Writes the report so that whoever waits for the file (a script, a test) never reads half of it. */
    public void writeTo(Path file) throws IOException {
        AtomicFiles.write(file, toJson());
    }

    public static DemoReport read(Path file) throws IOException {
        return parse(JSON.readTree(file.toFile()), file.toString());
    }

    public static DemoReport fromJson(byte[] json) throws IOException {
        return parse(JSON.readTree(json), "the report");
    }

    private static DemoReport parse(JsonNode tree, String what) throws IOException {
        JsonNode v = tree == null ? null : tree.get("version");
        if (v == null || !v.canConvertToExactIntegral() || v.asInt() != VERSION) {
            throw new UnsupportedReportVersionException(what + " is a demo report of version "
                    + (v == null ? "(none)" : v.toString()) + "; this streamrec reads version " + VERSION
                    + " only: rerun `streamrec demo --until-done --report FILE` with this build");
        }
        return JSON.treeToValue(tree, DemoReport.class);
    }

    /** A report of a version this code does not read. */
    public static final class UnsupportedReportVersionException extends IOException {
        public UnsupportedReportVersionException(String message) {
            super(message);
        }
    }
}
