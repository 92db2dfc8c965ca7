package io.streamrec.cli;

import io.streamrec.ingest.synthetic.SyntheticTruth;
import io.streamrec.testing.KafkaBrokerExtension;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code streamrec ingest} as a user runs it, against a real broker: a synthetic stream in, every event on the topic. */
class IngestCommandKafkaIT {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @TempDir
    Path tmp;

    @Test
    void commandReplaysASyntheticStreamAndWritesItsTruth() throws Exception {
        Path truth = tmp.resolve("truth.bin");
        StringWriter out = new StringWriter();
        CommandLine cl = IngestCommand.commandLine();
        cl.setOut(new PrintWriter(out));
        int rc = cl.execute("-b", KAFKA.bootstrapServers(), "--topic-prefix", "cli-", "--dataset", "synthetic",
                "--users", "40", "--items", "60", "--events", "3000", "--drift-at", "0.5", "--drift-kind", "both",
                "--write-truth", truth.toString(), "--progress", "none");
        assertThat(rc).isZero();
        assertThat(out.toString()).contains("sent      3,000 events");
        assertThat(SyntheticTruth.read(truth).driftEvent()).isEqualTo(1500);
        AtomicLong read = new AtomicLong();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(KAFKA.consumerConfig(), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            c.subscribe(List.of("cli-ratings"));
            await().atMost(Duration.ofSeconds(30)).pollInSameThread().until(() -> {
                read.addAndGet(c.poll(Duration.ofMillis(200)).count());
                return read.get() >= 3000;
            });
        }
        assertThat(read.get()).isEqualTo(3000);
    }
}
