package io.streamrec.ingest.replay;

import io.streamrec.common.event.ItemMetadata;
import io.streamrec.common.event.Rating;
import io.streamrec.common.event.UserMetadata;
import io.streamrec.common.serde.RatingSerde;
import io.streamrec.common.topic.Topic;
import io.streamrec.ingest.DatasetLoader;
import io.streamrec.ingest.OpenedDataset;
import io.streamrec.ingest.RatingCursor;
import io.streamrec.ingest.RatingSource;
import io.streamrec.ingest.RejectSummary;
import io.streamrec.ingest.synthetic.SyntheticStream;
import io.streamrec.common.topic.TopicAdmin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Replays a dataset or synthetic stream into Kafka in event-time order: item/user metadata to the compacted topics
 * first, then every rating to {@code ratings} keyed by user (so each user's events stay ordered in one partition),
 * value in {@link RatingSerde} binary. The producer is idempotent with {@code acks=all}, so a broker that goes away
 * and comes back mid-replay loses nothing and duplicates nothing: the producer retries with its sequence numbers
 * until {@code delivery.timeout.ms}.
 *
 * <p>The programmatic entry point for {@code streamrec ingest} and {@code streamrec demo}:
 * <pre>{@code
 * Replayer r = new Replayer(ReplayConfig.of(new ReplaySource.Dataset(path, null), topics),
 *                           Replayer.producerConfig("127.0.0.1:9092", Map.of()));
 * ReplaySummary s = r.run();   // blocks; r.stop() from another thread ends it early, flushing what was sent
 * }</pre>
 * (About 400 lines: pacing, acknowledgement tracking and the metadata pass share the producer and its failure state.)
 */
public final class Replayer {

    private static final Logger LOG = LoggerFactory.getLogger(Replayer.class);
    private static final long LOOP_GAP_MS = 1000;

    private final ReplayConfig config;
    private final Map<String, Object> producerConfig;
    private volatile boolean stopRequested;
    private volatile Thread runner;
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong minFailedPosition = new AtomicLong(Long.MAX_VALUE);
    private final AtomicReference<Exception> firstFailure = new AtomicReference<>();
    private volatile long taken;

    /**
     * @param producerConfig Kafka producer settings (at least {@code bootstrap.servers}); ignored in a dry run.
     *                       {@code acks=all} and idempotence are always enforced; serializers are set here.
     */
    public Replayer(ReplayConfig config, Map<String, Object> producerConfig) {
        this.config = config;
        this.producerConfig = producerConfig == null ? Map.of() : Map.copyOf(producerConfig);
        if (!config.dryRun() && !this.producerConfig.containsKey(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG)) {
            throw new IllegalArgumentException("producer config needs " + ProducerConfig.BOOTSTRAP_SERVERS_CONFIG);
        }
    }

    /** Throughput-minded producer defaults plus {@code overrides} (e.g. the {@code kafka.*} settings). */
    public static Map<String, Object> producerConfig(String bootstrapServers, Map<String, ?> overrides) {
        Map<String, Object> c = new HashMap<>();
        c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.put(ProducerConfig.CLIENT_ID_CONFIG, "streamrec-ingest");
        c.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        c.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        c.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024);
        // Measured on the 2-core box: lz4 costs more CPU than it saves on loopback (docs/notes/ingest-experiments.md).
        c.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        c.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        if (overrides != null) {
            c.putAll(overrides);
        }
        return c;
    }

    /** Asks a running replay to stop after the current event; it flushes and returns its summary. */
    public void stop() {
        stopRequested = true;
        Thread t = runner;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** Events acknowledged by the broker so far (safe to read from any thread). */
    public long acknowledged() {
        return acked.get();
    }

    /** Events handed to the producer so far. */
    public long taken() {
        return taken;
    }

    /** Runs the replay to the end (or {@link #stop()}); throws {@link ReplayException} when Kafka fails it. */
    public ReplaySummary run() {
        runner = Thread.currentThread();
        try (Prepared p = prepare()) {
            return config.dryRun() ? dryRun(p) : replay(p);
        } finally {
            runner = null;
        }
    }

    /** The source, read and sorted (dataset) or planted (synthetic). */
    private record Prepared(String description, RatingSource ratings, List<ItemMetadata> items,
                            List<UserMetadata> users, RejectSummary rejects, long linesRead, long loadMs,
                            AutoCloseable resource, boolean synthetic) implements AutoCloseable {
        @Override
        public void close() {
            try {
                resource.close();
            } catch (Exception e) {
                LOG.debug("closing source: {}", e.toString());
            }
        }
    }

    private Prepared prepare() {
        long t0 = System.nanoTime();
        if (config.source() instanceof ReplaySource.Dataset d) {
            OpenedDataset ds = DatasetLoader.open(d.path(), d.options());
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            return new Prepared(ds.format() + " " + d.path(), ds.ratings(), ds.items(), ds.users(), ds.rejects(),
                    ds.linesRead(), ms, ds, false);
        }
        ReplaySource.Synthetic s = (ReplaySource.Synthetic) config.source();
        SyntheticStream stream = new SyntheticStream(s.config());
        if (s.truthFile() != null) {
            try {
                stream.writeTruth(s.truthFile());
                LOG.info("wrote synthetic truth to {}", s.truthFile());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write truth file " + s.truthFile() + ": " + e.getMessage(), e);
            }
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        var c = s.config();
        String desc = "synthetic seed=" + c.seed() + " users=" + c.users() + " items=" + c.items() + " events=" + c.events()
                + (c.driftKind() != io.streamrec.ingest.synthetic.DriftKind.NONE ? " drift=" + c.driftKind() + "@" + c.driftAt() : "");
        return new Prepared(desc, stream, List.of(), List.of(), RejectSummary.none(), c.events(), ms, () -> { }, true);
    }

    private long planned(RatingSource ratings) {
        if (config.limit() >= 0) {
            return config.loop() ? config.limit() : Math.min(config.limit(), Math.max(0, ratings.size() - config.from()));
        }
        return config.loop() ? -1 : Math.max(0, ratings.size() - config.from());
    }

    private ReplaySummary dryRun(Prepared p) {
        if (config.loop() && config.limit() < 0) {
            throw new IllegalArgumentException("a dry run with --loop needs --limit (it would never end)");
        }
        long t0 = System.nanoTime();
        long n = 0;
        long lastTs = Long.MIN_VALUE;
        long position = config.from();
        try (Progress progress = Progress.create(config.progress(), planned(p.ratings()), config.logInterval(), "counted")) {
            Walk w = new Walk(p.ratings());
            while (!stopRequested && (config.limit() < 0 || n < config.limit()) && w.next()) {
                if (w.ts < lastTs) {
                    throw new IllegalStateException("event " + w.position + " is out of time order: a sorter bug");
                }
                lastTs = w.ts;
                position = w.position + 1;
                n++;
                progress.update(n, n);
            }
            w.close();
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        taken = n;
        return new ReplaySummary(p.description(), p.linesRead(), p.ratings().size(), n, n, 0, p.rejects(),
                p.loadMs(), ms, position, stopRequested, true, p.synthetic());
    }

    /** Walks the sorted stream from --from, starting over (with shifted event times) when looping. */
    private final class Walk implements AutoCloseable {
        private final RatingSource ratings;
        private RatingCursor cursor;
        private final long firstTs;
        private long shift;
        private long lastRawTs;
        long user;
        long item;
        float rating;
        long ts;
        long position;

        Walk(RatingSource ratings) {
            this.ratings = ratings;
            try (RatingCursor first = ratings.cursor(0)) {
                firstTs = first.advance() ? first.timestampMs() : 0;
            }
            cursor = ratings.cursor(config.from());
        }

        boolean next() {
            if (!cursor.advance()) {
                if (!config.loop() || ratings.size() == 0) {
                    return false;
                }
                cursor.close();
                shift += lastRawTs - firstTs + LOOP_GAP_MS;
                cursor = ratings.cursor(0);
                if (!cursor.advance()) {
                    return false;
                }
                LOG.info("looping: starting over with event times shifted by {} ms", shift);
            }
            user = cursor.user();
            item = cursor.item();
            rating = cursor.rating();
            lastRawTs = cursor.timestampMs();
            ts = lastRawTs + shift;
            position = cursor.position();
            return true;
        }

        @Override
        public void close() {
            cursor.close();
        }
    }

    private ReplaySummary replay(Prepared p) {
        String bootstrap = String.valueOf(producerConfig.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG));
        if (config.createTopics()) {
            createTopics(bootstrap);
        }
        Map<String, Object> pc = new HashMap<>(producerConfig);
        pc.put(ProducerConfig.ACKS_CONFIG, "all");
        pc.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        pc.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        pc.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        Object inFlight = pc.get(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION);
        if (inFlight != null && Integer.parseInt(inFlight.toString()) > 5) {
            pc.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5); // more breaks idempotent ordering
        }
        LOG.info("replaying {} to {} (topic {}, {}, from {}, limit {}{})", p.description(), bootstrap,
                config.topics().ratings().name(), pacingText(), config.from(), config.limit() < 0 ? "none" : config.limit(),
                config.loop() ? ", looping" : "");
        long metadata = 0;
        long t0;
        long t1;
        long position = config.from();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(pc)) {
            if (config.sendMetadata()) {
                metadata = sendMetadata(producer, p);
            }
            Topic<Long, Rating> topic = config.topics().ratings();
            Serializer<Long> keys = topic.keySerde().serializer();
            Serializer<Rating> values = topic.valueSerde().serializer();
            String name = topic.name();
            t0 = System.nanoTime();
            long n = 0;
            long firstTs = Long.MIN_VALUE;
            try (Progress progress = Progress.create(config.progress(), planned(p.ratings()), config.logInterval(), "sent");
                 Walk w = new Walk(p.ratings())) {
                while (!stopRequested && (config.limit() < 0 || n < config.limit()) && firstFailure.get() == null && w.next()) {
                    if (firstTs == Long.MIN_VALUE) {
                        firstTs = w.ts;
                    }
                    pace(t0, n, w.ts - firstTs);
                    if (stopRequested) {
                        break;
                    }
                    Rating r = new Rating(w.user, w.item, w.rating, w.ts);
                    long pos = w.position;
                    producer.send(new ProducerRecord<>(name, keys.serialize(name, w.user), values.serialize(name, r)),
                            new Ack(pos));
                    n++;
                    taken = n;
                    position = pos + 1;
                    progress.update(acked.get(), n);
                }
                producer.flush();
                progress.update(acked.get(), n);
            }
            t1 = System.nanoTime();
        }
        Exception failure = firstFailure.get();
        if (failure != null) {
            long resume = minFailedPosition.get();
            throw new ReplayException(failed.get() + " event(s) were not acknowledged by Kafka at " + bootstrap + " ("
                    + failure.getMessage() + "); " + acked.get() + " were. Resume with --from " + resume
                    + " (events after it that did arrive will be sent again)", failure);
        }
        return new ReplaySummary(p.description(), p.linesRead(), p.ratings().size(), taken, acked.get(), metadata,
                p.rejects(), p.loadMs(), TimeUnit.NANOSECONDS.toMillis(t1 - t0), position, stopRequested, false, p.synthetic());
    }

    private String pacingText() {
        if (config.rate() > 0) {
            return "rate " + config.rate() + " events/s";
        }
        if (config.speedup() > 0) {
            return "speedup x" + config.speedup();
        }
        return "max speed";
    }

    /** Sleeps until event n is due: n/rate seconds in, or its event-time offset divided by the speedup. */
    private void pace(long t0, long n, long eventOffsetMs) {
        long due;
        if (config.rate() > 0) {
            due = t0 + (long) (n * 1e9 / config.rate());
        } else if (config.speedup() > 0) {
            due = t0 + (long) (eventOffsetMs * 1e6 / config.speedup());
        } else {
            return;
        }
        long wait;
        while (!stopRequested && (wait = due - System.nanoTime()) > 200_000L) {
            LockSupport.parkNanos(Math.min(wait, 100_000_000L));
        }
    }

    /** One per record: remembers the stream position so a failure can say where to resume. */
    private final class Ack implements Callback {
        private final long position;

        Ack(long position) {
            this.position = position;
        }

        @Override
        public void onCompletion(org.apache.kafka.clients.producer.RecordMetadata metadata, Exception e) {
            if (e == null) {
                acked.incrementAndGet();
            } else {
                failed.incrementAndGet();
                minFailedPosition.accumulateAndGet(position, Math::min);
                if (firstFailure.compareAndSet(null, e)) {
                    LOG.error("Kafka did not acknowledge event {}: {}", position, e.toString());
                }
            }
        }
    }

    private long sendMetadata(KafkaProducer<byte[], byte[]> producer, Prepared p) {
        Topic<Long, ItemMetadata> items = config.topics().items();
        Topic<Long, UserMetadata> users = config.topics().users();
        AtomicLong ok = new AtomicLong();
        AtomicReference<Exception> err = new AtomicReference<>();
        Callback cb = (m, e) -> {
            if (e == null) {
                ok.incrementAndGet();
            } else {
                err.compareAndSet(null, e);
            }
        };
        try (Serializer<Long> k = items.keySerde().serializer();
             Serializer<ItemMetadata> iv = items.valueSerde().serializer();
             Serializer<UserMetadata> uv = users.valueSerde().serializer()) {
            for (ItemMetadata i : p.items()) {
                producer.send(new ProducerRecord<>(items.name(), k.serialize(items.name(), i.item()), iv.serialize(items.name(), i)), cb);
            }
            for (UserMetadata u : p.users()) {
                producer.send(new ProducerRecord<>(users.name(), k.serialize(users.name(), u.user()), uv.serialize(users.name(), u)), cb);
            }
        }
        producer.flush();
        if (err.get() != null) {
            throw new ReplayException("metadata was not acknowledged by Kafka: " + err.get().getMessage(), err.get());
        }
        LOG.info("sent {} item and {} user metadata records", p.items().size(), p.users().size());
        return ok.get();
    }

    private void createTopics(String bootstrap) {
        try (TopicAdmin admin = TopicAdmin.connect(producerConfig)) {
            List<NewTopic> wanted = new ArrayList<>();
            for (Topic<?, ?> t : List.of(config.topics().ratings(), config.topics().items(), config.topics().users())) {
                wanted.add(TopicAdmin.newTopic(t, config.partitions(), config.replicationFactor()));
            }
            admin.create(wanted);
        } catch (TopicAdmin.TopicAdminException e) {
            throw new ReplayException(e.getMessage(), e.getCause());
        }
    }
}
