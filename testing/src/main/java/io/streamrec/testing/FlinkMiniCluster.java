package io.streamrec.testing;

import io.streamrec.common.config.LoopbackBinding;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

/**
 * A Flink MiniCluster for tests, bound to 127.0.0.1 (its BlobServer binds all interfaces otherwise). Use as
 * {@code @RegisterExtension static final MiniClusterExtension FLINK = FlinkMiniCluster.extension(2);}.
 */
public final class FlinkMiniCluster {

    private FlinkMiniCluster() {
    }

    /** The loopback-only configuration every embedded Flink of ours uses. */
    public static Configuration loopbackConfiguration() {
        Configuration c = Configuration.fromMap(LoopbackBinding.FLINK);
        c.setString("taskmanager.memory.network.min", "64mb");
        c.setString("taskmanager.memory.network.max", "64mb");
        c.setString("taskmanager.memory.managed.size", "128mb");
        return c;
    }

    /** One TaskManager with {@code slots} slots on the loopback configuration, built when the extension starts. */
    public static MiniClusterExtension extension(int slots) {
        return new MiniClusterExtension(() -> new MiniClusterResourceConfiguration.Builder()
                .setConfiguration(loopbackConfiguration())
                .setNumberTaskManagers(1)
                .setNumberSlotsPerTaskManager(slots)
                .build());
    }
}
