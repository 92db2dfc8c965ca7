package io.streamrec.scorer;

import io.streamrec.scorer.stream.StoreNames;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Which scorer instance holds a user's partitioned state (rated items, fans, pushed lists), from Kafka Streams' own
 * metadata: every instance advertises its HTTP address as {@code application.server}, and
 * {@link KafkaStreams#queryMetadataForKey} maps a user to the active owner of the user-events partition the user
 * is repartitioned to (the same Long key and default partitioner). A request for a user this instance does not own is
 * answered by the owner; while the assignment moves nobody owns the user and the answer is "unavailable", never a list
 * built without the user's history.
 */
public final class UserRouting {

    /** Where a user's state is. */
    public enum Where { LOCAL, REMOTE, UNAVAILABLE }

    /**
     * @param where     local, on another instance, or nowhere right now (rebalancing)
     * @param owner     the owning instance's HTTP address ({@code host:port}), null when unavailable
     * @param partition the user-events partition (-1 when unknown); local reads are pinned to it
     */
    public record Route(Where where, String owner, int partition) {
    }

    /**
     * One scorer instance of the application as Kafka Streams sees it.
     *
     * @param address           its HTTP address
     * @param userPartitions    user-events partitions it owns (active)
     * @param standbyPartitions partitions it keeps warm copies of
     * @param self              whether it is the instance answering
     */
    public record Instance(String address, List<Integer> userPartitions, List<Integer> standbyPartitions, boolean self) {
    }

    private final KafkaStreams streams;
    private final HostInfo self;

    public UserRouting(KafkaStreams streams, String selfAddress) {
        this.streams = streams;
        this.self = HostInfo.buildFromEndpoint(selfAddress);
    }

    /** This instance's advertised HTTP address. */
    public String self() {
        return address(self);
    }

    public Route route(long user) {
        KeyQueryMetadata md;
        try {
            md = streams.queryMetadataForKey(StoreNames.RATED, user, Serdes.Long().serializer());
        } catch (RuntimeException notRunning) {
            // Not yet running, or shutting down: no assignment to route by.
            return new Route(Where.UNAVAILABLE, null, -1);
        }
        if (md == null || md.equals(KeyQueryMetadata.NOT_AVAILABLE) || md.activeHost() == null
                || md.activeHost().equals(HostInfo.unavailable())) {
            return new Route(Where.UNAVAILABLE, null, -1);
        }
        if (md.activeHost().equals(self)) {
            return new Route(Where.LOCAL, address(self), md.partition());
        }
        return new Route(Where.REMOTE, address(md.activeHost()), md.partition());
    }

    /** Every instance of the application with the user partitions it owns, this one included, by address. */
    public List<Instance> instances() {
        List<Instance> out = new ArrayList<>();
        try {
            for (StreamsMetadata m : streams.metadataForAllStreamsClients()) {
                out.add(new Instance(address(m.hostInfo()), userPartitions(m.topicPartitions()),
                        userPartitions(m.standbyTopicPartitions()), m.hostInfo().equals(self)));
            }
        } catch (RuntimeException notRunning) {
            return List.of();
        }
        out.sort(Comparator.comparing(Instance::address));
        return out;
    }

    /** The other instances' addresses (for gathering what is spread over all of them, such as an item's fans). */
    public List<String> others() {
        return instances().stream().filter(i -> !i.self()).map(Instance::address).toList();
    }

    private static List<Integer> userPartitions(Set<TopicPartition> partitions) {
        return partitions.stream().filter(tp -> tp.topic().endsWith("user-events-repartition"))
                .map(TopicPartition::partition).sorted().toList();
    }

    private static String address(HostInfo h) {
        return h.host() + ":" + h.port();
    }
}
