package io.streamrec.trainer.core;

/** The trainer core's counters, told as they happen (the shell backs them with Flink metrics). */
public interface TrainerCounters {

    /** Counts nothing. */
    TrainerCounters NONE = new TrainerCounters() {
    };

    default void batchTrained(int events) {
    }

    default void deltaApplied() {
    }

    default void deltaDiscarded() {
    }
}
