package io.streamrec.scorer;

import io.streamrec.common.config.StreamrecConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.UUID;

/**
 * Fast restarts through static group membership. Measured on this box with a real broker: a restarted scorer sat in
 * REBALANCING ~45 s after SIGTERM or kill -9 alike, because Kafka Streams does not leave the group on close and the
 * coordinator waited for the old member's session (45 s by default) to expire before it could rebalance. With a
 * stable {@code group.instance.id} the new process simply takes the old member's place: no wait, no task movement.
 *
 * <p>The id is a random UUID kept in the state directory, like Kafka Streams' own process id: stable for as long as
 * the instance keeps its state (which is what restarts restore from anyway), unique across instances and hosts
 * without configuration (two hosts with the same state path still get different ids). {@code --set
 * kafka.group.instance.id=...} overrides it. The session timeout then only decides how long the partitions of an
 * instance that is gone for good stay unserved: 20 s rather than 45 s, still far above a heartbeat (3 s) or a GC pause.
 */
final class StaticMembership {

    static final String ID_FILE = "scorer-instance-id";
    static final int SESSION_TIMEOUT_MS = 20_000;

    private StaticMembership() {
    }

    /** Adds the static member id and session timeout to a Streams config, unless the user set them. */
    static void apply(Properties streams, StreamrecConfig config, ScorerOptions options) {
        if (!config.kafkaOverrides().containsKey(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG)) {
            // Kafka Streams suffixes it with each stream thread's index, so threads stay distinct members.
            streams.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG),
                    options.applicationId() + "-" + instanceId(options.stateDir()));
        }
        if (!config.kafkaOverrides().containsKey(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG)) {
            streams.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), SESSION_TIMEOUT_MS);
        }
    }

    /** This instance's id: read from the state directory, created there on first start. */
    static String instanceId(Path stateDir) {
        Path file = stateDir.resolve(ID_FILE);
        try {
            if (Files.isRegularFile(file)) {
                String id = Files.readString(file, StandardCharsets.UTF_8).trim();
                if (!id.isEmpty()) {
                    return id;
                }
            }
            Files.createDirectories(stateDir);
            String id = UUID.randomUUID().toString();
            Path tmp = Files.createTempFile(stateDir, ID_FILE, ".tmp");
            Files.writeString(tmp, id + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the scorer's instance id in " + file, e);
        }
    }
}
