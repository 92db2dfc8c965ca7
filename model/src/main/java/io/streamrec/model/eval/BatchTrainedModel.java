package io.streamrec.model.eval;

import io.streamrec.model.ModelKind;

import java.util.Map;

/**
 * A model trained on the whole training part at once, multi-epoch, rather than event by event: what
 * {@code evaluate --protocol holdout} runs for families that have no online form (I-AutoRec needs every item's
 * full rating vector). {@link OfflineEvaluation#holdout(BatchTrainedModel, OfflineEvaluation.Columns, double, long)}
 * drives it on the same split as the online models.
 */
public interface BatchTrainedModel {

    /** A predicted rating and whether the user or item had no training ratings. */
    record Prediction(float rating, boolean coldStart) {
    }

    ModelKind kind();

    /** Every setting that reproduces this model, as {@code model.*} keys. */
    Map<String, String> settings();

    /** Trains from scratch on the given ratings (equal-length columns). */
    void fit(long[] users, long[] items, float[] ratings);

    /** The rating {@code user} would give {@code item}, from the last {@link #fit}. */
    Prediction predict(long user, long item);
}
