package io.streamrec.cli.demo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DataDirManifestTest {

    @TempDir
    Path tmp;

    private Path ml100k() throws IOException {
        return dataset("ml-100k", "u.data", "196\t242\t3\t881250949\n186\t302\t3\t891717742\n");
    }

    private Path mlLatestSmall() throws IOException {
        return dataset("ml-latest-small", "ratings.csv", "userId,movieId,rating,timestamp\n1,1,4.0,964982703\n");
    }

    private Path dataset(String name, String file, String content) throws IOException {
        Path dir = tmp.resolve("datasets").resolve(name);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(file), content);
        return dir;
    }

    @Test
    void aMissingOrEmptyDirectoryIsCreated() throws IOException {
        DatasetIdentity id = DatasetIdentity.ofPath(ml100k());
        assertThat(DataDirManifest.decide(tmp.resolve("nothing-here"), id).action()).isEqualTo(DataDirManifest.Action.CREATE);
        Files.createDirectories(tmp.resolve("empty"));
        assertThat(DataDirManifest.decide(tmp.resolve("empty"), id).action()).isEqualTo(DataDirManifest.Action.CREATE);
    }

    @Test
    void anotherDatasetMeansStartingFreshAndSayingWhichWasThere() throws IOException {
        Path dataDir = tmp.resolve("demo");
        Files.createDirectories(dataDir.resolve("kafka"));
        DataDirManifest.write(dataDir, DatasetIdentity.ofPath(ml100k()));

        DataDirManifest.Decision d = DataDirManifest.decide(dataDir, DatasetIdentity.ofPath(mlLatestSmall()));
        assertThat(d.action()).isEqualTo(DataDirManifest.Action.START_FRESH);
        assertThat(d.message()).isEqualTo("data directory held ml-100k; starting fresh for ml-latest-small");

        DataDirManifest.Decision synthetic = DataDirManifest.decide(dataDir, DatasetIdentity.synthetic(List.of("--seed", "42")));
        assertThat(synthetic.action()).isEqualTo(DataDirManifest.Action.START_FRESH);
        assertThat(synthetic.message()).isEqualTo("data directory held ml-100k; starting fresh for synthetic");
    }

    @Test
    void anotherModelFamilyMeansStartingFreshAndTheSameOneIsReused() throws IOException {
        Path dataDir = tmp.resolve("demo");
        Files.createDirectories(dataDir.resolve("kafka"));
        DatasetIdentity data = DatasetIdentity.ofPath(ml100k());
        DataDirManifest.write(dataDir, data);
        // MF is the plain identity: directories written before model families existed are still reused.
        assertThat(DataDirManifest.decide(dataDir, data.trainedWith("mf")).action()).isEqualTo(DataDirManifest.Action.REUSE);

        DataDirManifest.Decision d = DataDirManifest.decide(dataDir, data.trainedWith("dlplus"));
        assertThat(d.action()).isEqualTo(DataDirManifest.Action.START_FRESH);
        assertThat(d.message()).isEqualTo("data directory held ml-100k; starting fresh for ml-100k trained with dlplus");

        DataDirManifest.write(dataDir, data.trainedWith("dlplus"));
        assertThat(DataDirManifest.decide(dataDir, data.trainedWith("dlplus")).action()).isEqualTo(DataDirManifest.Action.REUSE);
        assertThat(DataDirManifest.decide(dataDir, data).action()).isEqualTo(DataDirManifest.Action.START_FRESH);
    }

    @Test
    void aFamilySetIsItsOwnIdentity() throws IOException {
        Path dataDir = tmp.resolve("demo");
        Files.createDirectories(dataDir.resolve("kafka"));
        DatasetIdentity data = DatasetIdentity.ofPath(ml100k());
        DataDirManifest.write(dataDir, data.trainedWith("mf,popular"));
        assertThat(DataDirManifest.decide(dataDir, data.trainedWith("mf,popular")).action()).isEqualTo(DataDirManifest.Action.REUSE);
        // Neither one of its families alone nor the same families in another order (another default) reuse it.
        assertThat(DataDirManifest.decide(dataDir, data.trainedWith("mf")).action()).isEqualTo(DataDirManifest.Action.START_FRESH);
        assertThat(DataDirManifest.decide(dataDir, data.trainedWith("popular,mf")).action()).isEqualTo(DataDirManifest.Action.START_FRESH);
    }

    @Test
    void theSameDataIsReusedWhereverItWasFound() throws IOException {
        Path dataDir = tmp.resolve("demo");
        Files.createDirectories(dataDir.resolve("kafka"));
        DataDirManifest.write(dataDir, DatasetIdentity.ofPath(ml100k()));
        // The same file in the download cache instead of the shared folder.
        Path copy = tmp.resolve("cache/ml-100k");
        Files.createDirectories(copy);
        Files.copy(ml100k().resolve("u.data"), copy.resolve("u.data"));

        assertThat(DataDirManifest.decide(dataDir, DatasetIdentity.ofPath(copy)).action()).isEqualTo(DataDirManifest.Action.REUSE);
        assertThat(DataDirManifest.decide(dataDir, DatasetIdentity.ofPath(ml100k())).action()).isEqualTo(DataDirManifest.Action.REUSE);
    }

    @Test
    void theSameNameWithOtherContentIsAnotherDataset() throws IOException {
        Path dataDir = tmp.resolve("demo");
        Files.createDirectories(dataDir.resolve("kafka"));
        DataDirManifest.write(dataDir, DatasetIdentity.ofPath(ml100k()));
        Path edited = tmp.resolve("edited/ml-100k");
        Files.createDirectories(edited);
        Files.writeString(edited.resolve("u.data"), "196\t242\t4\t881250949\n");

        DataDirManifest.Decision d = DataDirManifest.decide(dataDir, DatasetIdentity.ofPath(edited));
        assertThat(d.action()).isEqualTo(DataDirManifest.Action.START_FRESH);
        assertThat(d.message()).startsWith("data directory held ml-100k (other content: ").endsWith("; starting fresh for ml-100k");
    }

    @Test
    void syntheticStreamsDifferByTheirGeneratorFlags() throws IOException {
        Path dataDir = tmp.resolve("demo");
        Files.createDirectories(dataDir.resolve("kafka"));
        DataDirManifest.write(dataDir, DatasetIdentity.synthetic(List.of("--users", "3000", "--seed", "42")));
        assertThat(DataDirManifest.decide(dataDir, DatasetIdentity.synthetic(List.of("--users", "3000", "--seed", "42"))).action())
                .isEqualTo(DataDirManifest.Action.REUSE);
        assertThat(DataDirManifest.decide(dataDir, DatasetIdentity.synthetic(List.of("--users", "3000", "--seed", "7"))).action())
                .isEqualTo(DataDirManifest.Action.START_FRESH);
    }

    @Test
    void aDirectoryWithoutAManifestIsRestartedWhenItIsTheDemosAndLeftAloneOtherwise() throws IOException {
        DatasetIdentity id = DatasetIdentity.ofPath(mlLatestSmall());
        Path old = tmp.resolve("old-demo");
        Files.createDirectories(old.resolve("kafka"));
        Files.createDirectories(old.resolve("checkpoints"));
        DataDirManifest.Decision d = DataDirManifest.decide(old, id);
        assertThat(d.action()).isEqualTo(DataDirManifest.Action.START_FRESH);
        assertThat(d.message()).contains("no record of its dataset").endsWith("starting fresh for ml-latest-small");

        Path someoneElses = tmp.resolve("projects");
        Files.createDirectories(someoneElses);
        Files.writeString(someoneElses.resolve("thesis.tex"), "\\documentclass{article}");
        DataDirManifest.Decision refuse = DataDirManifest.decide(someoneElses, id);
        assertThat(refuse.action()).isEqualTo(DataDirManifest.Action.REFUSE);
        assertThat(refuse.message()).contains("--fresh").contains("--data-dir");
    }

    @Test
    void aDatasetIsIdentifiedByItsRatingsFileEvenInsideANestedFolder() throws IOException {
        Path unpacked = tmp.resolve("download");
        Files.createDirectories(unpacked.resolve("ml-100k"));
        Files.copy(ml100k().resolve("u.data"), unpacked.resolve("ml-100k/u.data"));
        assertThat(DatasetIdentity.ofPath(unpacked).fingerprint()).startsWith("ml-100k/u.data ")
                .endsWith(DatasetIdentity.ofPath(ml100k()).fingerprint().substring("u.data".length()));
    }
}
