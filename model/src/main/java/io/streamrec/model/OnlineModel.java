package io.streamrec.model;

/**
 * An online rating model driven one mini-batch at a time by gather ► compute ► scatter. The model owns no rows:
 * it reads them from the {@link Rows} it is given and writes changed ones back, so the caller decides where they
 * live (Flink keyed state, an in-memory table). It does own its {@link GlobalStats} (μ), which the caller
 * checkpoints. Instances are single-threaded: one per trainer subtask.
 *
 * <p>Prequential use: {@link #process} = {@link #predict} then {@link #learn} with one gather. Every event of the
 * batch is predicted with the rows as they stood BEFORE the batch; an event whose user or item row did not exist
 * is flagged cold-start and predicted from what is known (μ and whichever bias exists).
 */
public interface OnlineModel {

    ModelKind kind();

    MfHyperParameters hyperParameters();

    /** The layout of user and item rows (both tables use the same one). */
    RowLayout layout();

    /** Fills {@link MiniBatch#prediction} and {@link MiniBatch#coldStart} for every event; changes nothing. */
    void predict(MiniBatch batch, Rows users, Rows items);

    /**
     * Learns from every event of the batch: accumulates each row's gradients over all the events that touch it,
     * applies the optimizer once per touched row, writes each touched row back with {@link Rows#put} (creating
     * seeded initial rows for new ids), then folds the batch's ratings into μ.
     *
     * @return the rows written, valid until the next call
     */
    ChangedRows learn(MiniBatch batch, Rows users, Rows items);

    /** {@link #predict} followed by {@link #learn}, sharing the gather; the prequential step. */
    ChangedRows process(MiniBatch batch, Rows users, Rows items);

    /** Scores one (user, item) pair from rows as stored (either may be null: cold), clamped like batch predictions. */
    float score(float[] userRow, float[] itemRow);

    GlobalStats global();

    /**
     * What the GLOBAL factor record's vector carries so readers score exactly as this model predicts (the output
     * layout documented in {@code FactorRow}); empty when the model has no output arithmetic beyond μ + row terms.
     */
    default float[] globalOutputVector() {
        return new float[0];
    }

    /** Restores μ and friends from a checkpoint. */
    void restoreGlobal(GlobalStats stats);
}
