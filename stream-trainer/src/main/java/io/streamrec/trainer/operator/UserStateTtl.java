package io.streamrec.trainer.operator;

import org.apache.flink.api.common.state.StateTtlConfig;

import java.time.Duration;

/**
 * How long the trainer keeps the keyed state of a user it has not seen (their row and, for ranking-panel users, their
 * rated items): without a bound user state grows with every user the stream ever had. Flink's state TTL counts
 * processing time only (there is no event-time TTL), so on a replay the bound is wall-clock time since the user's last
 * rating was trained, not dataset time. An expired user comes back as a new one: cold, scored from μ and the item's
 * bias until the row is learned again. RocksDB drops expired entries in its compaction filter, so the state on disk
 * shrinks without a full scan; an expired value is never returned, even before compaction removes it.
 */
final class UserStateTtl {

    /** RocksDB's compaction filter refreshes its clock after this many entries it checks. */
    private static final long QUERY_TIME_AFTER_ENTRIES = 1000;

    private UserStateTtl() {
    }

    /** The TTL configuration for {@code ttl}, or {@link StateTtlConfig#DISABLED} for zero (keep users for ever). */
    static StateTtlConfig of(Duration ttl) {
        if (ttl.isZero()) {
            return StateTtlConfig.DISABLED;
        }
        return StateTtlConfig.newBuilder(ttl)
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .cleanupInRocksdbCompactFilter(QUERY_TIME_AFTER_ENTRIES)
                .build();
    }
}
