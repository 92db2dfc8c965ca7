package io.streamrec.ingest.synthetic;

/**
 * The true parameters behind a synthetic stream at one point in time: r = μ + b_u + b_i + p_u·q_i (+ noise, then
 * clamped and rounded). Ids are 1-based: user u's row is index u-1. Arrays are shared, not copied: read-only.
 */
public final class PlantedModel {

    private final int rank;
    private final float globalMean;
    private final float[] userBias;
    private final float[] itemBias;
    private final float[] userFactors;
    private final float[] itemFactors;

    PlantedModel(int rank, float globalMean, float[] userBias, float[] itemBias, float[] userFactors, float[] itemFactors) {
        if (userFactors.length != (long) userBias.length * rank || itemFactors.length != (long) itemBias.length * rank) {
            throw new IllegalArgumentException("factor arrays do not match biases × rank");
        }
        this.rank = rank;
        this.globalMean = globalMean;
        this.userBias = userBias;
        this.itemBias = itemBias;
        this.userFactors = userFactors;
        this.itemFactors = itemFactors;
    }

    public int rank() {
        return rank;
    }

    public int users() {
        return userBias.length;
    }

    public int items() {
        return itemBias.length;
    }

    public float globalMean() {
        return globalMean;
    }

    public float userBias(long user) {
        return userBias[(int) (user - 1)];
    }

    public float itemBias(long item) {
        return itemBias[(int) (item - 1)];
    }

    /** A copy of user {@code user}'s factor vector. */
    public float[] userFactors(long user) {
        float[] out = new float[rank];
        System.arraycopy(userFactors, (int) (user - 1) * rank, out, 0, rank);
        return out;
    }

    public float[] itemFactors(long item) {
        float[] out = new float[rank];
        System.arraycopy(itemFactors, (int) (item - 1) * rank, out, 0, rank);
        return out;
    }

    /** The noise-free score μ + b_u + b_i + p_u·q_i, before clamping to the scale. */
    public double score(long user, long item) {
        int u = (int) (user - 1);
        int i = (int) (item - 1);
        double dot = 0;
        int uo = u * rank;
        int io = i * rank;
        for (int f = 0; f < rank; f++) {
            dot += userFactors[uo + f] * itemFactors[io + f];
        }
        return globalMean + userBias[u] + itemBias[i] + dot;
    }

    /** The noise-free rating as the stream would emit it: the score rounded to the scale's step and clamped. */
    public float rating(io.streamrec.common.event.RatingScale scale, long user, long item) {
        double r = score(user, item);
        if (scale.step() > 0) {
            r = scale.min() + Math.rint((r - scale.min()) / scale.step()) * scale.step();
        }
        return (float) Math.max(scale.min(), Math.min(scale.max(), r));
    }

    float[] userBiasArray() {
        return userBias;
    }

    float[] itemBiasArray() {
        return itemBias;
    }

    float[] userFactorArray() {
        return userFactors;
    }

    float[] itemFactorArray() {
        return itemFactors;
    }
}
