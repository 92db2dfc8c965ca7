package io.streamrec.ingest;

import io.streamrec.common.event.RatingScale;
import io.streamrec.ingest.synthetic.SyntheticConfig;
import io.streamrec.ingest.synthetic.SyntheticStream;
import io.streamrec.testing.Datasets;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/** Generated stand-ins for the real datasets, for machines without {@code shared/datasets}. */
final class StandIns {

    private StandIns() {
    }

    /** The real ml-100k folder when present, otherwise a generated one with the same shape in {@code dir}. */
    static Path ml100k(Path dir) {
        return Datasets.find("ml-100k").orElseGet(() -> writeMl100k(dir.resolve("ml-100k-standin"), 100_000));
    }

    /**
     * An ml-100k-shaped u.data: 943 users, 1682 items, integer stars, timestamps in seconds with ties, lines
     * shuffled out of time order as in the real file.
     */
    static Path writeMl100k(Path dir, int events) {
        SyntheticConfig c = SyntheticConfig.defaults().withSize(943, 1682, events).withScale(RatingScale.FIVE_STARS)
                .withTime(874_724_710_000L, 1000);
        RatingColumns cols = new SyntheticStream(c).toColumns();
        int n = cols.sizeInt();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom r = new SplittableRandom(7);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        try {
            Files.createDirectories(dir);
            try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("u.data"), StandardCharsets.US_ASCII)) {
                for (int k = 0; k < n; k++) {
                    int i = order[k];
                    // Halve the time resolution so many events share a second, as in MovieLens.
                    long seconds = cols.timestampMs(i) / 2000 * 2;
                    w.write(cols.user(i) + "\t" + cols.item(i) + "\t" + (int) cols.rating(i) + "\t" + seconds + "\n");
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
