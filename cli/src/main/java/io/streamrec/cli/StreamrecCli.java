package io.streamrec.cli;

import io.streamrec.common.config.ConfigException;
import io.streamrec.common.config.LogLevels;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The single entry point, {@code ./streamrec}. Trainer and scorer run in child JVMs of their own (Flink's
 * frocksdbjni and Kafka Streams' rocksdbjni must never share a classpath); everything else runs here.
 */
@Command(name = "streamrec", mixinStandardHelpOptions = true, versionProvider = StreamrecCli.Version.class,
        description = "Streaming online-learning recommender: Kafka → Flink (online biased MF) → Kafka Streams top-K.",
        subcommands = {
                BrokerCommand.class,
                IngestCommand.class,
                TrainCommand.class,
                ScoreCommand.class,
                EvaluateCommand.class,
                DemoCommand.class,
                BenchCommand.class,
                CommandLine.HelpCommand.class
        })
public final class StreamrecCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        LogLevels.fromArgs(args);
        io.streamrec.common.config.ParentWatch.installFromSystemProperty(); // a no-op unless a launcher started us
        System.exit(execute(args));
    }

    /** Runs a command line and returns its exit code: 0 ok, 1 failure, 2 usage error. */
    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new StreamrecCli());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            boolean verbose = parseResult.expandedArgs().contains("-v") || parseResult.expandedArgs().contains("--verbose");
            String what = e instanceof ConfigException || e instanceof IllegalArgumentException
                    ? "configuration error" : "error";
            commandLine.getErr().println("streamrec " + commandLine.getCommandName() + ": " + what + ": " + e.getMessage());
            if (verbose) {
                e.printStackTrace(commandLine.getErr());
            } else if (!(e instanceof IllegalArgumentException)) {
                commandLine.getErr().println("(run with --verbose for the stack trace)");
            }
            return e instanceof IllegalArgumentException ? 2 : 1;
        });
        return cli.execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"streamrec " + LogLevels.version(StreamrecCli.class),
                    "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"};
        }
    }
}
