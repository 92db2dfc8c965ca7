package io.streamrec.ingest;

import io.streamrec.common.event.ItemMetadata;
import io.streamrec.common.event.RatingScale;
import io.streamrec.ingest.source.MetadataReader;
import io.streamrec.testing.Datasets;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The real MovieLens files, when {@code shared/datasets} has them (skipped otherwise; golden files cover the formats). */
class RealDatasetsTest {

    @Test
    void ml100k() {
        Path dir = Datasets.find("ml-100k").orElse(null);
        assumeTrue(dir != null, "ml-100k not present");
        LoadedDataset ds = DatasetLoader.load(dir);
        assertThat(ds.format()).isEqualTo(DatasetFormat.ML_100K);
        assertThat(ds.ratings().size()).isEqualTo(100_000);
        assertThat(ds.rejects().total()).isZero();
        assertThat(ds.ratings().isSortedByTime()).isTrue();
        assertThat(ds.ratings().timestampMs(0)).isEqualTo(874724710_000L);
        assertThat(ds.ratings().timestampMs(99_999)).isEqualTo(893286638_000L);
        assertThat(ds.items()).hasSize(1682);
        assertThat(ds.users()).hasSize(943);
        assertThat(ds.items().get(0)).isEqualTo(new ItemMetadata(1, "Toy Story",
                java.util.List.of("Animation", "Children's", "Comedy"), 1995));
        // u.item is Latin-1: at least one title must carry an accented letter, decoded (no U+FFFD).
        assertThat(ds.items()).anyMatch(i -> i.title().matches(".*[éèáóíñü].*"));
        assertThat(ds.items()).noneMatch(i -> i.title().contains("\uFFFD"));
    }

    @Test
    void mlLatestSmall() {
        Path dir = Datasets.find("ml-latest-small").orElse(null);
        assumeTrue(dir != null, "ml-latest-small not present");
        LoadedDataset ds = DatasetLoader.load(dir);
        assertThat(ds.format()).isEqualTo(DatasetFormat.ML_LATEST);
        assertThat(ds.scale()).isEqualTo(RatingScale.MOVIELENS_HALF_STARS);
        assertThat(ds.ratings().size()).isEqualTo(100_836);
        assertThat(ds.rejects().total()).isZero();
        assertThat(ds.ratings().isSortedByTime()).isTrue();
        assertThat(ds.items()).hasSize(9742);
        assertThat(ds.items()).anyMatch(i -> i.item() == 11 && i.title().equals("American President, The"));
    }

    @Test
    void ml1mMetadata() throws IOException {
        Path dir = Datasets.find("ml-1m").orElse(null);
        assumeTrue(dir != null && Files.exists(dir.resolve("movies.dat")), "ml-1m not present");
        RejectLog rejects = RejectLog.inMemory();
        MetadataReader reader = new MetadataReader(rejects);
        try (InputStream in = Files.newInputStream(dir.resolve("movies.dat"))) {
            var items = reader.datItems(in, "movies.dat");
            assertThat(items).hasSize(3883);
            assertThat(items).noneMatch(i -> i.title().contains("\uFFFD"));
        }
        try (InputStream in = Files.newInputStream(dir.resolve("users.dat"))) {
            assertThat(reader.datUsers(in, "users.dat")).hasSize(6040);
        }
        assertThat(rejects.total()).isZero();
    }
}
