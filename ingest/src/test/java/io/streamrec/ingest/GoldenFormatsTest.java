package io.streamrec.ingest;

import io.streamrec.common.event.ItemMetadata;
import io.streamrec.common.event.Rating;
import io.streamrec.common.event.RatingScale;
import io.streamrec.common.event.RejectReason;
import io.streamrec.common.event.UserMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every supported layout, read from small hand-written files under {@code golden/}. */
class GoldenFormatsTest {

    @TempDir
    Path tmp;

    /**
     * A golden dataset folder with the real file names. Rating files are stored as {@code *.golden} because names
     * like {@code u.data} or {@code ratings.csv} are reserved for licensed datasets, which must never be committed;
     * this copies the folder under {@code target/} with the suffix removed.
     */
    static Path golden(String name) {
        try {
            Path source = Path.of(GoldenFormatsTest.class.getResource("/golden").toURI());
            Path target = source.getParent().resolve("golden-materialized");
            try (var files = Files.walk(source)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Path out = target.resolve(source.relativize(f).toString().replaceFirst("\\.golden$", ""));
                    if (Files.isDirectory(f)) {
                        Files.createDirectories(out);
                    } else {
                        Files.copy(f, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            return target.resolve(name);
        } catch (URISyntaxException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Rating r(long u, long i, double rating, long seconds) {
        return new Rating(u, i, (float) rating, seconds * 1000);
    }

    static Rating day(long u, long i, double rating, String date) {
        return new Rating(u, i, (float) rating, LocalDate.parse(date).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli());
    }

    static List<Rating> list(RatingColumns c) {
        return Stream.iterate(0, i -> i < c.sizeInt(), i -> i + 1).map(c::get).toList();
    }

    static ItemMetadata item(LoadedDataset ds, long id) {
        return ds.items().stream().filter(i -> i.item() == id).findFirst().orElseThrow();
    }

    @Test
    void ml100kRatingsSortedStablyWithLatin1TitlesGenresAndUsers() {
        LoadedDataset ds = DatasetLoader.load(golden("ml-100k"), null);
        assertThat(ds.format()).isEqualTo(DatasetFormat.ML_100K);
        assertThat(ds.scale()).isEqualTo(RatingScale.FIVE_STARS);
        assertThat(list(ds.ratings())).containsExactly(
                r(3, 20, 1, 881250800), r(2, 10, 5, 881250900),
                r(1, 10, 4, 881250949), r(1, 20, 3, 881250949), // a tie: file order kept
                r(3, 30, 2, 881251000));
        assertThat(ds.linesRead()).isEqualTo(12);
        assertThat(ds.rejects().counts()).isEqualTo(Map.of(
                RejectReason.BAD_ID, 1L, RejectReason.RATING_OUT_OF_SCALE, 2L, RejectReason.WRONG_FIELD_COUNT, 3L,
                RejectReason.BAD_RATING, 1L, RejectReason.BAD_TIMESTAMP, 1L, RejectReason.EMPTY, 1L));
        assertThat(ds.rejects().samples()).extracting(Reject::location)
                .containsExactly("u.data:5", "u.data:6", "u.data:7", "u.data:8", "u.data:9");
        assertThat(ds.rejects().samples().get(0).reason()).isEqualTo(RejectReason.BAD_ID);

        assertThat(item(ds, 10)).isEqualTo(new ItemMetadata(10, "Café Society", List.of("Comedy"), 1995));
        assertThat(item(ds, 20)).isEqualTo(new ItemMetadata(20, "Amélie", List.of("Comedy", "Romance"), 2001));
        assertThat(item(ds, 30)).isEqualTo(new ItemMetadata(30, "unknown", List.of("unknown"), null));
        assertThat(ds.items()).hasSize(3);
        assertThat(ds.users()).containsExactly(
                new UserMetadata(1, "M", 24, "technician", "85711"),
                new UserMetadata(2, "F", 53, "other", "94043"),
                new UserMetadata(3, "M", 23, "writer", "32067"));
    }

    @Test
    void ml1mDoubleColonWithLatin1TitlesAndOccupationCodes() {
        LoadedDataset ds = DatasetLoader.load(golden("ml-1m"), null);
        assertThat(ds.format()).isEqualTo(DatasetFormat.ML_1M);
        assertThat(list(ds.ratings())).containsExactly(
                r(2, 1193, 4, 978300100), r(5, 661, 1, 978300100), r(1, 1193, 5, 978300760), r(1, 661, 3, 978302109));
        assertThat(ds.rejects().counts()).isEqualTo(Map.of(
                RejectReason.RATING_OUT_OF_SCALE, 1L, RejectReason.WRONG_FIELD_COUNT, 1L));
        assertThat(item(ds, 661)).isEqualTo(new ItemMetadata(661, "Misérables, Les", List.of("Drama", "Musical"), 1995));
        assertThat(item(ds, 1193).title()).isEqualTo("One Flew Over the Cuckoo's Nest");
        assertThat(ds.users()).containsExactly(
                new UserMetadata(1, "F", 1, "K-12 student", "48067"),
                new UserMetadata(2, "M", 56, "self-employed", "70072"));
    }

    @Test
    void ml10mHalfStarsAndCrlfLines() {
        LoadedDataset ds = DatasetLoader.load(golden("ml-10m"), null);
        assertThat(ds.format()).isEqualTo(DatasetFormat.ML_10M);
        assertThat(ds.scale()).isEqualTo(RatingScale.MOVIELENS_HALF_STARS);
        assertThat(list(ds.ratings())).containsExactly(
                r(2, 122, 0.5, 838983000), r(1, 185, 4.5, 838983525), r(1, 122, 5, 838985046));
        assertThat(ds.rejects().counts()).isEqualTo(Map.of(RejectReason.RATING_OUT_OF_SCALE, 1L));
        assertThat(ds.rejects().samples().get(0).location()).isEqualTo("ratings.dat:4");
        assertThat(item(ds, 185)).isEqualTo(new ItemMetadata(185, "Net, The", List.of("Action", "Crime", "Thriller"), 1995));
        assertThat(ds.users()).isEmpty();
    }

    @Test
    void mlLatestCsvWithHeaderAndQuotedTitles() {
        LoadedDataset ds = DatasetLoader.load(golden("ml-latest"), null);
        assertThat(ds.format()).isEqualTo(DatasetFormat.ML_LATEST);
        assertThat(list(ds.ratings())).containsExactly(
                r(1, 3, 4.5, 964981247), r(2, 1, 0.5, 964982000), r(1, 1, 4.0, 964982703));
        assertThat(ds.linesRead()).isEqualTo(8);
        assertThat(ds.rejects().counts()).isEqualTo(Map.of(
                RejectReason.RATING_OUT_OF_SCALE, 1L, RejectReason.BAD_ID, 1L, RejectReason.BAD_TIMESTAMP, 1L,
                RejectReason.WRONG_FIELD_COUNT, 2L, RejectReason.BAD_RATING, 1L));
        assertThat(item(ds, 3)).isEqualTo(new ItemMetadata(3, "American President, The", List.of("Comedy", "Drama", "Romance"), 1995));
        assertThat(item(ds, 4).title()).isEqualTo("Cité des enfants perdus, La");
        assertThat(item(ds, 5)).isEqualTo(new ItemMetadata(5, "Movie with \"quotes\", The", List.of(), 2000));
        assertThat(ds.items()).hasSize(4);
        LoadedDataset allSamples = DatasetLoader.loadWith(golden("ml-latest"), new LoadOptions(null, null, 0, null, null, 20));
        assertThat(allSamples.rejects().samples()).extracting(Reject::location).containsExactly(
                "ratings.csv:5", "ratings.csv:6", "ratings.csv:7", "ratings.csv:8", "ratings.csv:9", "movies.csv:6");
    }

    @Test
    void netflixTrainingSetFilesWithDatesAndUnquotedCommaTitles() {
        LoadedDataset ds = DatasetLoader.load(golden("netflix"), null);
        assertThat(ds.format()).isEqualTo(DatasetFormat.NETFLIX);
        assertThat(list(ds.ratings())).containsExactly(
                day(822109, 1, 5, "2005-05-13"), day(2059652, 2, 4, "2005-09-05"), day(1488844, 1, 3, "2005-09-06"),
                day(885013, 1, 4, "2005-10-19"), day(30878, 1, 4, "2005-12-26"));
        assertThat(ds.rejects().counts()).isEqualTo(Map.of(
                RejectReason.RATING_OUT_OF_SCALE, 1L, RejectReason.BAD_TIMESTAMP, 1L));
        assertThat(ds.rejects().samples()).extracting(Reject::location)
                .containsExactly("training_set/mv_0000002.txt:3", "training_set/mv_0000002.txt:4");
        assertThat(item(ds, 3)).isEqualTo(new ItemMetadata(3, "Crème, brûlée, and more", List.of(), null));
        assertThat(item(ds, 2)).isEqualTo(new ItemMetadata(2, "Isle of Man TT 2004 Review", List.of(), 2004));
    }

    @Test
    void netflixCombinedDataRejectsRatingsWithoutAValidMovie() {
        LoadedDataset ds = DatasetLoader.load(golden("netflix-combined"), null);
        assertThat(ds.format()).isEqualTo(DatasetFormat.NETFLIX);
        assertThat(list(ds.ratings())).containsExactly(day(2059652, 2, 4, "2005-09-05"), day(1488844, 1, 3, "2005-09-06"));
        assertThat(ds.rejects().counts()).isEqualTo(Map.of(RejectReason.BAD_ID, 3L));
        assertThat(ds.rejects().samples()).extracting(Reject::location)
                .containsExactly("combined_data_1.txt:5", "combined_data_1.txt:6", "combined_data_1.txt:7");
    }

    @Test
    void zipOfADirectoryReadsLikeTheDirectory() throws IOException {
        Path zip = tmp.resolve("ml-100k.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            for (String f : List.of("u.data", "u.item", "u.user", "u.genre")) {
                out.putNextEntry(new ZipEntry("ml-100k/" + f));
                out.write(Files.readAllBytes(golden("ml-100k").resolve(f)));
                out.closeEntry();
            }
        }
        LoadedDataset fromZip = DatasetLoader.load(zip, null);
        LoadedDataset fromDir = DatasetLoader.load(golden("ml-100k"), null);
        assertThat(list(fromZip.ratings())).isEqualTo(list(fromDir.ratings()));
        assertThat(fromZip.items()).isEqualTo(fromDir.items());
        assertThat(fromZip.rejects().counts()).isEqualTo(fromDir.rejects().counts());
        assertThat(fromZip.rejects().samples().get(0).location()).isEqualTo("ml-100k.zip!ml-100k/u.data:5");
    }

    @Test
    void gzippedSingleRatingsFileIsDetectedByItsName() throws IOException {
        Path gz = tmp.resolve("ratings.csv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(Files.readAllBytes(golden("ml-latest").resolve("ratings.csv")));
        }
        LoadedDataset ds = DatasetLoader.load(gz, null);
        assertThat(ds.format()).isEqualTo(DatasetFormat.ML_LATEST);
        assertThat(ds.ratings().size()).isEqualTo(3);
        assertThat(ds.items()).isEmpty();
    }

    @Test
    void zipHoldingAGzippedEntry() throws IOException {
        Path zip = tmp.resolve("nf.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("combined_data_1.txt.gz"));
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            try (OutputStream g = new GZIPOutputStream(bytes)) {
                g.write(Files.readAllBytes(golden("netflix-combined").resolve("combined_data_1.txt")));
            }
            out.write(bytes.toByteArray());
            out.closeEntry();
        }
        LoadedDataset ds = DatasetLoader.load(zip, null);
        assertThat(ds.format()).isEqualTo(DatasetFormat.NETFLIX);
        assertThat(ds.ratings().size()).isEqualTo(2);
    }

    @Test
    void singleFileWithAnUnknownNameIsSniffedFromItsContent() throws IOException {
        Path f = tmp.resolve("my-export.txt");
        Files.copy(golden("ml-100k").resolve("u.data"), f);
        assertThat(DatasetLoader.detect(f)).isEqualTo(DatasetFormat.ML_100K);
        Path nf = tmp.resolve("netflix-part.txt");
        Files.copy(golden("netflix/training_set/mv_0000001.txt"), nf);
        assertThat(DatasetLoader.detect(nf)).isEqualTo(DatasetFormat.NETFLIX);
        Path dat = tmp.resolve("r.dat");
        Files.copy(golden("ml-10m/ratings.dat"), dat);
        assertThat(DatasetLoader.detect(dat)).isEqualTo(DatasetFormat.ML_10M);
    }

    @Test
    void formatAndScaleOverridesWin() throws IOException {
        Path f = tmp.resolve("data.txt");
        Files.copy(golden("ml-10m/ratings.dat"), f);
        // As ml-1m (integer stars) the half-star lines are out of scale.
        LoadedDataset asMl1m = DatasetLoader.load(f, DatasetFormat.ML_1M);
        assertThat(asMl1m.ratings().size()).isEqualTo(1);
        assertThat(asMl1m.rejects().count(RejectReason.RATING_OUT_OF_SCALE)).isEqualTo(3);
        LoadedDataset wide = DatasetLoader.loadWith(f, LoadOptions.of(DatasetFormat.ML_1M).withScale(RatingScale.ZERO_TO_FIVE));
        assertThat(wide.ratings().size()).isEqualTo(4);
    }

    @Test
    void rejectsFileListsEveryBadLineWithLocation() throws IOException {
        Path rejects = tmp.resolve("out/rejects.tsv");
        DatasetLoader.loadWith(golden("ml-100k"), LoadOptions.defaults().withRejectsFile(rejects));
        List<String> lines = Files.readAllLines(rejects, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(9);
        assertThat(lines.get(0)).startsWith("u.data:5\tBAD_ID\t").endsWith("x 10 4 881250949");
        assertThat(lines).anyMatch(l -> l.startsWith("u.data:10\tEMPTY"));
        assertThat(lines).anyMatch(l -> l.startsWith("u.user:4\tWRONG_FIELD_COUNT"));
    }

    @Test
    void unknownLayoutAndMissingPathAreClearErrors() throws IOException {
        Files.writeString(tmp.resolve("a.txt"), "hello\n");
        Files.writeString(tmp.resolve("b.txt"), "world\n");
        assertThatThrownBy(() -> DatasetLoader.load(tmp, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--format");
        assertThatThrownBy(() -> DatasetLoader.load(tmp.resolve("nope"), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> DatasetFormat.parse("ml-7k")).hasMessageContaining("known: ml-100k");
        assertThat(DatasetFormat.parse("ml-25m")).isEqualTo(DatasetFormat.ML_LATEST);
    }
}
