package io.streamrec.scorer.index;

import io.streamrec.common.event.FactorRow;
import io.streamrec.common.event.ScoredItem;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ItemIndexTest {

    /** Random items with ids that are not row numbers, so a row/id mix-up shows. */
    static ItemIndex randomIndex(Random rnd, int items, int dim, long[] idsOut) {
        return randomIndex(rnd, items, dim, idsOut, ScoringKernel.best());
    }

    static ItemIndex randomIndex(Random rnd, int items, int dim, long[] idsOut, ScoringKernel kernel) {
        ItemIndex index = new ItemIndex(kernel);
        for (int i = 0; i < items; i++) {
            long id = 1_000_000L + 7L * i;
            if (idsOut != null) {
                idsOut[i] = id;
            }
            index.upsert(id, new FactorRow(1, (float) rnd.nextGaussian() * 0.3f, gaussian(rnd, dim), 0));
        }
        return index;
    }

    static float[] gaussian(Random rnd, int dim) {
        float[] v = new float[dim];
        for (int d = 0; d < dim; d++) {
            v[d] = (float) (rnd.nextGaussian() * 0.3);
        }
        return v;
    }

    /** The obvious implementation in double precision: score every item, sort, take k. */
    static List<ScoredItem> naiveTopK(ItemIndex index, long[] ids, float[] u, float offset, int k, Set<Long> excluded) {
        List<ScoredItem> all = new ArrayList<>();
        for (long id : ids) {
            if (excluded.contains(id) || !index.contains(id)) {
                continue;
            }
            ItemVector v = index.vector(id);
            double s = offset + v.bias();
            for (int d = 0; d < u.length; d++) {
                s += (double) u[d] * v.vector()[d];
            }
            all.add(new ScoredItem(id, (float) s));
        }
        all.sort(Comparator.comparingDouble((ScoredItem s) -> -s.score()).thenComparingLong(ScoredItem::item));
        return all.subList(0, Math.min(k, all.size()));
    }

    @Test
    void simdKernelIsTheDefaultUnderTest() {
        // surefire runs with --add-modules jdk.incubator.vector, so the exactness tests below cover the SIMD kernel
        assertThat(new ItemIndex().kernelName()).startsWith("simd");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"best", "scalar"})
    void topKIsExactAgainstNaiveReferenceOverManyUsersAndOddSizes(String kernel) {
        Random rnd = new Random(42);
        // 5000 items spans several 2048-item blocks and a partial one; dim 33 exercises the 4-wide tail.
        for (int dim : new int[]{32, 33, 3}) {
            long[] ids = new long[5000];
            ItemIndex index = randomIndex(rnd, ids.length, dim, ids, kernel.equals("scalar") ? new ScalarKernel() : ScoringKernel.best());
            for (int user = 0; user < 30; user++) {
                float[] u = gaussian(rnd, dim);
                Set<Long> seen = new HashSet<>();
                for (int j = 0; j < 200; j++) {
                    seen.add(ids[rnd.nextInt(ids.length)]);
                }
                seen.add(42L); // unknown ids are ignored
                int k = 1 + rnd.nextInt(50);
                List<ScoredItem> fast = index.topK(u, 1f, 3.5f, k,
                        seen.stream().mapToLong(Long::longValue).toArray());
                List<ScoredItem> ref = naiveTopK(index, ids, u, 3.5f, k, seen);
                assertThat(fast).hasSize(k);
                assertThat(fast).extracting(ScoredItem::item).doesNotHaveDuplicates()
                        .doesNotContainAnyElementsOf(seen);
                // Exact up to float rounding: the item at each rank has, by the double-precision reference, the score
                // the reference's item at that rank has. A wrong item fails this; only a true near-tie (< 1e-4)
                // may swap places.
                java.util.Map<Long, Float> refScore = naiveTopK(index, ids, u, 3.5f, ids.length, seen).stream()
                        .collect(Collectors.toMap(ScoredItem::item, ScoredItem::score));
                for (int i = 0; i < k; i++) {
                    assertThat(refScore.get(fast.get(i).item())).as("dim %d user %d rank %d", dim, user, i)
                            .isCloseTo(ref.get(i).score(), within(1e-4f));
                    assertThat(fast.get(i).score()).isCloseTo(ref.get(i).score(), within(1e-4f));
                }
                long sameIds = java.util.stream.IntStream.range(0, k)
                        .filter(i -> fast.get(i).item() == ref.get(i).item()).count();
                assertThat(sameIds).isGreaterThanOrEqualTo(k - 2);
            }
        }
    }

    @Test
    void batchEqualsOneAtATime() {
        Random rnd = new Random(7);
        long[] ids = new long[4100];
        ItemIndex index = randomIndex(rnd, ids.length, 16, ids);
        float[][] users = new float[9][];
        long[][] excluded = new long[9][];
        float[] offsets = new float[9];
        for (int b = 0; b < users.length; b++) {
            users[b] = gaussian(rnd, 16);
            excluded[b] = LongStream.range(0, b * 50).map(i -> ids[(int) i]).toArray();
            offsets[b] = b;
        }
        List<List<ScoredItem>> batch = index.topKBatch(users, 1f, offsets, 10, excluded);
        for (int b = 0; b < users.length; b++) {
            assertThat(batch.get(b)).isEqualTo(index.topK(users[b], 1f, offsets[b], 10, excluded[b]));
        }
    }

    @Test
    void userWhoRatedEverythingGetsNothingAndKLargerThanCatalogueIsCapped() {
        Random rnd = new Random(1);
        long[] ids = new long[30];
        ItemIndex index = randomIndex(rnd, ids.length, 8, ids);
        assertThat(index.topK(gaussian(rnd, 8), 1f, 0f, 10, ids)).isEmpty();
        assertThat(index.topK(gaussian(rnd, 8), 1f, 0f, 1000, new long[]{ids[0]})).hasSize(29)
                .extracting(ScoredItem::item).doesNotContain(ids[0]);
    }

    @Test
    void upsertRemoveAndDimensionChange() {
        ItemIndex index = new ItemIndex();
        for (long i = 0; i < 3000; i++) { // forces growth past the first capacity
            index.upsert(i, new FactorRow(i, i, new float[]{1, 0}, i));
        }
        assertThat(index.stats().items()).isEqualTo(3000);
        assertThat(index.stats().modelVersion()).isEqualTo(2999);
        assertThat(index.remove(5)).isTrue();
        assertThat(index.remove(5)).isFalse();
        assertThat(index.contains(5)).isFalse();
        assertThat(index.vector(2999).bias()).isEqualTo(2999f); // the moved last row is still found by id
        index.upsert(7, new FactorRow(1, 70f, new float[]{0, 1}, 0));
        assertThat(index.vector(7).bias()).isEqualTo(70f);
        assertThat(index.topBiased(2, true)).extracting(ScoredItem::item).containsExactly(2999L, 2998L);
        assertThat(index.topBiased(2, false)).extracting(ScoredItem::item).containsExactly(0L, 1L);
        assertThat(index.topBiased(1, false).get(0).score()).isEqualTo(0f);

        index.upsert(9, new FactorRow(2, 1f, new float[]{1, 2, 3}, 0));
        assertThat(index.stats().dim()).isEqualTo(3);
        assertThat(index.stats().items()).isEqualTo(1);
        assertThat(index.stats().dimensionResets()).isEqualTo(1);
    }

    @Test
    void similarIsCosineAndExcludesTheItem() {
        ItemIndex index = new ItemIndex();
        index.upsert(1, new FactorRow(1, 0, new float[]{1, 0}, 0));
        index.upsert(2, new FactorRow(1, 5, new float[]{10, 1}, 0)); // nearly parallel, long: cosine ignores length and bias
        index.upsert(3, new FactorRow(1, 0, new float[]{1, 1}, 0));
        index.upsert(4, new FactorRow(1, 0, new float[]{-1, 0}, 0));
        index.upsert(5, new FactorRow(1, 0, new float[]{0, 0}, 0)); // no direction: never similar
        List<ScoredItem> sim = index.similar(1, 10);
        assertThat(sim).extracting(ScoredItem::item).containsExactly(2L, 3L, 4L);
        assertThat(sim.get(1).score()).isCloseTo((float) Math.sqrt(0.5), within(1e-6f));
        assertThat(sim.get(2).score()).isCloseTo(-1f, within(1e-6f));
        assertThat(index.similar(99, 10)).isNull();
    }

    @Test
    void nanFactorsNeverReachTheTopK() {
        ItemIndex index = new ItemIndex();
        index.upsert(1, new FactorRow(1, Float.NaN, new float[]{1}, 0));
        index.upsert(2, new FactorRow(1, 0, new float[]{1}, 0));
        assertThat(index.topK(new float[]{1}, 1f, 0f, 5, null)).extracting(ScoredItem::item).containsExactly(2L);
    }

    @Test
    void statsAreOneSnapshotOfEveryFigure() {
        ItemIndex index = new ItemIndex();
        assertThat(index.stats()).isEqualTo(new IndexStats(0, -1, 0, 0f, null, 0, 0));
        index.upsert(1, new FactorRow(4, 0.5f, new float[]{1, 0}, 1_000));
        index.upsert(2, new FactorRow(3, 0.1f, new float[]{0, 1}, 2_000));
        index.setGlobal(3.5f, 5, null);
        IndexStats s = index.stats();
        assertThat(s).isEqualTo(new IndexStats(2, 2, 5, 3.5f, null, 2_000, 0));
        assertThat(s.serving()).isEqualTo(index.serving());
        index.upsert(3, new FactorRow(6, 0f, new float[]{1, 2, 3}, 500));
        // the new model's dimension comes with its own item count, never the old one's
        assertThat(index.stats()).extracting(IndexStats::items, IndexStats::dim, IndexStats::dimensionResets)
                .containsExactly(1, 3, 1L);
        assertThat(s.items()).as("a snapshot taken earlier does not change").isEqualTo(2);
    }
}
