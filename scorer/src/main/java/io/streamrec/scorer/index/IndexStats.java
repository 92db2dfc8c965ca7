package io.streamrec.scorer.index;

import io.streamrec.common.model.RatingOutput;

/**
 * One consistent reading of the item index, taken under one lock: the figures can never disagree with each other
 * mid-update (an item count of the old model with the dimension of the new one, say), as separately read getters could.
 *
 * @param items           item rows held
 * @param dim             dimension of the held rows, -1 before the first row
 * @param modelVersion    newest model version seen in an item row or the GLOBAL record
 * @param globalMean      μ from the GLOBAL record (0 before one arrived)
 * @param output          the output transform published with μ; null when none is known (scores served raw)
 * @param maxEventTimeMs  newest event time carried by an item row
 * @param dimensionResets times the index started over because the trainer switched to a model of another size
 */
public record IndexStats(int items, int dim, long modelVersion, float globalMean, RatingOutput.Published output,
                         long maxEventTimeMs, long dimensionResets) {

    /** How raw scan scores become served ratings, from the same μ and transform as the other figures. */
    public Serving serving() {
        return new Serving(globalMean, output);
    }
}
