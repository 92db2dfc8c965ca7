package io.streamrec.common.event;

/**
 * The prequential ranking figures of one report (part of {@link PrequentialMetrics} from format version 2): for
 * sampled events (u, i), the rank of i among every item the model knew that u had not rated, taken before the model
 * learned from the event. hit@K is the share of samples with rank ≤ K (recall of the next item), MRR the mean of
 * 1/rank, nDCG@10 the mean of 1/log2(rank + 1) for ranks ≤ 10 (one relevant item, so the ideal DCG is 1). An item
 * the model did not know yet counts as a miss. Window figures cover the last {@code windowSamples} samples.
 *
 * @param samples       events ranked so far
 * @param userPanel     only the events of one user in this many (a seeded hash of the user id) are candidates
 * @param sampleEvery   one candidate event in this many is ranked (seeded position inside each block of that many)
 * @param windowSamples samples in the window
 */
public record RankingMetrics(
        long samples,
        int userPanel,
        int sampleEvery,
        long windowSamples,
        double windowHitAt10,
        double windowHitAt50,
        double windowMrr,
        double windowNdcgAt10,
        double hitAt10,
        double hitAt50,
        double mrr,
        double ndcgAt10) {

    /** Nothing ranked yet: every figure NaN. */
    public static RankingMetrics none(int userPanel, int sampleEvery) {
        return new RankingMetrics(0, userPanel, sampleEvery, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                Double.NaN, Double.NaN, Double.NaN);
    }
}
