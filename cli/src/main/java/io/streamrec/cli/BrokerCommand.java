package io.streamrec.cli;

import io.streamrec.broker.EmbeddedKafkaBroker;
import io.streamrec.common.config.LogLevels;
import io.streamrec.common.topic.Topics;
import org.apache.kafka.clients.admin.NewTopic;
import io.streamrec.common.topic.TopicAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code streamrec broker}: a single-node KRaft Kafka broker on 127.0.0.1, kept until SIGTERM/Ctrl-C. */
@Command(name = "broker", mixinStandardHelpOptions = true,
        description = {"Run an embedded single-node Kafka broker (KRaft) on 127.0.0.1.",
                "Prints 'bootstrap.servers=127.0.0.1:PORT' on one line when ready; stops cleanly on SIGTERM or Ctrl-C."})
public final class BrokerCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerCommand.class);

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "9092",
            description = "Client port on 127.0.0.1; 0 picks a free one (default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = ".streamrec/kafka",
            description = "Log and metadata directory; reused across restarts (default ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--partitions", defaultValue = "2", description = "Partitions of the streamrec topics (default ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--topic-prefix", defaultValue = "", description = "Prefix of the topics to create (default none).")
    String topicPrefix;

    @Option(names = "--no-topics", description = "Do not create the streamrec topics at start.")
    boolean noTopics;

    @Option(names = {"-v", "--verbose"}, description = "Log more.")
    boolean verbose;

    @Override
    public Integer call() throws InterruptedException {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be in [0, 65535], got " + port);
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("--partitions must be at least 1, got " + partitions);
        }
        CountDownLatch stop = new CountDownLatch(1);
        // Handle the signals ourselves instead of relying on shutdown hooks, so a requested stop exits 0.
        for (String sig : List.of("TERM", "INT")) {
            Signal.handle(new Signal(sig), s -> stop.countDown());
        }
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir, port, partitions)) {
            if (!noTopics) {
                broker.createTopics(topics(new Topics(topicPrefix), partitions));
            }
            LOG.info("streamrec {} broker: data {} partitions {} listening on {} (loopback only)",
                    LogLevels.version(BrokerCommand.class), broker.dataDir(), partitions, broker.bootstrapServers());
            System.out.println("bootstrap.servers=" + broker.bootstrapServers());
            System.out.flush();
            stop.await();
            LOG.info("stopping broker");
        }
        return 0;
    }

    static List<NewTopic> topics(Topics topics, int partitions) {
        return topics.all().stream().map(t -> TopicAdmin.newTopic(t, partitions, (short) 1)).toList();
    }
}
