package io.streamrec.cli.demo;

import java.util.ArrayList;
import java.util.List;

/** One sample per second of a running stack, for the report and the throughput plot. */
public final class Timeline {

    /** @param rssMb current RSS of broker, trainer, scorer (MB) */
    public record Sample(long elapsedMs, long ingested, long trained, long lag, long checkpointBytes,
                         long brokerRssMb, long trainerRssMb, long scorerRssMb) {
    }

    private final List<Sample> samples = new ArrayList<>();

    public void add(Sample s) {
        samples.add(s);
    }

    public List<Sample> samples() {
        return List.copyOf(samples);
    }

    /**
     * Sustained training throughput: trained events per second between the first sample with any training and the
     * first sample where everything ingested was trained (so idle time after the end does not dilute it).
     */
    public double sustainedTrainedPerSecond() {
        Sample first = null;
        Sample last = null;
        for (Sample s : samples) {
            if (first == null && s.trained() > 0) {
                first = s;
            }
            if (first != null && s.trained() > (last == null ? 0 : last.trained())) {
                last = s;
            }
        }
        if (first == null || last == null || last.elapsedMs() <= first.elapsedMs()) {
            return Double.NaN;
        }
        return (last.trained() - first.trained()) * 1000.0 / (last.elapsedMs() - first.elapsedMs());
    }

    public long maxLag() {
        return samples.stream().mapToLong(Sample::lag).max().orElse(0);
    }
}
