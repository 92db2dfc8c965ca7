package io.streamrec.ingest;

import io.streamrec.broker.EmbeddedKafkaBroker;
import io.streamrec.common.topic.Topics;
import io.streamrec.ingest.replay.ProgressMode;
import io.streamrec.ingest.replay.ReplayConfig;
import io.streamrec.ingest.replay.ReplaySource;
import io.streamrec.ingest.replay.ReplaySummary;
import io.streamrec.ingest.replay.Replayer;
import io.streamrec.ingest.synthetic.SyntheticConfig;
import io.streamrec.ingest.synthetic.SyntheticStream;
import io.streamrec.testing.Datasets;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Ingest benchmarks, printed as Markdown rows: parse+sort throughput (ml-latest-small, ml-100k, a generated 10 M-line
 * ratings.csv in memory and through the external sort) and produce throughput into an embedded broker.
 *
 * <pre>
 * ./mvnw -B -q -o -pl ingest test-compile
 * ./mvnw -B -q -o -pl ingest dependency:build-classpath -Dmdep.outputFile=/tmp/ingest.cp -Dmdep.includeScope=test
 * java -Xmx3g -cp ingest/target/test-classes:ingest/target/classes:$(cat /tmp/ingest.cp) \
 *      io.streamrec.ingest.IngestBenchmark [events=10000000] [produce=2000000]
 * </pre>
 * Not a test (surefire ignores the name): it takes a few minutes and measures, it does not assert.
 */
public final class IngestBenchmark {

    private IngestBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long events = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
        long produce = args.length > 1 ? Long.parseLong(args[1]) : 2_000_000L;
        boolean produceOnly = args.length > 2 && args[2].equals("produce-only");
        Path work = Files.createTempDirectory("streamrec-ingest-bench-");
        try {
            System.out.printf(Locale.ROOT, "JVM %s, %d cores, max heap %d MB%n%n", System.getProperty("java.version"),
                    Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
            System.out.println("| benchmark | events | best ms | median ms | events/s (median) |");
            System.out.println("|---|---:|---:|---:|---:|");
            if (produceOnly) {
                produce(work, produce);
                return;
            }
            for (String name : List.of("ml-latest-small", "ml-100k")) {
                Datasets.find(name).ifPresent(dir -> parseSort(name + " parse+sort (in memory)", dir, LoadOptions.defaults(), 3, 7));
            }
            Path csv = writeShuffledCsv(work.resolve("synthetic-10m"), events);
            parseSort("synthetic " + events / 1_000_000 + "M ratings.csv parse+sort (in memory)", csv, LoadOptions.defaults(), 1, 3);
            parseSort("synthetic " + events / 1_000_000 + "M ratings.csv parse+sort (external, 256 MB budget)", csv,
                    LoadOptions.defaults().withMemoryBudget(256L << 20, work.resolve("runs")), 0, 3);
            generate(events);
            Files.walk(csv).sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            produce(work, produce);
        } finally {
            try (Stream<Path> s = Files.walk(work)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void parseSort(String label, Path dataset, LoadOptions options, int warmups, int runs) {
        long n = 0;
        long[] ms = new long[runs];
        for (int i = 0; i < warmups + runs; i++) {
            long t0 = System.nanoTime();
            try (OpenedDataset ds = DatasetLoader.open(dataset, options)) {
                // Walk the sorted stream too: for the external sort the merge is where the work ends.
                long count = 0;
                long last = Long.MIN_VALUE;
                try (RatingCursor c = ds.ratings().cursor(0)) {
                    while (c.advance()) {
                        if (c.timestampMs() < last) {
                            throw new IllegalStateException("not sorted");
                        }
                        last = c.timestampMs();
                        count++;
                    }
                }
                n = count;
            }
            long elapsed = (System.nanoTime() - t0) / 1_000_000;
            if (i >= warmups) {
                ms[i - warmups] = elapsed;
            }
        }
        row(label, n, ms);
    }

    private static void generate(long events) {
        SyntheticConfig c = SyntheticConfig.defaults().withSize(100_000, 20_000, events);
        long[] ms = new long[3];
        for (int k = 0; k < ms.length; k++) {
            long t0 = System.nanoTime();
            long sum = 0;
            try (RatingCursor cur = new SyntheticStream(c).cursor(0)) {
                while (cur.advance()) {
                    sum += cur.item();
                }
            }
            ms[k] = (System.nanoTime() - t0) / 1_000_000;
            if (sum == 42) {
                System.out.print("");
            }
        }
        row("synthetic stream generation (100k users, 20k items, rank 8)", events, ms);
    }

    private static void produce(Path work, long events) throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(work.resolve("broker"), 0, 2)) {
            SyntheticConfig c = SyntheticConfig.defaults().withSize(100_000, 20_000, events);
            int round = 0;
            for (String compression : List.of("none", "lz4", "none", "lz4")) {
                Map<String, Object> pc = Replayer.producerConfig(broker.bootstrapServers(), Map.of("compression.type", compression));
                ReplayConfig cfg = ReplayConfig.of(new ReplaySource.Synthetic(c, null), new Topics("bench" + round++ + "-"))
                        .withProgress(ProgressMode.NONE).withMetadata(false);
                ReplaySummary s = new Replayer(cfg, pc).run();
                row("produce synthetic into embedded broker, 2 partitions, compression=" + compression
                        + (round <= 2 ? " (cold)" : " (warm)"), s.sent(), new long[]{s.elapsedMs()});
            }
            Path small = Datasets.find("ml-latest-small").orElse(null);
            if (small != null) {
                for (int i = 0; i < 2; i++) {
                    ReplayConfig cfg = ReplayConfig.of(new ReplaySource.Dataset(small, null), new Topics("mls" + i + "-"))
                            .withProgress(ProgressMode.NONE);
                    ReplaySummary s = new Replayer(cfg, Replayer.producerConfig(broker.bootstrapServers(), Map.of())).run();
                    row("produce ml-latest-small into embedded broker (defaults)" + (i == 0 ? " (cold)" : " (warm)"), s.sent(),
                            new long[]{s.elapsedMs()});
                }
            }
        }
    }

    private static void row(String label, long n, long[] ms) {
        long[] sorted = ms.clone();
        Arrays.sort(sorted);
        long median = sorted[sorted.length / 2];
        System.out.printf(Locale.ROOT, "| %s | %,d | %,d | %,d | %,.0f |%n", label, n, sorted[0], median,
                median == 0 ? 0 : n * 1000.0 / median);
    }

    /** A ml-latest style ratings.csv of synthetic events, lines shuffled so the sort has real work. */
    private static Path writeShuffledCsv(Path dir, long events) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve("ratings.csv");
        long t0 = System.nanoTime();
        SyntheticConfig c = SyntheticConfig.defaults().withSize(100_000, 20_000, events);
        RatingColumns cols = new SyntheticStream(c).toColumns();
        int n = cols.sizeInt();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom r = new SplittableRandom(1);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
            w.write("userId,movieId,rating,timestamp\n");
            StringBuilder sb = new StringBuilder(64);
            for (int k = 0; k < n; k++) {
                int i = order[k];
                sb.setLength(0);
                sb.append(cols.user(i)).append(',').append(cols.item(i)).append(',').append(cols.rating(i)).append(',')
                        .append(cols.timestampMs(i) / 1000).append('\n');
                w.append(sb);
            }
        }
        System.err.printf(Locale.ROOT, "(wrote %,d shuffled lines, %,d MB, to %s in %,d ms)%n", n, Files.size(file) >> 20,
                file, (System.nanoTime() - t0) / 1_000_000);
        return dir;
    }

}
