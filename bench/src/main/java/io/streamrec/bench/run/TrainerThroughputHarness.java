package io.streamrec.bench.run;

import io.streamrec.common.report.BenchDirectories;
import io.streamrec.broker.EmbeddedKafkaBroker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The stream trainer's throughput: its harness runs in a child JVM on the trainer's classpath (Flink's RocksDB must not
 * share one with Kafka Streams'), against a broker this JVM starts. Which main class that is: {@link BenchAreas}.
 */
public record TrainerThroughputHarness(ChildMain main) implements BenchHarness {

    @Override
    public String area() {
        return "trainer";
    }

    @Override
    public String title() {
        return "Stream trainer";
    }

    @Override
    public boolean run(BenchContext c) throws Exception {
        Path work = Path.of("target", "bench-trainer").toAbsolutePath();
        BenchDirectories.deleteTree(work);
        Files.createDirectories(work);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(work.resolve("broker"), 0, 2)) {
            return c.launcher().run(main, List.of("-Xmx2g", "-XX:+UseParallelGC"),
                    List.of(c.section().toAbsolutePath().toString(), broker.bootstrapServers(), c.datasets().toAbsolutePath().toString(),
                            work.resolve("checkpoints").toString(), c.quick() ? "2" : "10", c.quick() ? "1" : Integer.toString(c.trainerRepeats())));
        } finally {
            BenchDirectories.deleteTree(work);
        }
    }

}
