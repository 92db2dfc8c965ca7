package io.streamrec.bench.ingest;

import io.streamrec.broker.EmbeddedKafkaBroker;
import io.streamrec.common.report.BenchSection;
import io.streamrec.common.topic.Topics;
import io.streamrec.ingest.DatasetLoader;
import io.streamrec.ingest.LoadOptions;
import io.streamrec.ingest.OpenedDataset;
import io.streamrec.ingest.RatingColumns;
import io.streamrec.ingest.RatingCursor;
import io.streamrec.ingest.replay.ProgressMode;
import io.streamrec.ingest.replay.ReplayConfig;
import io.streamrec.ingest.replay.ReplaySource;
import io.streamrec.ingest.replay.ReplaySummary;
import io.streamrec.ingest.replay.Replayer;
import io.streamrec.ingest.synthetic.SyntheticConfig;
import io.streamrec.ingest.synthetic.SyntheticStream;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Ingest throughput, written as the "Ingest" section of BENCHMARKS.md: parse + time-sort of the real MovieLens files
 * and of a generated, shuffled ml-latest-style {@code ratings.csv} (in memory and through the external merge sort),
 * synthetic stream generation, and the replayer producing into an embedded broker in this JVM (idempotent,
 * {@code acks=all}), compression none vs lz4 side by side.
 * Usage: {@code IngestBench OUT.md DATASETS_DIR [csvEvents] [produceEvents]}.
 */
public final class IngestBench {

    private final BenchSection.Table table;

