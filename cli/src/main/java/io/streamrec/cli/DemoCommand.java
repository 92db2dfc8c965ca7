package io.streamrec.cli;

import io.streamrec.broker.EmbeddedKafkaBroker;
import io.streamrec.cli.demo.DataDirManifest;
import io.streamrec.cli.demo.DatasetChoice;
import io.streamrec.cli.demo.DatasetIdentity;
import io.streamrec.cli.demo.DemoDatasets;
import io.streamrec.cli.demo.DemoReporter;
import io.streamrec.cli.demo.DemoStack;
import io.streamrec.cli.demo.DemoSupervisor;
import io.streamrec.cli.demo.KafkaProgress;
import io.streamrec.cli.demo.ManagedProcess;
import io.streamrec.cli.demo.ScorerClient;
import io.streamrec.cli.demo.StackWatch;
import io.streamrec.cli.demo.StatusRenderer;
import io.streamrec.common.config.LogLevels;
import io.streamrec.common.topic.Topics;
import io.streamrec.common.topic.ModelFamilies;
import io.streamrec.model.ModelKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * {@code streamrec demo}: broker, trainer, scorer and a replay as supervised child processes on 127.0.0.1, with a
 * live status line per component, the dashboard URL, and (with {@code --until-done}) a JSON report. This class reads
 * the options, picks the dataset and data directory, and wires the parts in {@code io.streamrec.cli.demo} together:
 * {@link DemoSupervisor} (the children), {@link StackWatch} (the live loop), {@link DemoReporter} (the report).
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Start broker, trainer, scorer and a replay on 127.0.0.1 and watch a recommender learn live.",
                "Prints the dashboard URL; Ctrl-C stops everything."})
