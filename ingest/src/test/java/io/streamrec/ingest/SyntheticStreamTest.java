package io.streamrec.ingest;

import io.streamrec.common.event.Rating;
import io.streamrec.common.event.RatingScale;
import io.streamrec.ingest.synthetic.DriftKind;
import io.streamrec.ingest.synthetic.PlantedModel;
import io.streamrec.ingest.synthetic.SyntheticConfig;
import io.streamrec.ingest.synthetic.SyntheticStream;
import io.streamrec.ingest.synthetic.SyntheticTruth;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SyntheticStreamTest {

    @TempDir
    Path tmp;

    static final SyntheticConfig SMALL = SyntheticConfig.defaults().withSize(300, 500, 50_000);

    @Test
    void sameSeedSameStreamOtherSeedAnotherStream() {
        RatingColumns a = new SyntheticStream(SMALL).toColumns();
        RatingColumns b = new SyntheticStream(SMALL).toColumns();
        RatingColumns c = new SyntheticStream(SMALL.withSeed(43)).toColumns();
        assertThat(a.users()).isEqualTo(b.users());
        assertThat(a.items()).isEqualTo(b.items());
        assertThat(a.ratings()).isEqualTo(b.ratings());
        assertThat(a.timestampsMs()).isEqualTo(b.timestampsMs());
        assertThat(a.items()).isNotEqualTo(c.items());
        // The Iterable view and the cursor agree, and a resumed cursor lands on the same events.
        List<Rating> viaIterator = new ArrayList<>();
        new SyntheticStream(SMALL).forEach(viaIterator::add);
        assertThat(viaIterator).isEqualTo(RatingColumnsTestSupport.list(a));
        assertThat(SortTest.read(new SyntheticStream(SMALL).cursor(40_000))).isEqualTo(SortTest.read(a.cursor(40_000)));
    }

    @Test
    void eventsAreInTimeOrderOnTheScaleAndItsStep() {
        RatingColumns a = new SyntheticStream(SMALL).toColumns();
        assertThat(a.size()).isEqualTo(50_000);
        assertThat(a.isSortedByTime()).isTrue();
        assertThat(a.timestampMs(0)).isEqualTo(SyntheticConfig.DEFAULT_START_MS);
        assertThat(a.timestampMs(1) - a.timestampMs(0)).isEqualTo(1000);
        for (int i = 0; i < a.sizeInt(); i++) {
            float r = a.rating(i);
            assertThat(r).isBetween(0.5f, 5f);
            assertThat(r * 2).isEqualTo((float) Math.rint(r * 2));
            assertThat(a.user(i)).isBetween(1L, 300L);
            assertThat(a.item(i)).isBetween(1L, 500L);
        }
    }

    @Test
    void itemPopularityFollowsTheZipfSkew() {
        int items = 1000;
        SyntheticConfig skewed = SMALL.withSize(200, items, 200_000).withSkew(0, 1.0);
        long[] counts = itemCounts(new SyntheticStream(skewed).toColumns(), items);
        double harmonic = 0;
        for (int r = 1; r <= items; r++) {
            harmonic += 1.0 / r;
        }
        // The most popular item gets 1/H(1000) ≈ 13.4 % of the events, the top 10 % of items ≈ 69 %.
        assertThat(counts[0] / 200_000.0).isCloseTo(1 / harmonic, within(0.01));
        assertThat(topShare(counts, 100)).isCloseTo(5.187 / harmonic, within(0.02));
        long[] uniform = itemCounts(new SyntheticStream(skewed.withSkew(0, 0)).toColumns(), items);
        assertThat(topShare(uniform, 100)).isLessThan(0.13);
    }

    private static long[] itemCounts(RatingColumns c, int items) {
        long[] counts = new long[items];
        for (long i : c.items()) {
            counts[(int) i - 1]++;
        }
        Arrays.sort(counts);
        for (int i = 0; i < items / 2; i++) {
            long t = counts[i];
            counts[i] = counts[items - 1 - i];
            counts[items - 1 - i] = t;
        }
        return counts;
    }

    private static double topShare(long[] sortedDesc, int k) {
        long total = Arrays.stream(sortedDesc).sum();
        return (double) Arrays.stream(sortedDesc).limit(k).sum() / total;
    }

    @Test
    void ratingsAreThePlantedScorePlusTheConfiguredNoise() {
        SyntheticConfig c = SMALL.withScale(RatingScale.ZERO_TO_FIVE).withNoise(0.3);
        c = new SyntheticConfig(c.users(), c.items(), c.events(), c.rank(), c.noise(), c.userSkew(), c.itemSkew(),
                c.seed(), c.driftAt(), c.driftKind(), c.driftShare(), c.scale(), 2.5, 0.2, c.factorStd() * 0.6,
                c.startMs(), c.intervalMs());
        SyntheticStream s = new SyntheticStream(c);
        PlantedModel truth = s.truth().before();
        RatingColumns a = s.toColumns();
        double sse = 0;
        for (int i = 0; i < a.sizeInt(); i++) {
            double e = a.rating(i) - truth.score(a.user(i), a.item(i));
            sse += e * e;
        }
        assertThat(Math.sqrt(sse / a.size())).isCloseTo(0.3, within(0.02));
    }

    @Test
    void userTasteDriftChangesTheDriftedUsersOnlyAndOnlyAfterTheDriftPoint() {
        SyntheticConfig c = SMALL.withNoise(0.1).withDrift(0.5, DriftKind.USER_TASTE, 0.5);
        SyntheticStream s = new SyntheticStream(c);
        SyntheticTruth truth = s.truth();
        assertThat(truth.driftEvent()).isEqualTo(25_000);
        RatingColumns a = s.toColumns();
        double[] errBefore = new double[4]; // [drifted?][after drift?] error vs the pre-drift model
        long[] n = new long[4];
        for (int i = 0; i < a.sizeInt(); i++) {
            int cell = (s.isDriftedUser(a.user(i)) ? 2 : 0) + (i >= 25_000 ? 1 : 0);
            double e = a.rating(i) - truth.before().rating(RatingScale.MOVIELENS_HALF_STARS, a.user(i), a.item(i));
            errBefore[cell] += e * e;
            n[cell]++;
        }
        double driftedAfter = Math.sqrt(errBefore[3] / n[3]);
        double driftedBefore = Math.sqrt(errBefore[2] / n[2]);
        double stableAfter = Math.sqrt(errBefore[1] / n[1]);
        assertThat(driftedBefore).isLessThan(0.35);
        assertThat(stableAfter).isLessThan(0.35);
        assertThat(driftedAfter).isGreaterThan(2 * driftedBefore);
        // After the drift the new model explains the drifted users again.
        double sse = 0;
        long m = 0;
        for (int i = 25_000; i < a.sizeInt(); i++) {
            if (s.isDriftedUser(a.user(i))) {
                double e = a.rating(i) - truth.after().rating(RatingScale.MOVIELENS_HALF_STARS, a.user(i), a.item(i));
                sse += e * e;
                m++;
            }
        }
        assertThat(Math.sqrt(sse / m)).isLessThan(0.35);
        long driftedUsers = java.util.stream.LongStream.rangeClosed(1, 300).filter(s::isDriftedUser).count();
        assertThat(driftedUsers).isBetween(120L, 180L);
    }

    @Test
    void itemBiasDriftReversesTheBiasOfTheDriftedItems() {
        SyntheticStream s = new SyntheticStream(SMALL.withDrift(0.3, DriftKind.ITEM_BIAS, 0.2));
        SyntheticTruth t = s.truth();
        int flipped = 0;
        double crossProduct = 0;
        for (long item = 1; item <= 500; item++) {
            if (s.isDriftedItem(item)) {
                flipped++;
                crossProduct += t.after().itemBias(item) * t.before().itemBias(item);
                assertThat(t.after().itemBias(item)).isNotEqualTo(t.before().itemBias(item));
            } else {
                assertThat(t.after().itemBias(item)).isEqualTo(t.before().itemBias(item));
            }
            assertThat(t.after().itemFactors(item)).isEqualTo(t.before().itemFactors(item));
        }
        assertThat(flipped).isBetween(60, 140);
        assertThat(crossProduct).as("drifted biases are reversed: negatively correlated with the old ones").isNegative();
        assertThat(t.after().userBias(7)).isEqualTo(t.before().userBias(7));
    }

    @Test
    void truthFileRoundTrips() throws Exception {
        SyntheticStream s = new SyntheticStream(SMALL.withDrift(0.5, DriftKind.BOTH, 0.3));
        Path f = tmp.resolve("truth.bin");
        s.writeTruth(f);
        SyntheticTruth read = SyntheticTruth.read(f);
        SyntheticTruth orig = s.truth();
        assertThat(read.seed()).isEqualTo(42);
        assertThat(read.driftEvent()).isEqualTo(25_000);
        for (long u = 1; u <= 300; u += 37) {
            for (long i = 1; i <= 500; i += 41) {
                assertThat(read.before().score(u, i)).isEqualTo(orig.before().score(u, i));
                assertThat(read.after().score(u, i)).isEqualTo(orig.after().score(u, i));
            }
        }
        assertThat(read.modelAt(24_999).userFactors(3)).isEqualTo(orig.before().userFactors(3));
    }

    @Test
    void invalidConfigsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> SMALL.withSize(0, 10, 10)).hasMessageContaining("users must be >= 1");
        assertThatThrownBy(() -> SMALL.withDrift(1.5, DriftKind.USER_TASTE, 0.5)).hasMessageContaining("drift-at");
        assertThatThrownBy(() -> SMALL.withSkew(-1, 0)).hasMessageContaining("user skew");
        assertThatThrownBy(() -> SMALL.withNoise(Double.NaN)).hasMessageContaining("noise");
    }
}
