package io.streamrec.cli.demo;

import io.streamrec.common.event.PrequentialMetrics;
import io.streamrec.common.topic.Topics;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Watches the running stack once a second: progress from Kafka, the scorer's health, the status lines, the timeline
 * and peak memory; until the replay is fully trained and served (with {@code --until-done}), a child dies, the
 * deadline passes, or the demo is stopped.
 */
public final class StackWatch {

    /**
     * How the watch ended. {@code done}: the replay is trained and the scorer caught up (the counts are as they stood
     * then); otherwise {@code exitCode} is the demo's.
     */
    public record Outcome(boolean done, int exitCode, long ingested, long trained, long deadLetters, long firstRecommendationMs) {
    }

    private final PrintStream out;
    private final KafkaProgress progress;
    private final DatasetChoice choice;
    private final Path checkpoints;
    private final StatusRenderer status;
    private final Timeline timeline = new Timeline();
    private final Map<String, Long> peakRssMb = new LinkedHashMap<>();

    /** The status line's RMSE is the first family's (the one served by default). */
    private final io.streamrec.common.topic.ModelFamilies families;

    public StackWatch(PrintStream out, KafkaProgress progress, DatasetChoice choice, Path checkpoints, StatusRenderer status) {
        this(out, progress, choice, checkpoints, status, io.streamrec.common.topic.ModelFamilies.single("mf"));
    }

    public StackWatch(PrintStream out, KafkaProgress progress, DatasetChoice choice, Path checkpoints, StatusRenderer status,
                      io.streamrec.common.topic.ModelFamilies families) {
        this.families = families;
        this.out = out;
        this.progress = progress;
        this.choice = choice;
        this.checkpoints = checkpoints;
        this.status = status;
    }

    public Outcome watch(DemoStack stack, DemoSupervisor supervisor, boolean untilDone, int timeoutSeconds, long t0)
            throws InterruptedException {
        long deadline = t0 + TimeUnit.SECONDS.toMillis(timeoutSeconds);
        long firstRecommendationMs = -1;
        Topics topics = Topics.defaults();
        ManagedProcess replay = stack.replay();
        while (!supervisor.awaitStop(1, TimeUnit.SECONDS)) {
            for (ManagedProcess p : stack.services()) {
                if (!p.isAlive()) {
                    return failed(p);
                }
            }
            if (!replay.isAlive() && replay.exitValue() != 0) {
                return failed(replay);
            }
            long in = progress.committedEnd(topics.ratings().name());
            long dlq = progress.committedEnd(topics.ratingsDlq().name());
            long trained = trained(topics);
            Map<String, PrequentialMetrics> metrics = progress.pollMetrics();
            boolean scorerUp = stack.scorer().healthy();
            if (firstRecommendationMs < 0 && scorerUp && anyRecommendation(stack.scorer())) {
                firstRecommendationMs = System.currentTimeMillis() - t0;
                out.println("  first recommendation served " + firstRecommendationMs + " ms after launch");
            }
            StatusRenderer.StackStatus now = new StatusRenderer.StackStatus(in, trained, dlq,
                    PrequentialSummary.of(PrequentialSummary.byFamily(metrics.values(), families).get(families.first())),
                    replay.isAlive(), scorerUp);
            long nowMs = System.currentTimeMillis();
            timeline.add(new Timeline.Sample(nowMs - t0, in, trained, now.lag(), ProcessStats.directorySize(checkpoints),
                    rssMb(stack.broker()), rssMb(stack.trainer()), rssMb(stack.scorerProcess())));
            peak(stack.trainer());
            peak(stack.scorerProcess());
            peak(stack.broker());
            status.show(now, nowMs);
            boolean replayDone = !replay.isAlive() && replay.exitValue() == 0;
            if (untilDone && replayDone && in > 0 && trained >= in - dlq && scorerUp && stack.scorer().caughtUp()) {
                out.println("replay fully trained: " + trained + " events; scorer caught up.");
                return new Outcome(true, 0, in, trained, dlq, firstRecommendationMs);
            }
            if (untilDone && nowMs > deadline) {
                out.println("demo: gave up after " + timeoutSeconds + " s (ingested " + in + ", trained " + trained + ")");
                return new Outcome(false, 1, in, trained, dlq, firstRecommendationMs);
            }
        }
        out.println("\nstopping (Ctrl-C)...");
        return new Outcome(false, 0, -1, -1, -1, firstRecommendationMs);
    }

    /** One sample per second so far. */
    public Timeline timeline() {
        return timeline;
    }

    /** Peak RSS per child (MB), in the order first seen: trainer, scorer, broker. */
    public Map<String, Long> peakRssMb() {
        return new LinkedHashMap<>(peakRssMb);
    }

    private Outcome failed(ManagedProcess p) {
        DemoSupervisor.reportFailure(p, out);
        return new Outcome(false, 1, -1, -1, -1, -1);
    }

    private long trained(Topics topics) {
        long best = 0;
        for (String g : progress.groups("streamrec-trainer")) {
            best = Math.max(best, progress.groupCommitted(g, topics.ratings().name()));
        }
        return best;
    }

    private boolean anyRecommendation(ScorerClient scorer) {
        for (long u : choice.sampleUsers()) {
            if (scorer.recommendations(u, 1).map(r -> !r.items().isEmpty()).orElse(false)) {
                return true;
            }
        }
        return false;
    }

    private static long rssMb(ManagedProcess p) {
        return p == null ? -1 : ProcessStats.of(p.pid()).rssKb() / 1024;
    }

    private void peak(ManagedProcess p) {
        if (p != null && p.isAlive()) {
            long hwm = ProcessStats.of(p.pid()).peakRssKb() / 1024;
            peakRssMb.merge(p.name(), hwm, Math::max);
        }
    }
}
