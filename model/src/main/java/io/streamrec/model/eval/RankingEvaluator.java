package io.streamrec.model.eval;

import io.streamrec.common.event.RankingMetrics;

import java.util.SplittableRandom;

/**
 * Decides which events are ranked (one per block of {@code every} events, at a seeded random position inside the
 * block, so the sample neither aliases with periodic patterns nor depends on the data) and accumulates the ranking
 * figures of the ranked ones: hit@10, hit@50, reciprocal rank and DCG@10, over a window of the last {@code window}
 * samples and since the start. Single-threaded.
 */
public final class RankingEvaluator {

    public static final int DEFAULT_WINDOW = 1000;

    private final int every;
    private final int window;
    private final SplittableRandom random;

    private long events;
    private long nextSample;

    private final byte[] hits10;
    private final byte[] hits50;
    private final double[] rr;
    private final double[] dcg;
    private int head;
    private int filled;

    private long samples;
    private long totalHits10;
    private long totalHits50;
    private double totalRr;
    private double totalDcg;

    public RankingEvaluator(int every, long seed, int window) {
        if (every < 1) {
            throw new IllegalArgumentException("ranking sample interval must be >= 1 event, got " + every);
        }
        if (window < 1) {
            throw new IllegalArgumentException("ranking window must be >= 1 sample, got " + window);
        }
        this.every = every;
        this.window = window;
        this.random = new SplittableRandom(seed);
        this.nextSample = random.nextInt(every);
        this.hits10 = new byte[window];
        this.hits50 = new byte[window];
        this.rr = new double[window];
        this.dcg = new double[window];
    }

    public int every() {
        return every;
    }

    /** Advances past one event; true when that event is to be ranked. Call once per event, in stream order. */
    public boolean nextEventSampled() {
        long e = events++;
        if (e != nextSample) {
            return false;
        }
        long blockStart = (e / every + 1) * every;
        nextSample = blockStart + random.nextInt(every);
        return true;
    }

    /**
     * Records one sample's rank (1 = first), or 0 when the item could not be ranked (the model did not know it): a
     * miss at every K.
     */
    public void record(int rank) {
        if (rank < 0) {
            throw new IllegalArgumentException("rank must be >= 1, or 0 for an item that could not be ranked, got " + rank);
        }
        byte h10 = (byte) (rank >= 1 && rank <= 10 ? 1 : 0);
        byte h50 = (byte) (rank >= 1 && rank <= 50 ? 1 : 0);
        double r = rank == 0 ? 0 : 1.0 / rank;
        double d = h10 == 1 ? 1.0 / (Math.log(rank + 1) / Math.log(2)) : 0;
        samples++;
        totalHits10 += h10;
        totalHits50 += h50;
        totalRr += r;
        totalDcg += d;
        hits10[head] = h10;
        hits50[head] = h50;
        rr[head] = r;
        dcg[head] = d;
        head = head + 1 == window ? 0 : head + 1;
        if (filled < window) {
            filled++;
        }
    }

    public long samples() {
        return samples;
    }

    public double hitAt10() {
        return samples == 0 ? Double.NaN : (double) totalHits10 / samples;
    }

    public double hitAt50() {
        return samples == 0 ? Double.NaN : (double) totalHits50 / samples;
    }

    public double mrr() {
        return samples == 0 ? Double.NaN : totalRr / samples;
    }

    public double ndcgAt10() {
        return samples == 0 ? Double.NaN : totalDcg / samples;
    }

    /** The figures so far, all users candidates; see {@link #snapshot(int)}. */
    public RankingMetrics snapshot() {
        return snapshot(1);
    }

    /**
     * The figures so far, labelled with the user panel the candidates came from; the window ones are summed afresh
     * (the window is at most a few thousand samples).
     */
    public RankingMetrics snapshot(int userPanel) {
        if (samples == 0) {
            return RankingMetrics.none(userPanel, every);
        }
        long w10 = 0;
        long w50 = 0;
        double wr = 0;
        double wd = 0;
        for (int k = 0; k < filled; k++) {
            w10 += hits10[k];
            w50 += hits50[k];
            wr += rr[k];
            wd += dcg[k];
        }
        return new RankingMetrics(samples, userPanel, every, filled, (double) w10 / filled, (double) w50 / filled, wr / filled,
                wd / filled, hitAt10(), hitAt50(), mrr(), ndcgAt10());
    }
}
