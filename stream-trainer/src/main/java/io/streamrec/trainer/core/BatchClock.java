package io.streamrec.trainer.core;

/** Processing time as the trainer core sees it: the time now, and a wake-up call (the shell registers a timer). */
public interface BatchClock {

    long nowMs();

    /** Calls {@link TrainerCore#onWakeUp} at (or after) {@code deadlineMs}. */
    void wakeUpAt(long deadlineMs);
}
