package io.streamrec.model.features;

import io.streamrec.model.dense.DenseParameters;
import io.streamrec.model.dense.DlPlusScorer;
import io.streamrec.model.dense.RatingOutput;

import java.util.Objects;

/**
 * The hybrid family's one implementation of scoring: DL+'s network ({@link DlPlusScorer}) over effective vectors,
 * an id row's bias + embedding plus the {@link FeatureTower} vector of the same width. An id without a row but with
 * features gets the features-only vector (cold start); one with neither has none, and is then scored as DL+ scores
 * a cold side: μ plus the other side's bias. Used by the model's own predictions, {@code evaluate} and the scorer.
 * Immutable once built; thread-safe for reading.
 */
public final class HybridScorer {

    /** Where an effective vector came from (the scorer reports it per item). */
    public enum Source {
        /** An id row, with the features added when there are any. */
        LEARNED,
        /** No id row yet: the features alone (cold start). */
        FEATURES_ONLY,
        /** Neither: the id is unknown to the model. */
        NONE;

        public static Source of(float[] idRow, Object features) {
            return idRow != null ? LEARNED : features != null ? FEATURES_ONLY : NONE;
        }
    }

    private final DlPlusScorer network;
    private final FeatureTower tower;

    public HybridScorer(DlPlusScorer network, FeatureTower tower) {
        this.network = Objects.requireNonNull(network, "network");
        this.tower = Objects.requireNonNull(tower, "tower");
        if (tower.width() != network.dim() + 1) {
            throw new IllegalArgumentException("feature vectors of width " + tower.width() + " do not fit a "
                    + network.dim() + "-dim network");
        }
    }

    /** From published parameters: the network's tensors, and the feature tables the fingerprint describes. */
    public static HybridScorer of(DenseParameters p) {
        DlPlusScorer net = new DlPlusScorer(p);
        return new HybridScorer(net, FeatureTower.of(p, FeatureSpec.parse(p.fingerprint()), net.dim()));
    }

    public DlPlusScorer network() {
        return network;
    }

    public FeatureTower tower() {
        return tower;
    }

    public String fingerprint() {
        return network.fingerprint();
    }

    /** idRow[0..width) + the features' vector; the features alone without a row; null with neither. */
    public float[] itemVector(float[] idRow, ItemFeatures f) {
        if (f == null || f.isEmpty()) {
            return idRow == null ? null : java.util.Arrays.copyOf(idRow, tower.width());
        }
        float[] v = new float[tower.width()];
        tower.item(f, v);
        addRow(idRow, v);
        return v;
    }

    /** As {@link #itemVector} for a user. */
    public float[] userVector(float[] idRow, UserFeatures f) {
        if (f == null || f.isEmpty()) {
            return idRow == null ? null : java.util.Arrays.copyOf(idRow, tower.width());
        }
        float[] v = new float[tower.width()];
        tower.user(f, v);
        addRow(idRow, v);
        return v;
    }

    private void addRow(float[] idRow, float[] v) {
        if (idRow != null) {
            for (int j = 0; j < v.length; j++) {
                v[j] += idRow[j];
            }
        }
    }

    /** The rating for two effective vectors (either null: that side unknown, as {@link DlPlusScorer#score}). */
    public float score(float[] userVector, float[] itemVector, RatingOutput output) {
        return network.score(userVector, itemVector, output);
    }

    /** Ids, rows and features in one call: {@link #score} of their effective vectors. */
    public float score(float[] userRow, UserFeatures uf, float[] itemRow, ItemFeatures itf, RatingOutput output) {
        return score(userVector(userRow, uf), itemVector(itemRow, itf), output);
    }
}
