package io.streamrec.trainer.exchange;

import java.util.Objects;

/**
 * Names one incarnation of one trainer subtask: {@code runId/attempt/subtask}. All subtasks restart together (the
 * broadcast exchange makes the job one failover region), so {@link #prefix()} names this incarnation of the whole
 * job and tells item deltas of the current run from those a failed attempt left in the exchange topic.
 */
public record Incarnation(String runId, int attempt, int subtask) {

    public Incarnation {
        Objects.requireNonNull(runId, "runId");
    }

    /** {@code runId/attempt/}: shared by every subtask of this incarnation of the job. */
    public String prefix() {
        return runId + "/" + attempt + "/";
    }

    /** {@code runId/attempt/subtask}: the origin written into this subtask's deltas and snapshot. */
    public String origin() {
        return prefix() + subtask;
    }
}
