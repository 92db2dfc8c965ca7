package io.streamrec.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code streamrec train ...}: runs the Flink trainer in its own JVM; every argument, --help included, goes there. */
@Command(name = "train", description = {"Run the online trainer (Flink job) on a local MiniCluster or a Flink cluster.",
        "Run 'streamrec train --help' for its options."})
public final class TrainCommand implements Callable<Integer> {

    static final String MAIN = "io.streamrec.trainer.TrainerMain";

    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        return ChildJvm.runForeground("stream-trainer", MAIN, List.of("-Xmx3g"), args);
    }
}
