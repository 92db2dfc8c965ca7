package io.streamrec.trainer.io;

import java.util.Arrays;
import java.util.Objects;

/**
 * One record for the compacted {@code models} topic: a model family's dense weights as the trainer had them at a
 * checkpoint barrier.
 *
 * @param family  the family id, the record key (e.g. {@code dlplus})
 * @param weights {@code DenseCodec.encode(denseParameters.weightsOnly())}, or null for a tombstone: the family's
 *                weights are no longer in force (another family now writes the factor rows)
 */
public record ModelUpdate(String family, byte[] weights) {

    public ModelUpdate {
        Objects.requireNonNull(family, "family");
    }

    /** The tombstone of {@code family}'s weights. */
    public static ModelUpdate retired(String family) {
        return new ModelUpdate(family, null);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelUpdate m && m.family.equals(family) && Arrays.equals(m.weights, weights);
    }

    @Override
    public int hashCode() {
        return family.hashCode() * 31 + Arrays.hashCode(weights);
    }

    @Override
    public String toString() {
        return "ModelUpdate{" + family + ", " + (weights == null ? "tombstone" : weights.length + " bytes") + "}";
    }
}
