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

    public long maxLag() {
        return samples.stream().mapToLong(Sample::lag).max().orElse(0);
    }
}
