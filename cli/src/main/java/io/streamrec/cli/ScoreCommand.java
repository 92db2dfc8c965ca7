package io.streamrec.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code streamrec score ...}: runs the Kafka Streams scorer in its own JVM; every argument goes there. */
@Command(name = "score", description = {"Run the scorer: live top-K recommendations over HTTP and to Kafka, and the dashboard.",
        "Run 'streamrec score --help' for its options."})
public final class ScoreCommand implements Callable<Integer> {

    static final String MAIN = "io.streamrec.scorer.ScorerMain";
    /** ChildJvm adds the Vector API (the SIMD top-K kernel) to every child. */
    static final List<String> JVM_ARGS = List.of("-Xmx2g");

    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        return ChildJvm.runForeground("scorer", MAIN, JVM_ARGS, args);
    }
}
