package io.streamrec.scorer.stream;

import org.apache.kafka.common.utils.Utils;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Users whose recommendations may have changed (new factors, or a newly rated item), with the wall time of their
 * first change since their last push. Marked from the global-store thread (factor rows) and the stream threads
 * (ratings); drained by the stream task that owns each user, i.e. the task of the user's partition of the
 * {@code user-events} topic, so with several instances each user is pushed by exactly one of them.
 */
public final class ChangedUsers {

    private final Map<Long, Long> since = new ConcurrentHashMap<>();
    private final Set<Integer> localPartitions = ConcurrentHashMap.newKeySet();
    private final int partitions;

    public ChangedUsers(int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
        }
        this.partitions = partitions;
    }

    public void mark(long user, long nowMs) {
        since.putIfAbsent(user, nowMs);
    }

    public int size() {
        return since.size();
    }

    /** The partition Kafka's default partitioner gives a Long-keyed record of this user. */
    public int partitionOf(long user) {
        return Utils.toPositive(Utils.murmur2(ByteBuffer.allocate(8).putLong(user).array())) % partitions;
    }

    void taskStarted(int partition) {
        localPartitions.add(partition);
    }

    void taskClosed(int partition) {
        localPartitions.remove(partition);
    }

    /** A changed user and when the change arrived. */
    public record Change(long user, long sinceMs) {
    }

    /**
     * Up to {@code max} changed users of {@code partition} for which {@code due} holds, removed from the set before
     * they are returned (a change arriving while they are recomputed marks them again). Users of partitions no task of
     * this instance owns are dropped: another instance pushes them.
     */
    List<Change> take(int partition, int max, java.util.function.LongPredicate due) {
        List<Change> out = new ArrayList<>();
        for (Map.Entry<Long, Long> e : since.entrySet()) {
            if (out.size() >= max) {
                break;
            }
            long user = e.getKey();
            int p = partitionOf(user);
            if (p != partition) {
                if (!localPartitions.contains(p)) {
                    since.remove(user, e.getValue());
                }
                continue;
            }
            if (due.test(user) && since.remove(user, e.getValue())) {
                out.add(new Change(user, e.getValue()));
            }
        }
        return out;
    }
}
