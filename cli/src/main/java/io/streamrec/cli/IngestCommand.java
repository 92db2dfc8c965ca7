package io.streamrec.cli;

import io.streamrec.ingest.*;

import io.streamrec.options.ConnectionOptions;
import io.streamrec.common.config.StreamrecConfig;
import io.streamrec.common.event.RatingScale;
import io.streamrec.ingest.replay.ProgressMode;
import io.streamrec.ingest.replay.ReplayConfig;
import io.streamrec.ingest.replay.ReplaySource;
import io.streamrec.ingest.replay.ReplaySummary;
import io.streamrec.ingest.replay.Replayer;
import io.streamrec.ingest.synthetic.DriftKind;
import io.streamrec.ingest.synthetic.SyntheticConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code streamrec ingest}: replays a rating dataset (MovieLens, Netflix Prize) or a synthetic drifting stream into
 * Kafka in event-time order. Exit codes: 0 done, 1 failed, 2 usage error. (Over 300 lines, most of them flag
 * declarations with their help texts; the replay itself is {@code Replayer}.)
 */
@Command(name = "ingest", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Replay a rating dataset (MovieLens ml-100k/1m/10m/latest/20m/25m/32m, Netflix Prize) or a synthetic "
                        + "drifting stream into Kafka, in event-time order.",
                "Ratings go to the ratings topic keyed by user; item and user metadata to the compacted items/users topics."},
        footer = {"", "Examples:",
                "  streamrec ingest ml-latest-small --rate 2000",
                "  streamrec ingest --dataset ml-25m.zip --speedup 86400 --rejects bad.tsv",
                "  streamrec ingest --dataset synthetic --events 10000000 --drift-at 0.5 --write-truth truth.bin",
                "  streamrec ingest ml-100k --dry-run"},
        exitCodeOnInvalidInput = 2, exitCodeOnExecutionException = 1)
