package io.streamrec.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.streamrec.common.config.Settings;
import io.streamrec.common.event.PrequentialMetrics;
import io.streamrec.common.event.RankingMetrics;
import io.streamrec.ingest.DatasetFormat;
import io.streamrec.ingest.DatasetLoader;
import io.streamrec.ingest.LoadOptions;
import io.streamrec.ingest.LoadedDataset;
import io.streamrec.ingest.RatingColumns;
import io.streamrec.ingest.synthetic.DriftKind;
import io.streamrec.ingest.synthetic.SyntheticConfig;
import io.streamrec.ingest.synthetic.SyntheticStream;
import io.streamrec.model.MfHyperParameters;
import io.streamrec.model.ModelKind;
import io.streamrec.options.ModelOptions;
import io.streamrec.model.OnlineModel;
import io.streamrec.model.OnlineModels;
import io.streamrec.model.eval.BatchTrainedModel;
import io.streamrec.model.eval.OfflineEvaluation;
import io.streamrec.model.eval.PrequentialRanking;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * {@code streamrec evaluate}: the trainer's learner ({@link OnlineModel}, same mini-batching, same calls) over a
 * dataset file or a synthetic stream, without Kafka or Flink. Prequential (test-then-train, single pass, event-time
 * order) or holdout (random split, N passes over the training part, then score the rest).
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the online learner over a dataset offline and report RMSE/MAE.",
                "Example: streamrec evaluate --dataset ../shared/datasets/ml-100k --protocol prequential --report out.json"})
