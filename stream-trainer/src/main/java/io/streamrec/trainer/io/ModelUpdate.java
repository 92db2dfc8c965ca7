package io.streamrec.trainer.io;

import java.util.Arrays;
import java.util.Objects;

/**
 * One record for the compacted {@code models} topic: a model family's dense weights as the trainer had them at a
 * checkpoint barrier.
 *
 * @param family  the family id, the record key (e.g. {@code dlplus})
 * @param weights {@code DenseCodec.encode(denseParameters.weightsOnly())}
 */
public record ModelUpdate(String family, byte[] weights) {

    public ModelUpdate {
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(weights, "weights");
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
        return "ModelUpdate{" + family + ", " + weights.length + " bytes}";
    }
}