public final class DemoCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(DemoCommand.class);
    private static final Pattern BOOTSTRAP_LINE = Pattern.compile("bootstrap\\.servers=(\\S+)");

    @Option(names = "--dataset", paramLabel = "PATH|ml-latest-small|ml-100k|synthetic", defaultValue = "ml-latest-small",
            description = "What to replay (default ${DEFAULT-VALUE}: local cache, else downloaded with a checksum, else synthetic).")
    String dataset;

    @Option(names = "--rate", paramLabel = "N", description = "Replay at N events/s.")
    Double rate;

    @Option(names = "--speedup", paramLabel = "X", description = "Replay X seconds of dataset time per second.")
    Double speedup;

    @Option(names = "--fast", description = "Replay as fast as possible.")
    boolean fast;

    @Option(names = "--duration", paramLabel = "SECONDS", defaultValue = "120",
            description = "Default pace: the whole dataset in about this many seconds (default ${DEFAULT-VALUE}).")
    int durationSeconds;

    @Option(names = "--until-done", description = "Exit once the replay is fully trained and the scorer has caught up.")
    boolean untilDone;

    @Option(names = "--report", paramLabel = "FILE", description = "Write a JSON report here at the end (with --until-done).")
    Path report;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = ".streamrec/demo",
            description = "Kafka data, checkpoints, scorer state and logs (default ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--fresh", description = "Delete the data directory first (a clean start).")
    boolean fresh;

    @Option(names = "--http-port", defaultValue = "8080", description = "Scorer/dashboard port on 127.0.0.1; 0 picks one (default ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--parallelism", defaultValue = "1", description = "Trainer parallelism (default ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(names = "--no-download", description = "Never download datasets.")
    boolean noDownload;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "900",
            description = "With --until-done: give up after this long (default ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = "--plots", paramLabel = "DIR", description = "With --until-done: write throughput, RMSE and freshness PNGs here.")
    Path plots;

    @Option(names = "--linger", paramLabel = "SECONDS", defaultValue = "0",
            description = "With --until-done: keep everything (and the dashboard) up this long after the report (default ${DEFAULT-VALUE}).")
    int lingerSeconds;

    @Option(names = "--probes", defaultValue = "20", description = "Freshness probes at the end (default ${DEFAULT-VALUE}).")
    int probes;

    @Option(names = "--model", paramLabel = "FAMILY[,FAMILY...]", defaultValue = "mf",
            description = "Model family the trainer learns and the scorer serves: mf, baseline, mean, popular, dlplus, hybrid (DL+ with the dataset's genres, year, title words and demographics), u-autorec (default ${DEFAULT-VALUE}). "
                    + "Several, comma-separated (mf,popular), learn side by side from the same stream and are served with ?model= "
                    + "(the first by default); the summary and report give each one's figures. "
                    + "A data directory trained with another family or set starts fresh.")
    String model;

    @Option(names = "--scorers", paramLabel = "N", defaultValue = "1",
            description = "Scorer instances of one application (1 to 4, default ${DEFAULT-VALUE}): they split the users, keep "
                    + "standby copies of each other's, and any of them answers any request; the dashboard is on the first.")
    int scorers;

    @Option(names = {"-v", "--verbose"}, description = "Log more.")
    boolean verbose;

    private final DemoSupervisor supervisor = new DemoSupervisor();
    private ModelFamilies families = ModelFamilies.single(ModelKind.MF.id());
    private final PrintStream out;

    public DemoCommand() {
        this(System.out);
    }

    /** With the console lines going to {@code out} (tests read them). */
    DemoCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        validate();
        long t0 = System.currentTimeMillis();
        Path home = ChildJvm.home();
        // The dataset first: whether the data directory can be reused depends on what it was built from.
        DatasetChoice choice = chooseDataset(home);
        if (!prepareDataDir(DatasetIdentity.of(choice).trainedWith(families.csv()))) {
            return 2;
        }
        Path logs = dataDir.resolve("logs");
        supervisor.stopOnSignals();
        out.println("streamrec " + LogLevels.version(DemoCommand.class) + " demo: " + choice.description() + ", model " + families.csv());
        try (supervisor) {
            // The broker's port is chosen up front so trainer and scorer start at the same time as the broker (their
            // clients retry until it answers): launch-to-first-recommendation is dominated by JVM and Flink start-up.
            int kafkaPort = EmbeddedKafkaBroker.freePort();
            ManagedProcess broker = supervisor.start("broker", "cli", StreamrecCli.class.getName(),
                    List.of("broker", "--port", Integer.toString(kafkaPort), "--data-dir", dataDir.resolve("kafka").toString(),
                            "--partitions", "2"), BOOTSTRAP_LINE, logs);
            String bootstrap = "127.0.0.1:" + kafkaPort;
            int port = httpPort == 0 ? EmbeddedKafkaBroker.freePort() : httpPort;
            String http = "http://127.0.0.1:" + port;
            ManagedProcess scorer = supervisor.start("scorer", "scorer", ScoreCommand.MAIN,
                    scorerArgs(bootstrap, port, "scorer-state"), null, logs);
            // More instances of the same scorer application: they split the user partitions, keep standbys of each
            // other's, and any of them answers any request (forwarding to the owner).
            List<ManagedProcess> moreScorers = new ArrayList<>();
            List<String> moreUrls = new ArrayList<>();
            for (int k = 2; k <= scorers; k++) {
                int p = EmbeddedKafkaBroker.freePort();
                moreScorers.add(supervisor.start("scorer-" + k, "scorer", ScoreCommand.MAIN,
                        scorerArgs(bootstrap, p, "scorer-state-" + k), null, logs));
                moreUrls.add("http://127.0.0.1:" + p + "/");
            }
            ManagedProcess trainer = supervisor.start("trainer", "stream-trainer", TrainCommand.MAIN,
                    List.of("-b", bootstrap, "--checkpoint-dir", dataDir.resolve("checkpoints").toAbsolutePath().toString(),
                            "--checkpoint-interval", "1s", "--parallelism", Integer.toString(parallelism),
                            "--model", families.csv()), null, logs);
            broker.ready().get(90, TimeUnit.SECONDS);
            out.println("  broker   ready at " + bootstrap + " (" + (System.currentTimeMillis() - t0) + " ms)");
            ManagedProcess replay = supervisor.start("replay", "cli", StreamrecCli.class.getName(), replayArgs(choice, bootstrap), null, logs);
            out.println("  dashboard " + http + "/   (logs in " + logs + ")");
            if (!moreUrls.isEmpty()) {
                out.println("  more scorer instances, each answering every request: " + String.join("  ", moreUrls));
            }

            DemoStack stack = new DemoStack(broker, replay, trainer, scorer, bootstrap, new ScorerClient(http), moreScorers);
            Path checkpoints = dataDir.resolve("checkpoints");
            try (KafkaProgress progress = new KafkaProgress(bootstrap, Topics.defaults())) {
                StackWatch watch = new StackWatch(out, progress, choice, checkpoints, StatusRenderer.forConsole(out), families);
                StackWatch.Outcome outcome = watch.watch(stack, supervisor, untilDone, timeoutSeconds, t0);
                if (!outcome.done()) {
                    return outcome.exitCode();
                }
                new DemoReporter(out, choice, checkpoints, families).finish(stack, watch, progress, outcome, t0, probes, plots, report);
                if (lingerSeconds > 0) {
                    out.println("dashboard stays up at " + http + "/ for " + lingerSeconds + " s (Ctrl-C to stop now)");
                    out.flush();
                    supervisor.awaitStop(lingerSeconds, TimeUnit.SECONDS);
                }
                return 0;
            }
        }
    }

    /** Ends the demo as Ctrl-C would (used by tests that drive the lingering dashboard). */
    void requestStop() {
        supervisor.requestStop();
    }

    /**
     * Deletes the data directory on {@code --fresh} or when it was built from another dataset (saying so), and records
     * the dataset when it starts empty. False when it holds files the demo did not write (the user decides).
     */
    boolean prepareDataDir(DatasetIdentity dataset) throws IOException {
        DataDirManifest.Decision d = fresh ? new DataDirManifest.Decision(DataDirManifest.Action.START_FRESH, null)
                : DataDirManifest.decide(dataDir, dataset);
        switch (d.action()) {
            case REFUSE -> {
                out.println("demo: " + d.message());
                return false;
            }
            case START_FRESH -> {
                if (d.message() != null) {
                    out.println("demo: " + d.message());
                }
                deleteRecursively(dataDir);
            }
            case CREATE, REUSE -> {
                // Nothing to delete.
            }
        }
        Files.createDirectories(dataDir);
        if (d.action() != DataDirManifest.Action.REUSE) {
            DataDirManifest.write(dataDir, dataset);
        }
        LOG.info("data directory {} ({}) holds {}: {}", dataDir, d.action(), dataset.name(), dataset.fingerprint());
        return true;
    }

    private List<String> scorerArgs(String bootstrap, int port, String stateDir) {
        List<String> a = new ArrayList<>(List.of("-b", bootstrap, "--http", "127.0.0.1:" + port,
                "--state-dir", dataDir.resolve(stateDir).toAbsolutePath().toString()));
        if (scorers > 1) {
            a.addAll(List.of("--standby-replicas", "1"));
        }
        if (families.several()) {
            // A single family keeps the scorer as it was (serving what the factors topic holds).
            a.addAll(List.of("--model", families.csv()));
        }
        return a;
    }

    private List<String> replayArgs(DatasetChoice choice, String bootstrap) {
        List<String> a = new ArrayList<>(List.of("ingest", "-b", bootstrap, "--dataset", choice.argument()));
        a.addAll(choice.extraArgs());
        if (fast) {
            // no pacing flag: as fast as possible
        } else if (rate != null) {
            a.addAll(List.of("--rate", Double.toString(rate)));
        } else if (speedup != null) {
            a.addAll(List.of("--speedup", Double.toString(speedup)));
        } else {
            a.addAll(List.of("--rate", Long.toString(Math.max(100, choice.events() / Math.max(1, durationSeconds)))));
        }
        return a;
    }

    private DatasetChoice chooseDataset(Path home) {
        Path cache = Path.of(System.getProperty("user.home"), ".cache", "streamrec", "datasets");
        if (dataset.equals("synthetic")) {
            return DatasetChoice.synthetic("synthetic stream (asked for)");
        }
        if (DemoDatasets.isKnown(dataset)) {
            DemoDatasets.Resolved r = DemoDatasets.resolve(dataset, home, cache, !noDownload);
            if (r.path().isPresent()) {
                return DatasetChoice.load(r.path().get(), dataset + " (" + r.how() + ")");
            }
            out.println("demo: " + r.how() + "; using the synthetic stream instead.");
            return DatasetChoice.synthetic("synthetic stream (" + dataset + " unavailable: " + r.how() + ")");
        }
        Path p = Path.of(dataset);
        if (!Files.exists(p)) {
            throw new IllegalArgumentException("--dataset: no such file or folder, and not one of ml-latest-small, ml-100k, synthetic: " + dataset);
        }
        return DatasetChoice.load(p, p.toString());
    }

    private void validate() {
        List<String> ids = new ArrayList<>();
        for (String id : ModelFamilies.split(model)) {
            ModelKind kind = ModelKind.parse(id);
            if (kind == ModelKind.I_AUTOREC) {
                throw new IllegalArgumentException("--model i-autorec is trained offline on whole item vectors: try it with "
                        + "'streamrec evaluate --model i-autorec --protocol holdout'; the demo streams u-autorec, mf, dlplus, ...");
            }
            ids.add(kind.id());
        }
        families = new ModelFamilies(ids);
        int pacing = (fast ? 1 : 0) + (rate != null ? 1 : 0) + (speedup != null ? 1 : 0);
        if (pacing > 1) {
            throw new IllegalArgumentException("choose one of --fast, --rate, --speedup");
        }
        if (rate != null && !(rate > 0)) {
            throw new IllegalArgumentException("--rate must be positive");
        }
        if (speedup != null && !(speedup > 0)) {
            throw new IllegalArgumentException("--speedup must be positive");
        }
        if ((report != null || plots != null) && !untilDone) {
            throw new IllegalArgumentException("--report and --plots need --until-done");
        }
        if (probes < 0 || probes > 1000) {
            throw new IllegalArgumentException("--probes must be in [0, 1000]");
        }
        if (scorers < 1 || scorers > 4) {
            throw new IllegalArgumentException("--scorers must be in [1, 4]");
        }
        if (parallelism < 1 || parallelism > 8) {
            throw new IllegalArgumentException("--parallelism must be in [1, 8]");
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
