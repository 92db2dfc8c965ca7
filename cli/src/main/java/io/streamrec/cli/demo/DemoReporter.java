package io.streamrec.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamrec.common.event.PrequentialMetrics;
import io.streamrec.common.topic.ModelFamilies;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The end of an {@code --until-done} run: probes freshness, gathers the figures into a {@link DemoReport}, draws the
 * plots, prints the summary and writes the report file.
 */
public final class DemoReporter {

    private final PrintStream out;
    private final DatasetChoice choice;
    private final Path checkpoints;
    private final ModelFamilies families;

    public DemoReporter(PrintStream out, DatasetChoice choice, Path checkpoints, ModelFamilies families) {
        this.families = families;
        this.out = out;
        this.choice = choice;
        this.checkpoints = checkpoints;
    }

    /**
     * @param done   the watch's outcome: counts as they stood when the replay was fully trained
     * @param plots  folder for the PNGs, or null
     * @param report file for the JSON report, or null
     */
    public DemoReport finish(DemoStack stack, StackWatch watch, KafkaProgress progress, StackWatch.Outcome done,
                             long t0, int probes, Path plots, Path report) throws IOException {
        double sustained = PrequentialSummary.sustainedThroughput(progress.history());
        long maxLag = watch.timeline().maxLag();
        long elapsed = System.currentTimeMillis() - t0;
        List<Long> freshness = new ArrayList<>(new FreshnessProbe(stack.bootstrap(), stack.scorer()).measure(choice, probes));
        progress.pollMetrics();
        List<PrequentialMetrics> history = progress.history();
        Map<String, List<PrequentialMetrics>> byFamily = PrequentialSummary.byFamily(progress.pollMetrics().values(), families);
        List<DemoReport.ModelFigures> models = new ArrayList<>();
        byFamily.forEach((family, reports) -> {
            PrequentialSummary s = PrequentialSummary.of(reports);
            PrequentialSummary.Ranking ranking = PrequentialSummary.Ranking.of(reports);
            models.add(new DemoReport.ModelFigures(family, s.scored(), s.cumulativeRmse(), s.windowRmse(), ranking.samples(),
                    ranking.recallAt10(), ranking.recallAt50(), ranking.mrr(), ranking.ndcgAt10()));
        });
        PrequentialSummary latest = PrequentialSummary.of(byFamily.get(families.first()));
        freshness.sort(Comparator.naturalOrder());
        if (plots != null) {
            Plots.throughput(watch.timeline(), plots.resolve("throughput.png"));
            Plots.rmse(history, "Prequential RMSE over the stream: " + choice.description(), plots.resolve("prequential-rmse-stream.png"));
            Plots.freshness(freshness, plots.resolve("freshness.png"));
            out.println("plots written to " + plots);
        }
        DemoReport r = new DemoReport(DemoReport.VERSION, choice.description(), families.first(), done.ingested(), done.trained(), done.deadLetters(),
                latest.cumulativeRmse(), latest.windowRmse(), done.ingested() * 1000.0 / Math.max(1, elapsed), elapsed,
                done.firstRecommendationMs(), freshness.size(), percentile(freshness, 0.50), percentile(freshness, 0.95),
                percentile(freshness, 0.99), history.size(), sustained, maxLag, ProcessStats.directorySize(checkpoints),
                watch.peakRssMb(), freshness, samples(stack.scorer()), models);
        printSummary(r);
        if (report != null) {
            r.writeTo(report);
            out.println("report written to " + report);
        }
        return r;
    }

    private List<DemoReport.SampleRecommendation> samples(ScorerClient scorer) {
        List<DemoReport.SampleRecommendation> samples = new ArrayList<>();
        for (long user : choice.sampleUsers()) {
            Optional<ScorerClient.Recommendations> recs = scorer.recommendations(user, 5);
            Set<Long> rated = choice.ratedBy().getOrDefault(user, Set.of());
            boolean excludes = recs.map(r -> r.items().stream().noneMatch(it -> rated.contains(it.item()))).orElse(true);
            samples.add(new DemoReport.SampleRecommendation(user, recs.map(ScorerClient.Recommendations::json).orElse(null), excludes));
        }
        return samples;
    }

    private void printSummary(DemoReport r) {
        out.println();
        if (r.models().size() > 1) {
            out.printf("summary: %s, models %s (%s served by default)%n", r.dataset(),
                    String.join(", ", r.models().stream().map(DemoReport.ModelFigures::model).toList()), r.model());
        } else {
            out.printf("summary: %s, model %s%n", r.dataset(), r.model());
        }
        out.printf("  events %,d  trained %,d  dead letters %,d  in %.1f s (%,.0f events/s)%n", r.events(),
                r.trained(), r.dlq(), r.elapsedMs() / 1000.0, r.eventsPerSecond());
        out.printf("  prequential RMSE %.4f (last window %.4f)  freshness p50 %d ms p95 %d ms  first recommendation after %d ms%n",
                r.prequentialRmse(), r.finalWindowRmse(), r.freshnessP50Ms(), r.freshnessP95Ms(), r.firstRecommendationMs());
        if (r.models().size() > 1) {
            for (DemoReport.ModelFigures m : r.models()) {
                out.printf("  model %-10s prequential RMSE %.4f (last window %.4f)  recall@10 %.4f  recall@50 %.4f  MRR %.4f  (%,d ranked)%n",
                        m.model(), m.prequentialRmse(), m.finalWindowRmse(), m.recallAt10(), m.recallAt50(), m.mrr(),
                        m.rankingSamples());
            }
        } else if (!r.models().isEmpty()) {
            DemoReport.ModelFigures m = r.models().get(0);
            out.printf("  recall@10 %.4f  recall@50 %.4f  MRR %.4f  (%,d ranked)%n", m.recallAt10(), m.recallAt50(), m.mrr(),
                    m.rankingSamples());
        }
        for (DemoReport.SampleRecommendation s : r.sampleRecommendations()) {
            out.printf("  user %d:%n", s.user());
            if (s.response() == null) {
                continue;
            }
            for (JsonNode it : s.response().path("items")) {
                out.printf("    %.2f  %s%n", it.path("score").asDouble(), it.path("title").asText("item " + it.path("item").asText()));
            }
        }
    }

    static long percentile(List<Long> sorted, double q) {
        if (sorted.isEmpty()) {
            return -1;
        }
        return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(q * sorted.size()) - 1));
    }
}
