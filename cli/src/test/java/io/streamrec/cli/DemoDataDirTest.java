package io.streamrec.cli;

import io.streamrec.cli.demo.DataDirManifest;
import io.streamrec.cli.demo.DatasetIdentity;
import io.streamrec.testing.Datasets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code streamrec demo --dataset ml-100k --fresh}, then {@code streamrec demo --dataset ml-latest-small} without
 * {@code --fresh}, as far as the data directory goes: the second run must not train on top of the first's topics.
 */
class DemoDataDirTest {

    @TempDir
    Path tmp;

    @Test
    void aSecondDemoOnAnotherDatasetStartsFreshAndSaysSo() throws IOException {
        DatasetIdentity first = DatasetIdentity.ofPath(dataset("ml-100k", "u.data", "196\t242\t3\t881250949\n"));
        DatasetIdentity second = DatasetIdentity.ofPath(dataset("ml-latest-small", "ratings.csv",
                "userId,movieId,rating,timestamp\n1,1,4.0,964982703\n"));
        Path dataDir = tmp.resolve(".streamrec/demo");

        ByteArrayOutputStream console = new ByteArrayOutputStream();
        DemoCommand demo = new DemoCommand(new PrintStream(console, true, StandardCharsets.UTF_8));
        demo.dataDir = dataDir;
        demo.fresh = true;
        assertThat(demo.prepareDataDir(first)).isTrue();
        // What the first run's broker left: a topic partition's log.
        Path topicLog = dataDir.resolve("kafka/kafka-logs/ratings-0/00000000000000000000.log");
        Files.createDirectories(topicLog.getParent());
        Files.writeString(topicLog, "100,000 ml-100k ratings");

        demo.fresh = false;
        assertThat(demo.prepareDataDir(first)).isTrue();
        assertThat(topicLog).as("the same dataset again keeps its topics").exists();
        assertThat(console.toString(StandardCharsets.UTF_8)).doesNotContain("starting fresh");

        assertThat(demo.prepareDataDir(second)).isTrue();
        assertThat(console.toString(StandardCharsets.UTF_8))
                .contains("data directory held ml-100k; starting fresh for ml-latest-small");
        assertThat(topicLog).as("the other dataset's topics are gone").doesNotExist();
        assertThat(DataDirManifest.decide(dataDir, second).action()).isEqualTo(DataDirManifest.Action.REUSE);
    }

    @Test
    void theRealDatasetsAreToldApartWhenPresent() {
        // The shared copies of ml-100k and ml-latest-small when this machine has them; the generated ones above otherwise.
        var a = Datasets.find("ml-100k");
        var b = Datasets.find("ml-latest-small");
        org.junit.jupiter.api.Assumptions.assumeTrue(a.isPresent() && b.isPresent(), "real datasets absent");
        DatasetIdentity ml100k = DatasetIdentity.ofPath(a.get());
        DatasetIdentity latest = DatasetIdentity.ofPath(b.get());
        assertThat(ml100k.name()).isEqualTo("ml-100k");
        assertThat(latest.name()).isEqualTo("ml-latest-small");
        assertThat(ml100k.fingerprint()).startsWith("u.data ").isNotEqualTo(latest.fingerprint());
        assertThat(latest.fingerprint()).startsWith("ratings.csv ");
    }

    private Path dataset(String name, String file, String content) throws IOException {
        Path dir = tmp.resolve("datasets").resolve(name);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(file), content);
        return dir;
    }
}
