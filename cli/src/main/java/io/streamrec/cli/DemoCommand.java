package io.streamrec.cli;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/**
 * {@code streamrec demo}: the whole system in one command. Until the trainer and scorer land it says what it will do
 * and fails, so nobody mistakes it for working.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Start broker, trainer, scorer and a replay on 127.0.0.1 and watch a recommender learn live.",
                "(not available yet: needs the trainer and the scorer)"})
public final class DemoCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("""
                streamrec demo will start, on 127.0.0.1: the embedded Kafka broker, the trainer (Flink MiniCluster,
                RocksDB, 1 s checkpoints), the scorer with its dashboard, and a replay of MovieLens ml-latest-small.
                It is not available in this build yet: the trainer and scorer are still being built.
                What works today: 'streamrec broker', 'streamrec ingest --help'.""");
        return 1;
    }
}