public final class IngestCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(IngestCommand.class);

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Parameters(index = "0", arity = "0..1", paramLabel = "DATASET",
            description = "Dataset directory, ratings file, .zip or .gz; or 'synthetic' (same as --dataset).")
    String positionalDataset;

    @Option(names = {"-d", "--dataset"}, paramLabel = "PATH|synthetic",
            description = "What to replay: a dataset path, or 'synthetic' for the generated stream.")
    String dataset;

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "Dataset format instead of auto-detection: ml-100k, ml-1m, ml-10m, ml-latest (also ml-20m/25m/32m), netflix.")
    String format;

    @Option(names = "--scale", paramLabel = "MIN:MAX[:STEP]",
            description = "Rating scale to enforce instead of the format's (e.g. 1:5:1, 0.5:5:0.5).")
    String scale;

    @Option(names = "--rate", paramLabel = "N", description = "Send N events per second (default: as fast as possible).")
    Double rate;

    @Option(names = "--speedup", paramLabel = "X", description = "Replay X seconds of dataset time per second.")
    Double speedup;

    @Option(names = "--limit", paramLabel = "N", description = "Stop after N events.")
    Long limit;

    @Option(names = "--from", paramLabel = "N", defaultValue = "0",
            description = "Skip the first N events of the time-ordered stream (resume a replay).")
    long from;

    @Option(names = "--loop", description = "Start over at the end, event times shifted forward (a soak test). Ctrl-C stops.")
    boolean loop;

    @Option(names = "--dry-run", description = "Parse, sort and summarize without Kafka.")
    boolean dryRun;

    @Option(names = "--rejects", paramLabel = "FILE", description = "Write every rejected line (file:line, reason, text) here.")
    Path rejectsFile;

    @Option(names = "--no-metadata", description = "Do not send item/user metadata.")
    boolean noMetadata;

    @Option(names = "--no-create-topics", description = "Do not create missing topics.")
    boolean noCreateTopics;

    @Option(names = "--partitions", paramLabel = "N", description = "Partitions of topics created here (default: the 'partitions' setting, 2).")
    Integer partitions;

    @Option(names = "--memory-budget", paramLabel = "SIZE",
            description = "Heap for sorting (e.g. 512m, 2g); larger datasets are sorted through temporary files. Default: half the max heap.")
    String memoryBudget;

    @Option(names = "--temp-dir", paramLabel = "DIR", description = "Where sort runs are spilled (default: the system temp dir).")
    Path tempDir;

    @Option(names = "--progress", paramLabel = "MODE", defaultValue = "auto",
            description = "auto (bar on a terminal, log lines otherwise), bar, log or none.")
    String progress;

    @Option(names = "--log-interval", paramLabel = "SECONDS", defaultValue = "5",
            description = "Seconds between progress log lines when not on a terminal (default ${DEFAULT-VALUE}).")
    double logIntervalSeconds;

    // Synthetic stream.
    @Option(names = "--seed", defaultValue = "42", description = "Synthetic: random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--users", defaultValue = "1000", description = "Synthetic: number of users (default ${DEFAULT-VALUE}).")
    int users;

    @Option(names = "--items", defaultValue = "2000", description = "Synthetic: number of items (default ${DEFAULT-VALUE}).")
    int items;

    @Option(names = "--events", defaultValue = "100000", description = "Synthetic: number of events (default ${DEFAULT-VALUE}).")
    long events;

    @Option(names = "--rank", defaultValue = "8", description = "Synthetic: rank of the planted factors (default ${DEFAULT-VALUE}).")
    int rank;

    @Option(names = "--noise", defaultValue = "0.5", description = "Synthetic: Gaussian noise std (default ${DEFAULT-VALUE}).")
    double noise;

    @Option(names = "--user-skew", defaultValue = "0.6", description = "Synthetic: Zipf exponent of user activity (default ${DEFAULT-VALUE}).")
    double userSkew;

    @Option(names = "--item-skew", defaultValue = "0.8", description = "Synthetic: Zipf exponent of item popularity (default ${DEFAULT-VALUE}).")
    double itemSkew;

    @Option(names = "--drift-at", paramLabel = "FRACTION", description = "Synthetic: drift after this fraction of the events (0..1).")
    Double driftAt;

    @Option(names = "--drift-kind", paramLabel = "KIND", description = "Synthetic: user-taste (default with --drift-at), item-bias or both.")
    String driftKind;

    @Option(names = "--drift-share", defaultValue = "0.5", description = "Synthetic: share of users/items that drift (default ${DEFAULT-VALUE}).")
    double driftShare;

    @Option(names = "--interval-ms", defaultValue = "1000", description = "Synthetic: event-time spacing in ms (default ${DEFAULT-VALUE}).")
    long intervalMs;

    @Option(names = "--write-truth", paramLabel = "FILE", description = "Synthetic: write the planted parameters here.")
    Path truthFile;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command with one-line usage errors ("streamrec ingest: ...; see --help") instead of the full help. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new IngestCommand());
        cl.setParameterExceptionHandler((ex, args) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("streamrec ingest: " + ex.getMessage() + " (see streamrec ingest --help)");
            err.flush();
            return 2;
        });
        return cl;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ReplayConfig config;
        Map<String, Object> producer;
        try {
            StreamrecConfig sc = connection.config();
            config = replayConfig(sc);
            producer = Replayer.producerConfig(sc.bootstrapServers(), sc.kafkaOverrides());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        Replayer replayer = new Replayer(config, producer);
        CountDownLatch done = new CountDownLatch(1);
        // Ctrl-C: stop sending, flush what is in flight, print the summary with the position to resume from.
        Thread hook = new Thread(() -> {
            replayer.stop();
            try {
                done.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "ingest-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            ReplaySummary summary = replayer.run();
            out.print(summary.describe());
            out.flush();
            return 0;
        } catch (RuntimeException e) {
            return fail(err, e);
        } finally {
            done.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down: the hook is running and waits for the latch released above
            }
        }
    }

    private int fail(PrintWriter err, RuntimeException e) {
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        err.println("streamrec ingest: " + msg);
        if (connection.verbose()) {
            e.printStackTrace(err);
        } else {
            LOG.debug("ingest failed", e);
        }
        err.flush();
        return 1;
    }

    ReplayConfig replayConfig(StreamrecConfig sc) {
        String what = dataset != null ? dataset : positionalDataset;
        if (dataset != null && positionalDataset != null && !dataset.equals(positionalDataset)) {
            throw new IllegalArgumentException("give the dataset once: either DATASET or --dataset");
        }
        if (what == null || what.isBlank()) {
            throw new IllegalArgumentException("say what to replay: a dataset path or --dataset synthetic");
        }
        ReplaySource source;
        RatingScale scaleOverride = scale == null ? null : RatingScale.parse(scale);
        if (what.equalsIgnoreCase("synthetic")) {
            if (format != null) {
                throw new IllegalArgumentException("--format applies to dataset files, not to --dataset synthetic");
            }
            DriftKind kind = DriftKind.NONE;
            if (driftKind != null) {
                kind = parseDriftKind(driftKind);
                if (kind != DriftKind.NONE && driftAt == null) {
                    throw new IllegalArgumentException("--drift-kind needs --drift-at FRACTION");
                }
            } else if (driftAt != null) {
                kind = DriftKind.USER_TASTE;
            }
            SyntheticConfig d = SyntheticConfig.defaults();
            SyntheticConfig c = new SyntheticConfig(users, items, events, rank, noise, userSkew, itemSkew, seed,
                    driftAt == null ? 0.5 : driftAt, kind, driftShare, scaleOverride == null ? d.scale() : scaleOverride,
                    d.globalMean(), d.biasStd(), SyntheticConfig.factorStdFor(0.8, rank), d.startMs(), intervalMs);
            source = new ReplaySource.Synthetic(c, truthFile);
        } else {
            if (truthFile != null) {
                throw new IllegalArgumentException("--write-truth only applies to --dataset synthetic");
            }
            long budget = memoryBudget == null ? Runtime.getRuntime().maxMemory() / 2 : parseSize(memoryBudget);
            LoadOptions lo = new LoadOptions(format == null ? null : DatasetFormat.parse(format), scaleOverride,
                    budget, tempDir, rejectsFile, RejectLog.DEFAULT_SAMPLES);
            Path path = Path.of(what);
            if (!java.nio.file.Files.exists(path)) {
                throw new IllegalArgumentException("dataset " + path + " does not exist (give a directory, ratings file, .zip or .gz, or 'synthetic')");
            }
            source = new ReplaySource.Dataset(path, lo);
        }
        if (!(logIntervalSeconds > 0)) {
            throw new IllegalArgumentException("--log-interval must be > 0 seconds");
        }
        return new ReplayConfig(source, sc.topics(), partitions != null ? partitions : sc.partitions(),
                sc.replicationFactor(), rate == null ? 0 : rate, speedup == null ? 0 : speedup,
                limit == null ? -1 : limit, from, loop, !noMetadata, !noCreateTopics, dryRun,
                parseProgress(progress), Duration.ofMillis((long) (logIntervalSeconds * 1000)));
    }

    private static DriftKind parseDriftKind(String s) {
        String t = s.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        try {
            return DriftKind.valueOf(t);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--drift-kind must be user-taste, item-bias, both or none, got '" + s + "'");
        }
    }

    private static ProgressMode parseProgress(String s) {
        try {
            return ProgressMode.valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--progress must be auto, bar, log or none, got '" + s + "'");
        }
    }

    /** "512m", "2g", "64k" or plain bytes. */
    static long parseSize(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        long mult = 1;
        if (t.endsWith("b")) {
            t = t.substring(0, t.length() - 1);
        }
        if (t.endsWith("k")) {
            mult = 1L << 10;
        } else if (t.endsWith("m")) {
            mult = 1L << 20;
        } else if (t.endsWith("g")) {
            mult = 1L << 30;
        }
        if (mult > 1) {
            t = t.substring(0, t.length() - 1);
        }
        try {
            double v = Double.parseDouble(t);
            if (!(v > 0) || Double.isInfinite(v)) {
                throw new NumberFormatException();
            }
            return (long) (v * mult);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--memory-budget must be a size like 512m or 2g, got '" + s + "'");
        }
    }
}