public final class EvaluateCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(EvaluateCommand.class);

    @Spec
    CommandSpec spec;

    @Option(names = {"-d", "--dataset"}, required = true, paramLabel = "PATH|synthetic",
            description = "Dataset directory, ratings file, .zip or .gz (format detected), or 'synthetic'.")
    String dataset;

    @Option(names = "--format", paramLabel = "FORMAT", description = "Dataset format, when detection is not enough.")
    String format;

    @Option(names = "--protocol", paramLabel = "NAME", defaultValue = "prequential",
            description = "prequential (default: test-then-train, single pass in event-time order) or holdout.")
    String protocol;

    @Option(names = "--test-fraction", paramLabel = "F", defaultValue = "0.2",
            description = "Holdout: share of events held out at random (default ${DEFAULT-VALUE}).")
    double testFraction;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "10",
            description = "Holdout: passes over the training part, each freshly shuffled (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--split-seed", paramLabel = "SEED", defaultValue = "1",
            description = "Holdout: seed of the split and the shuffles (default ${DEFAULT-VALUE}).")
    long splitSeed;

    @Option(names = "--model", paramLabel = "NAME", description = "mf (default), baseline (biases only), mean, dlplus (embedding MLP; see --hidden, --dropout, --dense-learning-rate), popular (most-rated items; --set model.popular.half-life-hours=H to decay), hybrid (DL+ with the dataset's genres, year, title words and demographics; --set model.hybrid.text=cnn), u-autorec (online) or i-autorec (holdout only; --set model.i-autorec.*).")
    String model;

    @Option(names = "--ranking-every", paramLabel = "N", defaultValue = "" + PrequentialRanking.DEFAULT_OFFLINE_EVERY,
            description = "Rank one event in every N (seeded place in each block of N) against every item the user has "
                    + "not rated, for recall@10/50, MRR and nDCG@10; 0 = off (default ${DEFAULT-VALUE}).")
    int rankingEvery;

    @Option(names = "--ranking-seed", paramLabel = "SEED", defaultValue = "1",
            description = "Seed of the ranked events' places (default ${DEFAULT-VALUE}).")
    long rankingSeed;

    @Option(names = "--report", paramLabel = "FILE", description = "Write {dataset, events, protocol, rmse, mae, coldStartShare, eventsPerSecond, recallAt10, recallAt50, mrr, ndcgAt10, rankingSamples, config} as JSON here.")
    Path report;

    @Option(names = "--metrics-every", paramLabel = "N", defaultValue = "0",
            description = "Prequential: print windowed RMSE/MAE and drift state every N events (default off).")
    int metricsEvery;

    @Option(names = "--config", paramLabel = "FILE", description = "Properties file with model.* settings (flags win).")
    Path configFile;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Any other setting, e.g. --set model.beta2=0.99.")
    Map<String, String> extra = new LinkedHashMap<>();

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--events", paramLabel = "N", defaultValue = "100000", description = "Synthetic: events (default ${DEFAULT-VALUE}).")
    long events;

    @Option(names = "--users", paramLabel = "N", defaultValue = "1000", description = "Synthetic: users (default ${DEFAULT-VALUE}).")
    int users;

    @Option(names = "--items", paramLabel = "N", defaultValue = "2000", description = "Synthetic: items (default ${DEFAULT-VALUE}).")
    int items;

    @Option(names = "--seed", paramLabel = "SEED", defaultValue = "42", description = "Synthetic: stream seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--drift-at", paramLabel = "FRACTION", description = "Synthetic: user-taste drift after this fraction of the stream.")
    Double driftAt;

    /** What one run measured, as written to --report. */
    public record Report(String dataset, long events, String protocol, String model, double rmse, double mae,
                         double coldStartShare, double eventsPerSecond, double seconds, long trainEvents,
                         long driftEvents, double recallAt10, double recallAt50, double mrr, double ndcgAt10,
                         long rankingSamples, int rankingEvery, long rankingUnknownItems, double coldStartRmse,
                         long coldStartEvents, Map<String, String> config) {
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Settings settings;
        OnlineModel learner = null;
        BatchTrainedModel batchTrained = null;
        String proto = protocol.trim().toLowerCase(Locale.ROOT);
        try {
            Map<String, String> flags = new LinkedHashMap<>(extra);
            flags.putAll(modelOptions.flags());
            if (model != null) {
                flags.put(MfHyperParameters.Keys.TYPE, model);
            }
            settings = Settings.load(configFile, System.getenv(), flags);
            batchTrained = OnlineModels.batchTrained(settings).orElse(null);
            if (batchTrained == null) {
                learner = OnlineModels.fromSettings(settings);
            }
            if (!proto.equals("prequential") && !proto.equals("holdout")) {
                throw new IllegalArgumentException("--protocol must be prequential or holdout, got '" + protocol + "'");
            }
            if (batchTrained != null && !proto.equals("holdout")) {
                throw new IllegalArgumentException("--model " + batchTrained.kind().id() + " is trained offline on whole "
                        + "item vectors: use --protocol holdout (its epochs are model." + batchTrained.kind().id() + ".epochs)");
            }
            if (!(testFraction > 0 && testFraction < 1)) {
                throw new IllegalArgumentException("--test-fraction must be in (0, 1), got " + testFraction);
            }
            if (epochs < 1) {
                throw new IllegalArgumentException("--epochs must be >= 1, got " + epochs);
            }
            if (rankingEvery < 0) {
                throw new IllegalArgumentException("--ranking-every must be >= 0 (0 = off), got " + rankingEvery);
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }

        long t0 = System.nanoTime();
        LoadedDataset loaded = load();
        RatingColumns ratings = loaded == null ? synthetic()
                : loaded.ratings().isSortedByTime() ? loaded.ratings() : loaded.ratings().sortedByTime();
        if (learner instanceof io.streamrec.model.HybridModel hybrid) {
            loadFeatures(hybrid, loaded, out);
        }
        ModelKind kind = batchTrained != null ? batchTrained.kind() : learner.kind();
        Map<String, String> modelSettings = batchTrained != null ? batchTrained.settings() : learner.settings();
        LOG.info("evaluate: {} ratings from {} loaded in {} ms; {} with {}", ratings.size(), dataset,
                (System.nanoTime() - t0) / 1_000_000, kind, modelSettings);
        OfflineEvaluation.Columns columns = new OfflineEvaluation.Columns(ratings.users(), ratings.items(),
                ratings.ratings(), ratings.timestampsMs());

        OfflineEvaluation.RankingSampling sampling = new OfflineEvaluation.RankingSampling(rankingEvery, rankingSeed);
        OfflineEvaluation.Result result;
        if (proto.equals("prequential")) {
            Consumer<PrequentialMetrics> progress = metricsEvery > 0 ? m -> out.printf(Locale.ROOT,
                    "events %,d  window RMSE %.4f  MAE %.4f  cumulative RMSE %.4f  cold %.3f  drift %s (%d)%n",
                    m.count(), m.windowRmse(), m.windowMae(), m.cumulativeRmse(), m.coldStartShare(), m.drift(),
                    m.driftEvents()) : null;
            result = OfflineEvaluation.prequential(learner, columns, metricsEvery, progress, sampling);
        } else if (batchTrained != null) {
            result = OfflineEvaluation.holdout(batchTrained, columns, testFraction, splitSeed);
        } else {
            result = OfflineEvaluation.holdout(learner, columns, testFraction, epochs, splitSeed, sampling);
        }

        Map<String, String> config = new LinkedHashMap<>();
        config.put(MfHyperParameters.Keys.TYPE, kind.id());
        config.putAll(modelSettings);
        if (proto.equals("holdout")) {
            config.put("holdout.test-fraction", Double.toString(testFraction));
            if (batchTrained == null) {
                config.put("holdout.epochs", Integer.toString(epochs));
            }
            config.put("holdout.split-seed", Long.toString(splitSeed));
        }
        if (sampling.on()) {
            config.put("ranking.every", Integer.toString(rankingEvery));
            config.put("ranking.seed", Long.toString(rankingSeed));
        }
        RankingMetrics rank = result.ranking();
        Report r = new Report(dataset, result.events(), proto, kind.id(),
                result.rmse(), result.mae(), result.coldStartShare(), result.eventsPerSecond(), result.seconds(),
                result.trainEvents(), result.driftEvents(), rank.hitAt10(), rank.hitAt50(), rank.mrr(), rank.ndcgAt10(),
                rank.samples(), rankingEvery, result.rankingUnknownItems(), result.coldStartRmse(),
                result.coldStartEvents(), config);
        out.printf(Locale.ROOT, "%s %s on %s: RMSE %.4f  MAE %.4f  scored %,d events  cold-start %.1f%%  %,.0f events/s%n",
                proto, r.model(), dataset, r.rmse(), r.mae(), r.events(), 100 * r.coldStartShare(), r.eventsPerSecond());
        out.printf(Locale.ROOT, "cold-start items (< %d earlier ratings): RMSE %.4f over %,d events%n",
                io.streamrec.model.eval.ColdStartRmse.THRESHOLD, r.coldStartRmse(), r.coldStartEvents());
        if (rank.samples() > 0) {
            out.printf(Locale.ROOT, "ranking (%,d sampled events, 1 in %d): recall@10 %.4f  recall@50 %.4f  MRR %.4f  nDCG@10 %.4f%n",
                    rank.samples(), rankingEvery, r.recallAt10(), r.recallAt50(), r.mrr(), r.ndcgAt10());
        }
        out.flush();
        if (report != null) {
            Path parent = report.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(report.toFile(), r);
            LOG.info("report written to {}", report);
        }
        return 0;
    }

    private RatingColumns synthetic() {
        SyntheticConfig c = SyntheticConfig.defaults().withSize(users, items, events).withSeed(seed);
        if (driftAt != null) {
            c = c.withDrift(driftAt, DriftKind.USER_TASTE, c.driftShare());
        }
        return new SyntheticStream(c).toColumns();
    }

    /**
     * The dataset's item and user metadata into the hybrid model's features, through the same encoder and limits
     * the trainer applies to the metadata topics; a record beyond them is counted and left out.
     */
    private void loadFeatures(io.streamrec.model.HybridModel hybrid, LoadedDataset ds, PrintWriter out) {
        if (ds == null) {
            out.println("note: synthetic stream has no metadata: hybrid learns without features");
            return;
        }
        long rejected = 0;
        for (var m : ds.items()) {
            try {
                hybrid.features().put(m);
            } catch (io.streamrec.common.serde.MalformedRecordException e) {
                rejected++;
                LOG.warn("item metadata rejected ({}): {}", e.reason(), e.getMessage());
            }
        }
        for (var m : ds.users()) {
            try {
                hybrid.features().put(m);
            } catch (io.streamrec.common.serde.MalformedRecordException e) {
                rejected++;
                LOG.warn("user metadata rejected ({}): {}", e.reason(), e.getMessage());
            }
        }
        out.printf(Locale.ROOT, "hybrid features: %,d items, %,d users (%,d metadata records rejected)%n",
                hybrid.features().itemCount(), hybrid.features().userCount(), rejected);
    }

    /** The dataset as loaded, or null for the synthetic stream. */
    private LoadedDataset load() {
        if (dataset.equalsIgnoreCase("synthetic")) {
            return null;
        }
        Path path = Path.of(dataset);
        if (!Files.exists(path)) {
            throw new ParameterException(spec.commandLine(), "dataset " + path
                    + " does not exist (give a directory, ratings file, .zip or .gz, or 'synthetic')");
        }
        LoadOptions options = LoadOptions.defaults();
        if (format != null) {
            options = options.withFormat(DatasetFormat.parse(format));
        }
        LoadedDataset ds = DatasetLoader.loadWith(path, options);
        LOG.info("{}", ds.describe());
        if (ds.rejects().total() > 0) {
            spec.commandLine().getErr().printf("note: %d rating lines rejected (%s)%n", ds.rejects().total(), ds.rejects().describe());
        }
        return ds;
    }
}
