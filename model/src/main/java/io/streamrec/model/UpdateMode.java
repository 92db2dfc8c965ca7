package io.streamrec.model;

import java.util.Locale;

/** How a mini-batch's events update the rows they touch. */
public enum UpdateMode {
    /**
     * Event by event inside the gathered batch: each event is predicted with the rows as every earlier event left them,
     * then learned at once (one optimizer step per event). Results are identical for every batch size, so the batch is
     * only the unit of state access (one read and one write per distinct row). The CPU default: prequential accuracy
     * does not suffer from batching, where the whole-batch mode loses a lot when users rate in sessions.
     */
    SEQUENTIAL,
    /**
     * Whole batch at once: every event is predicted with the rows as they stood before the batch, gradients are
     * accumulated per row over the batch and the optimizer steps once per touched row. Data-parallel across events:
     * the mode of the ND4J / GPU kernel.
     */
    BATCH;

    public static UpdateMode parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown update mode '" + text + "', expected sequential or batch", e);
        }
    }
}
