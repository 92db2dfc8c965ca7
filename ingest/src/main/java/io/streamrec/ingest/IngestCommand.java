package io.streamrec.ingest;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** Placeholder until the ingest implementation lands: says so and fails. */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = "Replay a rating dataset (MovieLens, Netflix Prize, synthetic) into Kafka. (not implemented yet)")
public final class IngestCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("streamrec ingest: not implemented yet");
        return 1;
    }
}
