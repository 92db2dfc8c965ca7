package io.streamrec.common.topic;

import io.streamrec.common.config.StreamrecConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Creates the topics a process needs when they are missing, and leaves existing ones alone: the one place that turns
 * a {@link Topic} into a Kafka topic (partitions, compaction, retention), for the broker command, ingest, trainer and
 * scorer alike. Failures say which broker could not be reached and how to start one.
 */
public final class TopicAdmin implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TopicAdmin.class);

    private final Admin admin;
    private final String bootstrap;
    private final long timeoutMs;

    private TopicAdmin(Map<String, Object> adminConfig) {
        Map<String, Object> c = new HashMap<>();
        Set<String> known = AdminClientConfig.configNames();
        adminConfig.forEach((k, v) -> {
            if (known.contains(k)) {
                c.put(k, v);
            }
        });
        c.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        c.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        this.bootstrap = String.valueOf(c.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG));
        this.timeoutMs = Long.parseLong(c.get(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG).toString()) + 1000;
        this.admin = Admin.create(c);
    }

    /** An admin client from any Kafka client config map; keys that are not admin settings are ignored. */
    public static TopicAdmin connect(Map<String, ?> clientConfig) {
        return new TopicAdmin(new HashMap<>(clientConfig));
    }

    /** An admin client for the deployment {@code config} describes ({@code kafka.*} overrides included). */
    public static TopicAdmin connect(StreamrecConfig config) {
        Map<String, Object> c = new HashMap<>(config.kafkaOverrides());
        c.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        return new TopicAdmin(c);
    }

    /** What creating {@code topic} asks of the broker, with {@code defaultPartitions} where the topic fixes none. */
    public static NewTopic newTopic(Topic<?, ?> topic, int defaultPartitions, short replicationFactor) {
        NewTopic nt = new NewTopic(topic.name(), topic.partitions() > 0 ? topic.partitions() : defaultPartitions, replicationFactor);
        Map<String, String> configs = new LinkedHashMap<>(topic.configs());
        if (topic.compacted()) {
            configs.put("cleanup.policy", "compact");
        }
        return configs.isEmpty() ? nt : nt.configs(configs);
    }

    /** Creates those of {@code topics} that are missing, sized by {@code config}; returns the names it created. */
    public List<String> ensure(StreamrecConfig config, Collection<? extends Topic<?, ?>> topics) {
        List<NewTopic> wanted = new ArrayList<>();
        for (Topic<?, ?> t : topics) {
            wanted.add(newTopic(t, config.partitions(), config.replicationFactor()));
        }
        return create(wanted);
    }

    /** Creates those of {@code topics} that are missing; returns the names it created. */
    public List<String> create(Collection<NewTopic> topics) {
        try {
            Set<String> existing = admin.listTopics().names().get(timeoutMs, TimeUnit.MILLISECONDS);
            List<NewTopic> missing = topics.stream().filter(t -> !existing.contains(t.name())).toList();
            List<String> created = new ArrayList<>();
            if (missing.isEmpty()) {
                return created;
            }
            for (var e : admin.createTopics(missing).values().entrySet()) {
                try {
                    e.getValue().get(timeoutMs, TimeUnit.MILLISECONDS);
                    created.add(e.getKey());
                } catch (ExecutionException ex) {
                    // Another process created it between the listing and now: what we wanted exists.
                    if (!(ex.getCause() instanceof TopicExistsException)) {
                        throw new TopicAdminException("cannot create topic " + e.getKey() + " at " + bootstrap + ": "
                                + ex.getCause().getMessage(), ex.getCause());
                    }
                }
            }
            if (!created.isEmpty()) {
                awaitLeaders(created);
                LOG.info("created topics {} at {}", created, bootstrap);
            }
            return created;
        } catch (TimeoutException | ExecutionException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new TopicAdminException("cannot reach Kafka at " + bootstrap + " (" + cause.getClass().getSimpleName()
                    + (cause.getMessage() == null ? "" : ": " + cause.getMessage())
                    + "); is a broker running there? `streamrec broker` starts one", cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TopicAdminException("interrupted while creating topics at " + bootstrap, e);
        }
    }

    /**
     * Waits until every partition of {@code topics} has a leader that serves it. A producer that sends to a partition
     * whose leader does not serve it yet gets NOT_LEADER_OR_FOLLOWER; an idempotent one with several requests in flight
     * then has its later batches appended while the first is retried, and the retry fails with
     * OutOfOrderSequenceException until the delivery timeout (seen here and in CI: 1,743 events lost to a replay).
     * A leader in the metadata is not enough: a broker publishes new metadata to its cache before its replica manager
     * takes the partition, so the topic counts as created once every partition answers a ListOffsets, which the
     * leader's replica manager serves on the same path as a produce.
     */
    private void awaitLeaders(List<String> topics) throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true) {
            Map<String, org.apache.kafka.clients.admin.TopicDescription> d;
            try {
                d = admin.describeTopics(topics).allTopicNames().get(timeoutMs, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)) {
                    throw e;
                }
                d = Map.of(); // metadata not propagated yet
            }
            boolean ready = d.size() == topics.size() && d.values().stream()
                    .allMatch(t -> t.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty()));
            if (ready && servesEveryPartition(d)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("partitions of " + topics + " have no serving leader after " + timeoutMs + " ms");
            }
            Thread.sleep(50);
        }
    }

    private boolean servesEveryPartition(Map<String, org.apache.kafka.clients.admin.TopicDescription> topics)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> probe = new HashMap<>();
        topics.values().forEach(t -> t.partitions().forEach(p -> probe.put(
                new org.apache.kafka.common.TopicPartition(t.name(), p.partition()),
                org.apache.kafka.clients.admin.OffsetSpec.latest())));
        try {
            admin.listOffsets(probe).all().get(timeoutMs, TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.RetriableException) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public void close() {
        admin.close(java.time.Duration.ofSeconds(5));
    }

    /** Topics could not be created or Kafka could not be reached; the message says which and where. */
    public static final class TopicAdminException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        public TopicAdminException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
