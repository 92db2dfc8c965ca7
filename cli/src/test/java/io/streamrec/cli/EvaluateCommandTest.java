package io.streamrec.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamrec.testing.Datasets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class EvaluateCommandTest {

    record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new EvaluateCommand());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void prequentialOnSyntheticWritesTheReport(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("sub/report.json");
        Run r = run("--dataset", "synthetic", "--events", "30000", "--users", "300", "--items", "400",
                "--report", report.toString(), "--metrics-every", "10000", "--dim", "16");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("prequential mf on synthetic").contains("window RMSE");
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertThat(json.get("dataset").asText()).isEqualTo("synthetic");
        assertThat(json.get("events").asLong()).isEqualTo(30_000);
        assertThat(json.get("protocol").asText()).isEqualTo("prequential");
        assertThat(json.get("rmse").asDouble()).isBetween(0.3, 1.2);
        assertThat(json.get("mae").asDouble()).isLessThan(json.get("rmse").asDouble());
        assertThat(json.get("coldStartShare").asDouble()).isBetween(0.0, 0.05);
        assertThat(json.get("eventsPerSecond").asDouble()).isPositive();
        assertThat(json.get("config").get("model.dim").asText()).isEqualTo("16");
        assertThat(json.get("config").get("model.optimizer").asText()).isEqualTo("adagrad");
        // Cold-start RMSE: the events whose item had fewer than 5 earlier ratings (400 items: at least the first 5 x 400).
        assertThat(json.get("coldStartEvents").asLong()).isGreaterThanOrEqualTo(400).isLessThan(30_000);
        assertThat(json.get("coldStartRmse").asDouble()).isGreaterThan(json.get("rmse").asDouble());
    }

    /**
     * {@code --model hybrid} reads the dataset's metadata files (here a small ml-100k-format directory where an
     * item's genre decides its rating) through the trainer's feature encoder, and its cold-start RMSE beats MF's.
     */
    @Test
    void hybridReadsTheDatasetsMetadataAndBeatsMfOnColdItems(@TempDir Path dir) throws Exception {
        Path ds = dir.resolve("ml-100k");
        java.nio.file.Files.createDirectories(ds);
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(3);
        String[] genres = {"Horror", "Drama", "Comedy", "Film-Noir"};
        float[] effect = {-1.5f, 0.6f, -0.4f, 1.3f};
        int items = 600;
        StringBuilder item = new StringBuilder();
        for (int i = 1; i <= items; i++) {
            StringBuilder flags = new StringBuilder();
            for (int g = 0; g < 19; g++) {
                // ml-100k's genre order: 1 Action, ... ; map our four onto Horror (11), Drama (8), Comedy (5), Film-Noir (10)
                int want = new int[]{11, 8, 5, 10}[i % 4];
                flags.append('|').append(g == want ? '1' : '0');
            }
            item.append(i).append("|Film ").append(i).append(" (").append(1980 + i % 20).append(")|01-Jan-1995||http://x")
                    .append(flags).append('\n');
        }
        java.nio.file.Files.writeString(ds.resolve("u.item"), item.toString());
        StringBuilder user = new StringBuilder();
        for (int u = 1; u <= 200; u++) {
            user.append(u).append('|').append(20 + u % 40).append('|').append(u % 2 == 0 ? 'M' : 'F').append("|writer|12345\n");
        }
        java.nio.file.Files.writeString(ds.resolve("u.user"), user.toString());
        StringBuilder data = new StringBuilder();
        for (int e = 0; e < 40_000; e++) {
            int live = 20 + (int) ((long) (items - 20) * e / 40_000);
            int i = 1 + rnd.nextInt(live);
            int u = 1 + rnd.nextInt(200);
            int r = Math.max(1, Math.min(5, Math.round(3f + effect[i % 4] + (float) rnd.nextGaussian() * 0.4f)));
            data.append(u).append('\t').append(i).append('\t').append(r).append('\t').append(880_000_000 + e).append('\n');
        }
        java.nio.file.Files.writeString(ds.resolve("u.data"), data.toString());
        ObjectMapper json = new ObjectMapper();
        Run hybrid = run("-d", ds.toString(), "--model", "hybrid", "--ranking-every", "0", "--report", dir.resolve("h.json").toString());
        assertThat(hybrid.exit()).as(hybrid.err()).isZero();
        assertThat(hybrid.out()).contains("hybrid features: 600 items, 200 users (0 metadata records rejected)");
        Run mf = run("-d", ds.toString(), "--model", "mf", "--ranking-every", "0", "--report", dir.resolve("m.json").toString());
        assertThat(mf.exit()).as(mf.err()).isZero();
        double h = json.readTree(dir.resolve("h.json").toFile()).get("coldStartRmse").asDouble();
        double m = json.readTree(dir.resolve("m.json").toFile()).get("coldStartRmse").asDouble();
        assertThat(h).as("hybrid %.4f vs mf %.4f on cold items", h, m).isLessThan(m - 0.1);
    }

    @Test
    void mfBeatsBaselineBeatsMeanOnSynthetic(@TempDir Path dir) throws Exception {
        ObjectMapper json = new ObjectMapper();
        double[] rmse = new double[3];
        String[] models = {"mf", "baseline", "mean"};
        for (int i = 0; i < 3; i++) {
            Path report = dir.resolve(models[i] + ".json");
            Run r = run("-d", "synthetic", "--events", "60000", "--users", "300", "--items", "400",
                    "--model", models[i], "--report", report.toString());
            assertThat(r.exit()).as(r.err()).isZero();
            rmse[i] = json.readTree(report.toFile()).get("rmse").asDouble();
            assertThat(json.readTree(report.toFile()).get("model").asText()).isEqualTo(models[i]);
        }
        assertThat(rmse[0]).isLessThan(rmse[1]);
        assertThat(rmse[1]).isLessThan(rmse[2]);
    }

    @Test
    void popularReportsTheRankingFieldsAndTheMeansRmse(@TempDir Path dir) throws Exception {
        ObjectMapper json = new ObjectMapper();
        JsonNode[] reports = new JsonNode[2];
        String[] models = {"popular", "mean"};
        for (int i = 0; i < 2; i++) {
            Path report = dir.resolve(models[i] + ".json");
            Run r = run("-d", "synthetic", "--events", "20000", "--users", "300", "--items", "400",
                    "--model", models[i], "--ranking-every", "20", "--report", report.toString());
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out()).contains("ranking (1,000 sampled events, 1 in 20): recall@10");
            reports[i] = json.readTree(report.toFile());
        }
        JsonNode pop = reports[0];
        assertThat(pop.get("model").asText()).isEqualTo("popular");
        assertThat(pop.get("rankingSamples").asLong()).isEqualTo(1000);
        assertThat(pop.get("rankingEvery").asInt()).isEqualTo(20);
        assertThat(pop.get("recallAt10").asDouble()).isBetween(0.0, 1.0);
        assertThat(pop.get("recallAt50").asDouble()).isGreaterThanOrEqualTo(pop.get("recallAt10").asDouble());
        assertThat(pop.get("mrr").asDouble()).isPositive();
        assertThat(pop.get("ndcgAt10").asDouble()).isBetween(0.0, pop.get("recallAt10").asDouble());
        assertThat(pop.get("config").get("ranking.every").asText()).isEqualTo("20");
        // Predicts the running mean: the mean model's RMSE exactly; its lists are what differ.
        assertThat(pop.get("rmse").asDouble()).isEqualTo(reports[1].get("rmse").asDouble());
        assertThat(pop.get("recallAt50").asDouble()).isGreaterThan(reports[1].get("recallAt50").asDouble());
    }

    @Test
    void rankingOffReportsNoSamples(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("off.json");
        Run r = run("-d", "synthetic", "--events", "5000", "--ranking-every", "0", "--report", report.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).doesNotContain("recall@10");
        assertThat(new ObjectMapper().readTree(report.toFile()).get("rankingSamples").asLong()).isZero();
        assertThat(run("-d", "synthetic", "--ranking-every", "-1").exit()).isEqualTo(2);
    }

    @Test
    void autoRecRunsInTheProtocolsItSupports(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("i.json");
        Run r = run("-d", "synthetic", "--events", "20000", "--users", "200", "--items", "300", "--protocol", "holdout",
                "--model", "i-autorec", "--set", "model.i-autorec.epochs=5", "--set", "model.i-autorec.hidden=16",
                "--report", report.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(report.toFile());
        assertThat(j.get("model").asText()).isEqualTo("i-autorec");
        assertThat(j.get("events").asLong()).isEqualTo(4000);
        assertThat(j.get("config").get("model.i-autorec.epochs").asText()).isEqualTo("5");
        assertThat(j.get("config").has("holdout.epochs")).isFalse();

        Run preq = run("-d", "synthetic", "--events", "1000", "--model", "i-autorec");
        assertThat(preq.exit()).isNotZero();
        assertThat(preq.err()).contains("use --protocol holdout");

        Path u = dir.resolve("u.json");
        Run online = run("-d", "synthetic", "--events", "20000", "--users", "200", "--items", "300", "--model", "u-autorec",
                "--set", "model.u-autorec.history=7", "--report", u.toString());
        assertThat(online.exit()).as(online.err()).isZero();
        JsonNode k = new ObjectMapper().readTree(u.toFile());
        assertThat(k.get("model").asText()).isEqualTo("u-autorec");
        assertThat(k.get("config").get("model.u-autorec.history").asText()).isEqualTo("7");
    }

    @Test
    void holdoutScoresTheHeldOutShare(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("h.json");
        Run r = run("-d", "synthetic", "--events", "20000", "--users", "200", "--items", "300", "--protocol", "holdout",
                "--test-fraction", "0.25", "--epochs", "3", "--report", report.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(report.toFile());
        assertThat(j.get("protocol").asText()).isEqualTo("holdout");
        assertThat(j.get("events").asLong()).isEqualTo(5000);
        assertThat(j.get("trainEvents").asLong()).isEqualTo(15000L * 3);
        assertThat(j.get("config").get("holdout.epochs").asText()).isEqualTo("3");
    }

    @Test
    void mlDatasetWhenPresentMatchesTheModelModuleFigure(@TempDir Path dir) throws Exception {
        Optional<Path> ml = Datasets.find("ml-100k");
        String dataset = ml.map(Path::toString).orElse("synthetic");
        Path report = dir.resolve("ml.json");
        Run r = run("-d", dataset, "--report", report.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(report.toFile());
        if (ml.isPresent()) {
            assertThat(j.get("events").asLong()).isEqualTo(100_000);
            assertThat(j.get("rmse").asDouble()).isLessThan(0.948);
        } else {
            assertThat(j.get("rmse").asDouble()).isLessThan(1.0);
        }
    }

    @Test
    void badInputIsAUsageErrorWithAClearMessage() {
        Run missing = run("-d", "/nonexistent/ml-100k");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("does not exist");
        Run badOptimizer = run("-d", "synthetic", "--optimizer", "lbfgs");
        assertThat(badOptimizer.exit()).isEqualTo(2);
        assertThat(badOptimizer.err()).contains("lbfgs").contains("adagrad");
        Run badProtocol = run("-d", "synthetic", "--protocol", "kfold");
        assertThat(badProtocol.exit()).isEqualTo(2);
        assertThat(badProtocol.err()).contains("prequential or holdout");
        Run badFraction = run("-d", "synthetic", "--protocol", "holdout", "--test-fraction", "1.5");
        assertThat(badFraction.exit()).isEqualTo(2);
        Run ndSequential = run("-d", "synthetic", "--kernel", "nd4j", "--update", "sequential");
        assertThat(ndSequential.exit()).isEqualTo(2);
        assertThat(ndSequential.err()).contains("batch");
    }
}
