package io.streamrec.model;

import io.streamrec.model.dense.DenseParameters;

import java.util.Map;
import java.util.Optional;

/**
 * An online rating model driven one mini-batch at a time by gather ► compute ► scatter. The model owns no rows:
 * it reads them from the {@link Rows} it is given and writes changed ones back, so the caller decides where they
 * live (Flink keyed state, an in-memory table). It does own its {@link GlobalStats} (μ), which the caller
 * checkpoints. Instances are single-threaded: one per trainer subtask.
 *
 * <p>Prequential use: {@link #process} = {@link #predict} then {@link #learn} with one gather. Every event of the
 * batch is predicted with the rows as they stood BEFORE the batch; an event whose user or item row did not exist
 * is flagged cold-start and predicted from what is known (μ and whichever bias exists).
 *
 * <p>State = sparse rows (the caller's) + global stats + the family's dense shared parameters
 * ({@link #denseParameters}: none for MF, the network for DL+), all identified by {@link #fingerprint}.
 */
public interface OnlineModel {

    ModelKind kind();

    /**
     * The row-level hyperparameters (dimension, row optimizer, batching, rating scale). Families with more settings
     * than MF report those in {@link #settings()}; this view is what row-handling callers (batching, layouts) need.
     */
    MfHyperParameters hyperParameters();

    /** Every setting that reproduces this model, as {@code model.*} keys (for reports and other processes). */
    default Map<String, String> settings() {
        return hyperParameters().toSettings();
    }

    /**
     * The model's identity: family, dimensions, layer sizes, optimizers, row width, format. Stored with checkpoints
     * and published records; state written under one fingerprint must never be restored under another (today
     * AdaGrad, RMSProp and momentum rows have equal widths, so only this tells them apart).
     */
    default String fingerprint() {
        RowLayout l = layout();
        return kind().id() + ";dim=" + l.dim() + ";optimizer=" + l.optimizer().name().toLowerCase(java.util.Locale.ROOT)
                + ";row-width=" + l.width();
    }

    /** A snapshot of the dense shared parameters (empty for families that have none, such as MF). */
    default Optional<DenseParameters> denseParameters() {
        return Optional.empty();
    }

    /**
     * Restores the dense shared parameters from a checkpoint or a subtask average. Families without dense
     * parameters accept nothing: any parameters given were written by another model.
     *
     * @throws IllegalStateException when {@code params} belong to another fingerprint
     */
    default void restoreDense(DenseParameters params) {
        java.util.Objects.requireNonNull(params, "params");
        throw new IllegalStateException("model '" + fingerprint() + "' has no dense parameters, but was given those of '"
                + params.fingerprint() + "'");
    }

    /**
     * The layout of item rows, and of user rows unless the family overrides {@link #requireUserShape} and
     * {@link #userFactorRow} (U-AutoRec's user row is the user's recent ratings).
     */
    RowLayout layout();

    /** Fails with a clear message when a user row from state does not fit this model (by default: {@link #layout()}). */
    default void requireUserShape(float[] row) {
        layout().requireShape(row);
    }

    /** The public part of a user row as written to the {@code factors} topic (by default: {@link #layout()}'s). */
    default io.streamrec.common.event.FactorRow userFactorRow(float[] row, long modelVersion, long eventTimeMs) {
        return layout().toFactorRow(row, modelVersion, eventTimeMs);
    }

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

    /**
     * This family's whole-catalogue scoring for the current state: the ranking path the prequential ranking metrics
     * use, so lists are judged by the family's own scoring code. {@code itemRows[0..count)} are item rows as stored
     * (none null); the ranker keeps references to them and whatever it precomputes per item, so it is valid only
     * until the rows or the model change.
     */
    CatalogueRanker catalogueRanker(float[][] itemRows, int count);

    /**
     * {@link #catalogueRanker(float[][], int)} for a catalogue whose item ids are known ({@code itemIds[k]} is the id
     * of {@code itemRows[k]}): families with side features look them up; the others ignore the ids.
     */
    default CatalogueRanker catalogueRanker(long[] itemIds, float[][] itemRows, int count) {
        return catalogueRanker(itemRows, count);
    }

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
