package io.streamrec.model.eval;

import java.util.HashMap;
import java.util.Map;

/**
 * RMSE over the events whose item had fewer than {@link #THRESHOLD} earlier ratings: how a model does on items it
 * barely knows, the case side features are for. "Earlier" is what the model had seen when it predicted: the ratings
 * before the event in the stream (prequential) or the item's ratings in the training part (holdout).
 */
public final class ColdStartRmse {

    /** An item with fewer earlier ratings than this is cold (issue 15's definition). */
    public static final int THRESHOLD = 5;

    private final Map<Long, Integer> seen = new HashMap<>();
    private double sumSq;
    private long count;

    /** One more rating of {@code item} that the model has seen. */
    public void seen(long item) {
        seen.merge(item, 1, Integer::sum);
    }

    /** Whether {@code item} counts as cold now. */
    public boolean isCold(long item) {
        return seen.getOrDefault(item, 0) < THRESHOLD;
    }

    /** Records a prediction of an event of {@code item} if the item is cold now. */
    public void record(long item, float prediction, float rating) {
        if (isCold(item)) {
            double e = (double) prediction - rating;
            sumSq += e * e;
            count++;
        }
    }

    /** NaN when no event was cold. */
    public double rmse() {
        return count == 0 ? Double.NaN : Math.sqrt(sumSq / count);
    }

    public long events() {
        return count;
    }
}
