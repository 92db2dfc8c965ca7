package io.streamrec.broker;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import io.streamrec.common.topic.TopicAdmin;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A single-node Kafka 4.x broker in KRaft combined mode (broker + controller in one process), started in-process as a
 * {@link KafkaRaftServer}. Everything listens on 127.0.0.1 only: {@code KafkaClusterTestKit} binds 0.0.0.0 and cannot
 * be told otherwise, which is why this class exists. The data directory survives restarts: an already formatted
 * directory is reused with its cluster id, so topics and offsets persist.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final String HOST = "127.0.0.1";

    private final Path dataDir;
    private final int port;
    private final int controllerPort;
    private final int defaultPartitions;
    private KafkaRaftServer server;

    private EmbeddedKafkaBroker(Path dataDir, int port, int controllerPort, int defaultPartitions) {
        this.dataDir = dataDir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.defaultPartitions = defaultPartitions;
    }

    /**
     * Starts a broker and waits until it answers metadata requests.
     *
     * @param dataDir           where logs and KRaft metadata live; created and formatted if new, reused otherwise
     * @param port              client port on 127.0.0.1; 0 picks a free one
     * @param defaultPartitions partitions of auto-created topics
     */
    public static EmbeddedKafkaBroker start(Path dataDir, int port, int defaultPartitions) {
        long t0 = System.nanoTime();
        int clientPort = port == 0 ? freePort() : port;
        int ctrlPort = freePort();
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dataDir.toAbsolutePath(), clientPort, ctrlPort, defaultPartitions);
        broker.startServer();
        broker.awaitReady(Duration.ofSeconds(60));
        LOG.info("Kafka broker ready at {} (data {}) in {} ms", broker.bootstrapServers(), broker.dataDir,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        return broker;
    }

    /** A broker in a fresh temporary directory, deleted on close: what tests use. */
    public static EmbeddedKafkaBroker startTemporary() {
        try {
            Path dir = Files.createTempDirectory("streamrec-kafka-");
            EmbeddedKafkaBroker broker = start(dir, 0, 2);
            broker.deleteOnClose = true;
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean deleteOnClose;

    public String bootstrapServers() {
        return HOST + ":" + port;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    private void startServer() {
        Properties props = brokerProperties();
        Path logDir = dataDir.resolve("kafka-logs");
        try {
            Files.createDirectories(logDir);
            if (!Files.exists(logDir.resolve("meta.properties"))) {
                Formatter formatter = new Formatter()
                        .setPrintStream(new PrintStream(PrintStream.nullOutputStream()))
                        .setClusterId(Uuid.randomUuid().toString())
                        .setNodeId(1)
                        .setDirectories(List.of(logDir.toString()))
                        .setMetadataLogDirectory(logDir.toString())
                        .setControllerListenerName("CONTROLLER")
                        .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION);
                formatter.run();
                LOG.debug("formatted new KRaft storage in {}", logDir);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot prepare Kafka data directory " + logDir + ": " + e.getMessage(), e);
        }
        KafkaConfig config = new KafkaConfig(props, false);
        server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
    }

    private Properties brokerProperties() {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@" + HOST + ":" + controllerPort);
        p.put("listeners", "PLAINTEXT://" + HOST + ":" + port + ",CONTROLLER://" + HOST + ":" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", dataDir.resolve("kafka-logs").toString());
        p.put("num.partitions", Integer.toString(defaultPartitions));
        p.put("auto.create.topics.enable", "true");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "4");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        // Flink's exactly-once sink keeps transactions open for a checkpoint interval and more.
        p.put("transaction.max.timeout.ms", "900000");
        p.put("log.flush.interval.messages", Long.toString(Long.MAX_VALUE));
        p.put("log.cleaner.dedupe.buffer.size", Integer.toString(8 * 1024 * 1024));
        p.put("log.cleaner.threads", "1");
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "4");
        p.put("socket.request.max.bytes", Integer.toString(100 * 1024 * 1024));
        p.put("message.max.bytes", Integer.toString(2 * 1024 * 1024));
        return p;
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try (Admin admin = admin()) {
                if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                    return;
                }
            } catch (Exception e) {
                last = e;
            }
            sleep(100);
        }
        close();
        throw new IllegalStateException("Kafka broker did not become ready within " + timeout, last);
    }

    /** An admin client for this broker; the caller closes it. */
    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000));
    }

    /** Creates topics, ignoring those that exist already. */
    public void createTopics(Collection<NewTopic> topics) {
        try (TopicAdmin admin = TopicAdmin.connect(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            admin.create(topics);
        }
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            LOG.info("stopping Kafka broker at {}", bootstrapServers());
            try {
                server.shutdown();
                server.awaitShutdown();
            } catch (RuntimeException e) {
                LOG.warn("Kafka broker shutdown: {}", e.toString());
            }
            server = null;
            if (deleteOnClose) {
                deleteRecursively(dataDir);
            }
        }
    }

    /** A free TCP port on 127.0.0.1 (for callers that must know a port before the server starts). */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName(HOST), 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + HOST, e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.debug("could not delete {}: {}", dir, e.toString());
        }
    }
}