    private IngestBench(BenchSection.Table table) {
        this.table = table;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: IngestBench OUT.md DATASETS_DIR [csvEvents] [produceEvents]");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        Path datasets = Path.of(args[1]);
        long csvEvents = args.length > 2 ? Long.parseLong(args[2]) : 5_000_000L;
        long produceEvents = args.length > 3 ? Long.parseLong(args[3]) : 2_000_000L;
        BenchSection s = new BenchSection("Ingest", "streamrec bench --only ingest");
        s.text("Parse + sort = `DatasetLoader.open` (read bytes, parse to primitive columns, stable radix sort by time) plus a "
                + "walk over the sorted result, timed together; the synthetic file is an ml-latest-style `ratings.csv` "
                + "with its lines shuffled so the sort has real work; the external sort runs with a 64 MB budget so it "
                + "really spills and merges. Produce = `Replayer` at full speed into an embedded KRaft broker in the same "
                + "JVM (broker and producer share the two cores), 2 partitions, idempotent, `acks=all`. Median of the "
                + "runs shown; the first runs of each kind are warm-ups and not counted.");
        IngestBench b = new IngestBench(s.table("benchmark", "events", "runs", "best ms", "median ms", "events/s (median)"));
        Path work = Files.createTempDirectory("streamrec-ingest-bench-");
        try {
            for (String name : List.of("ml-100k", "ml-latest-small")) {
                Path dir = datasets.resolve(name);
                if (Files.isDirectory(dir)) {
                    progress("parse+sort " + name);
                    b.parseSort(name + " parse+sort (in memory)", dir, LoadOptions.defaults(), 2, 5);
                }
            }
            progress("writing a shuffled " + csvEvents + "-line ratings.csv");
            Path csv = writeShuffledCsv(work.resolve("synthetic"), csvEvents);
            String label = "synthetic " + BenchSection.count(csvEvents) + "-line ratings.csv parse+sort";
            progress("parse+sort, in memory and external");
            b.parseSort(label + " (in memory)", csv, LoadOptions.defaults(), 1, 3);
            b.parseSort(label + " (external, 64 MB budget)", csv, LoadOptions.defaults().withMemoryBudget(64L << 20, work.resolve("runs")), 0, 3);
            progress("synthetic generation");
            b.generate(csvEvents);
            try (Stream<Path> files = Files.walk(csv)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
            progress("produce into an embedded broker");
            b.produce(work, produceEvents, datasets.resolve("ml-latest-small"));
        } finally {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        b.table.end();
        s.writeTo(out);
        System.out.println("wrote " + out);
    }

    private void parseSort(String label, Path dataset, LoadOptions options, int warmups, int runs) {
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
                            throw new IllegalStateException(label + ": not sorted at event " + count);
                        }
                        last = c.timestampMs();
                        count++;
                    }
                }
                n = count;
            }
            if (i >= warmups) {
                ms[i - warmups] = (System.nanoTime() - t0) / 1_000_000;
            }
        }
        row(label, n, ms);
    }

    private void generate(long events) {
        SyntheticConfig c = SyntheticConfig.defaults().withSize(100_000, 20_000, events);
        long[] ms = new long[3];
        long checksum = 0;
        for (int k = 0; k < ms.length; k++) {
            long t0 = System.nanoTime();
            try (RatingCursor cur = new SyntheticStream(c).cursor(0)) {
                while (cur.advance()) {
                    checksum += cur.item();
                }
            }
            ms[k] = (System.nanoTime() - t0) / 1_000_000;
        }
        if (checksum == 0) {
            throw new IllegalStateException("synthetic stream produced nothing");
        }
        row("synthetic stream generation (100k users, 20k items, rank 8)", events, ms);
    }

    private void produce(Path work, long events, Path mlLatestSmall) throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(work.resolve("broker"), 0, 2)) {
            SyntheticConfig c = SyntheticConfig.defaults().withSize(100_000, 20_000, events);
            int round = 0;
            // Alternate so neither setting always runs on the colder JVM; the first pair is the warm-up.
            Map<String, long[]> ms = new java.util.LinkedHashMap<>();
            long sent = 0;
            for (int pass = 0; pass < 3; pass++) {
                for (String compression : List.of("none", "lz4")) {
                    Map<String, Object> pc = Replayer.producerConfig(broker.bootstrapServers(), Map.of("compression.type", compression));
                    ReplayConfig cfg = ReplayConfig.of(new ReplaySource.Synthetic(c, null), new Topics("bench" + round++ + "-"))
                            .withProgress(ProgressMode.NONE).withMetadata(false);
                    ReplaySummary s = new Replayer(cfg, pc).run();
                    if (s.sent() != events) {
                        throw new IllegalStateException("produced " + s.sent() + " of " + events);
                    }
                    sent = s.sent();
                    if (pass > 0) {
                        ms.computeIfAbsent(compression, k -> new long[2])[pass - 1] = s.elapsedMs();
                    }
                }
            }
            ms.forEach((compression, t) -> row("produce synthetic, 2 partitions, compression=" + compression, events, t));
            if (Files.isDirectory(mlLatestSmall)) {
                long[] t = new long[2];
                for (int i = 0; i < 3; i++) {
                    ReplayConfig cfg = ReplayConfig.of(new ReplaySource.Dataset(mlLatestSmall, null), new Topics("mls" + i + "-"))
                            .withProgress(ProgressMode.NONE);
                    ReplaySummary s = new Replayer(cfg, Replayer.producerConfig(broker.bootstrapServers(), Map.of())).run();
                    sent = s.sent();
                    if (i > 0) {
                        t[i - 1] = s.elapsedMs();
                    }
                }
                row("replay ml-latest-small with the defaults (ratings + metadata)", sent, t);
            }
        }
    }

    private void row(String label, long n, long[] ms) {
        long[] sorted = ms.clone();
        java.util.Arrays.sort(sorted);
        double median = BenchSection.median(java.util.Arrays.stream(ms).asDoubleStream().toArray());
        table.row(label, BenchSection.count(n), ms.length, BenchSection.count(sorted[0]), BenchSection.count(median),
                median == 0 ? "n/a" : BenchSection.count(n * 1000.0 / median));
    }

    private static void progress(String what) {
        System.err.println("bench ingest: " + what + " ...");
    }

    /** An ml-latest style ratings.csv of synthetic events, lines shuffled so the sort has real work. */
    private static Path writeShuffledCsv(Path dir, long events) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve("ratings.csv");
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
        return dir;
    }

}
