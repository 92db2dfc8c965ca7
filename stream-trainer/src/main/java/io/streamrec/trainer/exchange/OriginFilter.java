package io.streamrec.trainer.exchange;

import java.util.HashMap;
import java.util.Map;

/**
 * Decides which other subtasks' deltas count. The exchange topic is written at-least-once (so deltas are visible
 * within milliseconds, not at the next commit), which means it can hold deltas a failed incarnation published after
 * its last checkpoint: those are recomputed after the restore, so only deltas of the current incarnation, or of a
 * restored one up to the sequence its snapshot covered, count.
 */
final class OriginFilter {

    private final String currentPrefix;
    /** Deltas of earlier incarnations published before the restored checkpoint: origin → last valid sequence. */
    private final HashMap<String, Long> restored = new HashMap<>();

    OriginFilter(Incarnation self) {
        this.currentPrefix = self.prefix();
    }

    void restore(Map<String, Long> lastSequenceByOrigin) {
        restored.putAll(lastSequenceByOrigin);
    }

    boolean accepts(ItemDelta delta) {
        if (delta.origin().startsWith(currentPrefix)) {
            return true;
        }
        Long lastValid = restored.get(delta.origin());
        return lastValid != null && delta.sequence() <= lastValid;
    }

    int restoredOrigins() {
        return restored.size();
    }
}
