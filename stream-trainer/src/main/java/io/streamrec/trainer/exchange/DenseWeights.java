package io.streamrec.trainer.exchange;

import io.streamrec.model.dense.DenseCodec;
import io.streamrec.model.dense.DenseParameters;

import java.util.Arrays;
import java.util.Objects;

/**
 * One subtask's current dense weights (no optimizer state), for parameter averaging at parallelism &gt; 1: each
 * receiver sets its weights to the mean of its own and the latest copy of every other live subtask. The weights
 * travel as {@link DenseCodec} bytes (versioned, fingerprinted, CRC-checked), decoded by the receiver against its own
 * model's fingerprint, so a subtask configured differently is refused naming both.
 *
 * @param origin   the sender's incarnation
 * @param sequence per-origin number of its weight messages (0, 1, ...)
 * @param encoded  {@code DenseCodec.encode(weights)}
 */
public record DenseWeights(String origin, long sequence, byte[] encoded) implements ExchangeMessage {

    public DenseWeights {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(encoded, "encoded");
    }

    /** The weights of {@code p} (its optimizer state is left out). */
    public static DenseWeights of(String origin, long sequence, DenseParameters p) {
        return new DenseWeights(origin, sequence, DenseCodec.encode(p.weightsOnly()));
    }

    /** Decodes the weights, refusing another model's ({@link DenseCodec#decode}). */
    public DenseParameters parameters(String expectedFingerprint) {
        return DenseCodec.decode(encoded, expectedFingerprint);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DenseWeights d && d.origin.equals(origin) && d.sequence == sequence && Arrays.equals(d.encoded, encoded);
    }

    @Override
    public int hashCode() {
        return Objects.hash(origin, sequence) * 31 + Arrays.hashCode(encoded);
    }

    @Override
    public String toString() {
        return "DenseWeights{origin=" + origin + ", seq=" + sequence + ", bytes=" + encoded.length + '}';
    }
}
