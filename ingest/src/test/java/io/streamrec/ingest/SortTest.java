package io.streamrec.ingest;

import io.streamrec.ingest.sort.ExternalSorter;
import io.streamrec.ingest.sort.MergedRuns;
import io.streamrec.ingest.sort.TimeOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class SortTest {

    @TempDir
    Path tmp;

    /** A reference stable order by the JDK's (stable) list sort. */
    static int[] reference(long[] ts) {
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < ts.length; i++) {
            idx.add(i);
        }
        idx.sort(Comparator.comparingLong(i -> ts[i]));
        return idx.stream().mapToInt(Integer::intValue).toArray();
    }

    static long[] timestamps(int n, long seed, long unit, long range, long offset) {
        SplittableRandom r = new SplittableRandom(seed);
        long[] ts = new long[n];
        for (int i = 0; i < n; i++) {
            ts[i] = offset + r.nextLong(range) * unit;
        }
        return ts;
    }

    @Test
    void radixOrderMatchesAStableComparisonSortForEveryKeyShape() {
        List<long[]> cases = List.of(
                timestamps(50_000, 1, 1000, 2_000, 874724710_000L),        // seconds, many ties
                timestamps(50_000, 2, 86_400_000L, 300, 0),                 // whole days (Netflix)
                timestamps(50_000, 3, 1, 1L << 45, 0),                      // ms over ~1000 years: 64-bit keys
                timestamps(50_000, 4, 1, 1000, -500),                       // negative times
                timestamps(10, 5, 1, Long.MAX_VALUE / 2, Long.MIN_VALUE / 4), // huge spread
                new long[]{5, 5, 5, 5},
                new long[]{});
        for (long[] ts : cases) {
            assertThat(TimeOrder.stableOrder(ts, ts.length)).isEqualTo(reference(ts));
        }
    }

    @Test
    void columnsSortByTimeCarriesEveryColumnAlong() {
        RatingColumns.Builder b = RatingColumns.builder();
        long[] ts = timestamps(10_000, 7, 1000, 500, 0);
        for (int i = 0; i < ts.length; i++) {
            b.add(i, i * 2L, i % 10 / 2f, ts[i]);
        }
        RatingColumns unsorted = b.build();
        RatingColumns sorted = unsorted.sortedByTime();
        int[] ref = reference(ts);
        for (int k = 0; k < ref.length; k++) {
            assertThat(sorted.get(k)).isEqualTo(unsorted.get(ref[k]));
        }
        assertThat(b.buildSortedByTime().users()).isEqualTo(sorted.users());
        assertThat(sorted.sortedByTime()).isSameAs(sorted);
    }

    @Test
    void externalMergeWithATinyBudgetEqualsTheInMemorySort() throws java.io.IOException {
        long[] ts = timestamps(20_000, 11, 1000, 3_000, 0);
        ExternalSorter sorter = new ExternalSorter(ExternalSorter.BYTES_PER_EVENT * 700L, tmp);
        RatingColumns.Builder all = RatingColumns.builder();
        for (int i = 0; i < ts.length; i++) {
            sorter.accept(i, 1_000_000L + i, (i % 9 + 1) / 2f, ts[i]);
            all.add(i, 1_000_000L + i, (i % 9 + 1) / 2f, ts[i]);
        }
        RatingColumns expected = all.buildSortedByTime();
        try (RatingSource merged = sorter.finish()) {
            assertThat(merged).isInstanceOf(MergedRuns.class);
            assertThat(((MergedRuns) merged).runCount()).isEqualTo(29); // ceil(20000 / 700)
            assertThat(merged.size()).isEqualTo(20_000);
            assertThat(read(merged.cursor(0))).isEqualTo(read(expected.cursor(0)));
            // Resuming mid-stream lands on the same event as the in-memory columns.
            assertThat(read(merged.cursor(12_345))).isEqualTo(read(expected.cursor(12_345)));
            try (Stream<Path> files = Files.list(tmp)) {
                assertThat(files.count()).isEqualTo(29);
            }
        }
        try (Stream<Path> files = Files.list(tmp)) {
            assertThat(files.count()).as("run files deleted on close").isZero();
        }
    }

    @Test
    void loaderSpillsBeyondItsBudgetAndKeepsTheSameOrder() {
        Path golden = GoldenFormatsTest.golden("ml-100k");
        RatingColumns inMemory = DatasetLoader.load(golden).ratings();
        try (OpenedDataset spilled = DatasetLoader.open(golden, LoadOptions.defaults()
                .withMemoryBudget(2L * ExternalSorter.BYTES_PER_EVENT, tmp))) {
            assertThat(spilled.ratings()).isInstanceOf(MergedRuns.class);
            assertThat(read(spilled.ratings().cursor(0))).isEqualTo(read(inMemory.cursor(0)));
        }
    }

    @Test
    void smallInputStaysInMemory() {
        ExternalSorter sorter = new ExternalSorter(1 << 20, tmp);
        sorter.accept(1, 2, 3, 30);
        sorter.accept(1, 3, 3, 10);
        RatingSource s = sorter.finish();
        assertThat(s).isInstanceOf(RatingColumns.class);
        assertThat(((RatingColumns) s).timestampsMs()).containsExactly(10, 30);
    }

    static List<String> read(RatingCursor c) {
        List<String> out = new ArrayList<>();
        try (c) {
            while (c.advance()) {
                out.add(c.position() + ":" + c.user() + "," + c.item() + "," + c.rating() + "," + c.timestampMs());
            }
        }
        return out;
    }
}
