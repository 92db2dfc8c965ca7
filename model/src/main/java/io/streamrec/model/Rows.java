package io.streamrec.model;

/**
 * Row access the model is given for one batch: the trainer backs user rows with Flink keyed state and item rows
 * with its per-subtask item table; {@code evaluate} backs both with {@link RowTable}. The model never keeps rows
 * itself, it only reads them here and writes changed ones back with {@link #put}.
 */
public interface Rows {

    /** The row of {@code id}, or null when the id has never been learned (a cold start). */
    float[] get(long id);

    /** Stores the (new or updated) row of {@code id}. The model may pass the same array it got from {@link #get}. */
    void put(long id, float[] row);
}
