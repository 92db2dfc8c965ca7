package io.streamrec.trainer.core;

import io.streamrec.common.event.Rating;
import io.streamrec.model.MiniBatch;

/**
 * The mini-batch being filled, and when it closes: at the batch size, or the batch timeout (processing time) after
 * its first event, whichever first; the core also closes it at every barrier and at the end of input. At most one
 * wake-up is pending: one that fires early (for an earlier batch's deadline) asks for the next.
 */
final class OpenBatch {

    private final MiniBatch batch;
    private final long timeoutMs;
    private final BatchClock clock;
    private long deadline;
    private boolean wakeUpPending;

    OpenBatch(int capacity, long timeoutMs, BatchClock clock) {
        this.batch = new MiniBatch(capacity);
        this.timeoutMs = timeoutMs;
        this.clock = clock;
    }

    /** Adds one rating; true when the batch is now full and must be processed. */
    boolean add(Rating r) {
        if (batch.isEmpty()) {
            deadline = clock.nowMs() + timeoutMs;
            requestWakeUp();
        }
        batch.add(r.user(), r.item(), r.rating(), r.timestampMs());
        return batch.isFull();
    }

    /** A wake-up fired at {@code timeMs}: true when the open batch is due. */
    boolean onWakeUp(long timeMs) {
        wakeUpPending = false;
        if (batch.isEmpty()) {
            return false;
        }
        if (timeMs >= deadline) {
            return true;
        }
        requestWakeUp();
        return false;
    }

    private void requestWakeUp() {
        if (!wakeUpPending) {
            wakeUpPending = true;
            clock.wakeUpAt(deadline);
        }
    }

    MiniBatch batch() {
        return batch;
    }
}
