package io.streamrec.model;

import io.streamrec.common.event.FactorKind;
import io.streamrec.common.event.FactorRow;
import io.streamrec.model.optim.OptimizerKind;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Where things live in one user or item row. A row is a single {@code float[]} so that one RocksDB value (or one
 * slot of the item table) holds everything the learner needs for that id:
 *
 * <pre>
 *   [0]                      bias
 *   [1 .. dim]               latent vector
 *   [P .. P + s*P)           optimizer state, s = optimizer.slotsPerParameter(), P = 1 + dim (state of slot j of
 *                            parameter p at P + j*P + p)
 *   [width - 2]              Adam only: the row's own step count (bias correction per row, since updates are lazy)
 *   [width - 1]              how many ratings the row has learned from (its evidence; drives the bias prior)
 * </pre>
 *
 * Initial rows are a pure function of (seed, kind, id): every trainer subtask creates item i identically, and a
 * restarted job recreates the same cold rows.
 */
public final class RowLayout {

    private final int dim;
    private final OptimizerKind optimizer;
    private final float initStd;
    private final long seed;
    private final int parameters;
    private final int width;

    public RowLayout(int dim, OptimizerKind optimizer, float initStd, long seed) {
        if (dim < 0 || dim > MfHyperParameters.MAX_DIM) {
            throw new IllegalArgumentException("dim must be in [0, " + MfHyperParameters.MAX_DIM + "], got " + dim);
        }
        if (optimizer == null) {
            throw new IllegalArgumentException("optimizer must not be null");
        }
        if (!(initStd >= 0f) || !Float.isFinite(initStd)) {
            throw new IllegalArgumentException("initStd must be a finite number >= 0, got " + initStd);
        }
        this.dim = dim;
        this.optimizer = optimizer;
        this.initStd = initStd;
        this.seed = seed;
        this.parameters = 1 + dim;
        this.width = parameters * (1 + optimizer.slotsPerParameter()) + (optimizer.hasStepCounter() ? 1 : 0) + 1;
    }

    public static RowLayout of(MfHyperParameters p) {
        return new RowLayout(p.dim(), p.optimizer(), p.initStd(), p.seed());
    }

    public int dim() {
        return dim;
    }

    public OptimizerKind optimizer() {
        return optimizer;
    }

    /** Learnable parameters per row: the bias and the vector. */
    public int parameters() {
        return parameters;
    }

    /** Length of the row array. */
    public int width() {
        return width;
    }

    public static int biasOffset() {
        return 0;
    }

    public static int vectorOffset() {
        return 1;
    }

    /** Offset of optimizer state slot {@code slot} (0-based); its entry for parameter p is at {@code +p}. */
    public int stateOffset(int slot) {
        if (slot < 0 || slot >= optimizer.slotsPerParameter()) {
            throw new IllegalArgumentException(optimizer + " has no state slot " + slot);
        }
        return parameters * (1 + slot);
    }

    /** Offset of the Adam step counter, or -1 when the optimizer keeps none. */
    public int stepOffset() {
        return optimizer.hasStepCounter() ? width - 2 : -1;
    }

    /** Offset of the count of ratings the row has learned from. */
    public int countOffset() {
        return width - 1;
    }

    /** How many ratings the row has learned from. */
    public float count(float[] row) {
        return row[width - 1];
    }

    public float bias(float[] row) {
        return row[0];
    }

    /** A fresh initial row for {@code id}: bias 0, vector ~ N(0, initStd²) seeded by (seed, kind, id), zero state. */
    public float[] newRow(FactorKind kind, long id) {
        float[] row = new float[width];
        initialize(kind, id, row);
        return row;
    }

    /** Writes the initial values for {@code id} into {@code row} (which must be {@link #width()} long). */
    public void initialize(FactorKind kind, long id, float[] row) {
        requireShape(row);
        Arrays.fill(row, 0f);
        if (dim > 0 && initStd > 0f) {
            SplittableRandom rnd = new SplittableRandom(mix(seed, kind, id));
            for (int j = 1; j <= dim; j++) {
                row[j] = (float) (rnd.nextGaussian() * initStd);
            }
        }
    }

    /** Fails with a clear message when a row from state does not fit this layout (e.g. dim changed across restarts). */
    public void requireShape(float[] row) {
        if (row == null) {
            throw new IllegalArgumentException("row must not be null");
        }
        if (row.length != width) {
            throw new IllegalArgumentException("row has " + row.length + " floats but layout (dim " + dim + ", "
                    + optimizer + ") needs " + width + "; was the state written with other model settings?");
        }
    }

    /** The public part of a row (bias + vector copy) as written to the {@code factors} topic. */
    public FactorRow toFactorRow(float[] row, long modelVersion, long eventTimeMs) {
        requireShape(row);
        return new FactorRow(modelVersion, row[0], Arrays.copyOfRange(row, 1, 1 + dim), eventTimeMs);
    }

    private static long mix(long seed, FactorKind kind, long id) {
        // SplitMix64 finalizer over (seed, kind, id): adjacent ids get unrelated streams.
        long z = seed * 0x9E3779B97F4A7C15L + (long) kind.code() * 0xBF58476D1CE4E5B9L + id;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Override
    public String toString() {
        return "RowLayout{dim=" + dim + ", optimizer=" + optimizer + ", width=" + width + '}';
    }
}
