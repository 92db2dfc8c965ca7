package io.streamrec.cli;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** Placeholder until the learner lands: says so and fails. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Run the online learner over a dataset offline (prequential or holdout). (not implemented yet)")
public final class EvaluateCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("streamrec evaluate: not implemented yet");
        return 1;
    }
}
