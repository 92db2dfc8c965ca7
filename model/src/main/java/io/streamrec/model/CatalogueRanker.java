package io.streamrec.model;

/**
 * Scores a fixed catalogue of items for one user at a time, in the order the family serves them: a model's
 * whole-catalogue ranking path (see {@link OnlineModel#catalogueRanker}). Valid until the model learns again.
 */
@FunctionalInterface
public interface CatalogueRanker {

    /**
     * Writes one ranking score per catalogue item into {@code out[0..count)}: higher is ranked first. Scores are the
     * family's row terms before its monotone output transform and clamp, so items the clamp would tie keep the
     * model's order (as the scorer ranks them).
     *
     * @param userRow the user's row as stored, or null for a user the model has not learned (ranked by item terms)
     */
    void score(float[] userRow, float[] out);

    /** {@link #score(float[], float[])} for a known user id (families with user features look it up). */
    default void score(long user, float[] userRow, float[] out) {
        score(userRow, out);
    }
}
