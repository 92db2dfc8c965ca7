package io.streamrec.scorer;

import io.streamrec.common.event.DriftState;
import io.streamrec.common.event.FactorKey;
import io.streamrec.common.event.FactorRow;
import io.streamrec.common.event.ItemMetadata;
import io.streamrec.common.event.PrequentialMetrics;
import io.streamrec.common.event.Rating;
import io.streamrec.common.event.RatingScale;
import io.streamrec.common.event.UserMetadata;
import io.streamrec.common.model.RatingOutput;
import io.streamrec.common.topic.Topics;
import io.streamrec.testing.Datasets;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * Test stand-in for ingest and the Flink trainer, so the scorer and its dashboard can be seen working live without
 * them: replays ml-100k (or generated ratings when the dataset is absent) in event-time order, learns a small biased
 * MF online (test-then-train SGD), and publishes ratings, metadata, changed factor rows and prequential metrics to
 * Kafka in the contracts' formats.
 */
final class LiveFixture {

    static final String[] GENRES = {"unknown", "Action", "Adventure", "Animation", "Children's", "Comedy", "Crime",
            "Documentary", "Drama", "Fantasy", "Film-Noir", "Horror", "Musical", "Mystery", "Romance", "Sci-Fi",
            "Thriller", "War", "Western"};
    static final int DIM = 16;
    static final RatingOutput OUTPUT = new RatingOutput(new RatingScale(1f, 5f, 0f), false);

    final List<ItemMetadata> items = new ArrayList<>();
    final List<UserMetadata> users = new ArrayList<>();
    final List<Rating> ratings = new ArrayList<>();
    final String source;

    private LiveFixture(String source) {
        this.source = source;
    }

    static LiveFixture load() throws IOException {
        Optional<Path> ml = Datasets.find("ml-100k");
        if (ml.isPresent() && Files.isRegularFile(ml.get().resolve("u.data"))) {
            LiveFixture f = new LiveFixture("ml-100k");
            for (String line : Files.readAllLines(ml.get().resolve("u.item"), StandardCharsets.ISO_8859_1)) {
                String[] p = line.split("\\|");
                if (p.length < 24) {
                    continue;
                }
                List<String> genres = new ArrayList<>();
                for (int g = 0; g < GENRES.length; g++) {
                    if (p[5 + g].equals("1")) {
                        genres.add(GENRES[g]);
                    }
                }
                Integer year = p[2].length() >= 4 ? Integer.valueOf(p[2].substring(p[2].length() - 4)) : null;
                f.items.add(new ItemMetadata(Long.parseLong(p[0]), p[1], genres, year));
            }
            for (String line : Files.readAllLines(ml.get().resolve("u.user"), StandardCharsets.ISO_8859_1)) {
                String[] p = line.split("\\|");
                f.users.add(new UserMetadata(Long.parseLong(p[0]), p[2], Integer.valueOf(p[1]), p[3], p[4]));
            }
            for (String line : Files.readAllLines(ml.get().resolve("u.data"), StandardCharsets.ISO_8859_1)) {
                String[] p = line.split("\t");
                f.ratings.add(new Rating(Long.parseLong(p[0]), Long.parseLong(p[1]), Float.parseFloat(p[2]), Long.parseLong(p[3]) * 1000));
            }
            f.ratings.sort((a, b) -> Long.compare(a.timestampMs(), b.timestampMs()));
            return f;
        }
        return generated(943, 1682, 100_000);
    }

    /** Planted factors and popularity skew, seeded: a stand-in with a learnable structure. */
    static LiveFixture generated(int nUsers, int nItems, int nRatings) {
        LiveFixture f = new LiveFixture("generated");
        Random rnd = new Random(17);
        float[][] p = new float[nUsers + 1][4];
        float[][] q = new float[nItems + 1][4];
        for (float[][] m : new float[][][]{p, q}) {
            for (float[] row : m) {
                for (int d = 0; d < 4; d++) {
                    row[d] = (float) rnd.nextGaussian() * 0.6f;
                }
            }
        }
        for (int i = 1; i <= nItems; i++) {
            f.items.add(new ItemMetadata(i, "Generated item " + i, List.of(GENRES[1 + i % (GENRES.length - 1)]), 1990 + i % 30));
        }
        long t = 880_000_000_000L;
        for (int n = 0; n < nRatings; n++) {
            int u = 1 + rnd.nextInt(nUsers);
            int i = 1 + (int) Math.min(nItems - 1, Math.abs(rnd.nextGaussian()) * nItems / 4);
            double r = 3.5;
            for (int d = 0; d < 4; d++) {
                r += p[u][d] * q[i][d];
            }
            r = Math.max(1, Math.min(5, Math.round(r + rnd.nextGaussian() * 0.5)));
            f.ratings.add(new Rating(u, i, (float) r, t += 1000 + rnd.nextInt(60_000)));
        }
        return f;
    }

    static <T> KafkaProducer<Long, T> producer(String bootstrap, Serializer<T> values) {
        return new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap, "linger.ms", 5),
                new org.apache.kafka.common.serialization.LongSerializer(), values);
    }

    void publishMetadata(String bootstrap, Topics topics) {
        try (KafkaProducer<Long, ItemMetadata> pi = producer(bootstrap, topics.items().valueSerde().serializer());
             KafkaProducer<Long, UserMetadata> pu = producer(bootstrap, topics.users().valueSerde().serializer())) {
            items.forEach(m -> pi.send(new ProducerRecord<>(topics.items().name(), m.item(), m)));
            users.forEach(m -> pu.send(new ProducerRecord<>(topics.users().name(), m.user(), m)));
        }
    }

    /**
     * Replays {@code limit} ratings at about {@code perSecond}, learning online; publishes every 250 ms. Optionally
     * shifts every rating by {@code driftShift} after {@code driftAt} events (a planted drift the dashboard marks).
     */
    void replay(String bootstrap, Topics topics, int limit, int perSecond, int driftAt, float driftShift) throws InterruptedException {
        Random rnd = new Random(3);
        Map<Long, float[]> p = new HashMap<>();
        Map<Long, float[]> q = new HashMap<>();
        Map<Long, Float> bu = new HashMap<>();
        Map<Long, Float> bi = new HashMap<>();
        double mu = 3.5;
        float lr = 0.02f, reg = 0.05f;
        Set<Long> dirtyUsers = new HashSet<>();
        Set<Long> dirtyItems = new HashSet<>();
        double[] window = new double[2000];
        int wn = 0;
        double cumSq = 0, cumAbs = 0;
        long count = 0;
        long version = 0;
        int drifts = 0;
        double bestWindow = Double.MAX_VALUE;
        DriftState drift = DriftState.STABLE;
        var f = topics.factors();
        try (KafkaProducer<FactorKey, FactorRow> pf = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap, "linger.ms", 5),
                f.keySerde().serializer(), f.valueSerde().serializer());
             KafkaProducer<Long, Rating> pr = producer(bootstrap, topics.ratings().valueSerde().serializer());
             KafkaProducer<String, PrequentialMetrics> pm = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap),
                     new org.apache.kafka.common.serialization.StringSerializer(), topics.metrics().valueSerde().serializer())) {
            long t0 = System.currentTimeMillis();
            long nextFlush = t0 + 250;
            int n = Math.min(limit, ratings.size());
            for (int e = 0; e < n; e++) {
                Rating r0 = ratings.get(e);
                float value = e >= driftAt ? Math.max(1f, Math.min(5f, r0.rating() + driftShift)) : r0.rating();
                Rating r = new Rating(r0.user(), r0.item(), value, r0.timestampMs());
                pr.send(new ProducerRecord<>(topics.ratings().name(), r.user(), r));
                float[] pu = p.computeIfAbsent(r.user(), k -> init(rnd));
                float[] qi = q.computeIfAbsent(r.item(), k -> init(rnd));
                float b1 = bu.getOrDefault(r.user(), 0f), b2 = bi.getOrDefault(r.item(), 0f);
                double pred = mu + b1 + b2;
                for (int d = 0; d < DIM; d++) {
                    pred += pu[d] * qi[d];
                }
                double err = r.rating() - Math.max(1, Math.min(5, pred));
                window[wn++ % window.length] = err * err;
                cumSq += err * err;
                cumAbs += Math.abs(err);
                count++;
                float g = (float) (r.rating() - pred);
                mu += 0.001 * g;
                bu.put(r.user(), b1 + lr * (g - reg * b1));
                bi.put(r.item(), b2 + lr * (g - reg * b2));
                for (int d = 0; d < DIM; d++) {
                    float a = pu[d], b = qi[d];
                    pu[d] += lr * (g * b - reg * a);
                    qi[d] += lr * (g * a - reg * b);
                }
                dirtyUsers.add(r.user());
                dirtyItems.add(r.item());
                long now = System.currentTimeMillis();
                long due = t0 + (long) (1000.0 * (e + 1) / perSecond);
                if (due > now) {
                    Thread.sleep(due - now);
                }
                if (System.currentTimeMillis() >= nextFlush || e == n - 1) {
                    version++;
                    // its predictions are clamped into 1..5 (no sigmoid): published as the trainer publishes its output
                    pf.send(new ProducerRecord<>(f.name(), FactorKey.GLOBAL, new FactorRow(version, (float) mu,
                            OUTPUT.globalVector(count, 1f, 5f), r.timestampMs())));
                    for (long i : dirtyItems) {
                        pf.send(new ProducerRecord<>(f.name(), FactorKey.item(i), new FactorRow(version, bi.get(i), q.get(i).clone(), r.timestampMs())));
                    }
                    for (long u : dirtyUsers) {
                        pf.send(new ProducerRecord<>(f.name(), FactorKey.user(u), new FactorRow(version, bu.get(u), p.get(u).clone(), r.timestampMs())));
                    }
                    dirtyItems.clear();
                    dirtyUsers.clear();
                    int w = Math.min(wn, window.length);
                    double ws = 0;
                    for (int i = 0; i < w; i++) {
                        ws += window[i];
                    }
                    double wr = Math.sqrt(ws / w);
                    if (count > 5000) {
                        bestWindow = Math.min(bestWindow, wr);
                        if (drift != DriftState.DRIFT && wr > bestWindow * 1.2) {
                            drift = DriftState.DRIFT;
                            drifts++;
                        } else if (drift == DriftState.DRIFT && wr < bestWindow * 1.08) {
                            drift = DriftState.RECOVERED;
                        }
                    }
                    double eps = 1000.0 * count / Math.max(1, System.currentTimeMillis() - t0);
                    pm.send(new ProducerRecord<>(topics.metrics().name(), "trainer-0", new PrequentialMetrics("trainer-0",
                            r.timestampMs(), System.currentTimeMillis(), count, w, wr, Math.sqrt(ws / w) * 0.8, Math.sqrt(cumSq / count),
                            cumAbs / count, 0.0, eps, drift, drifts)));
                    nextFlush = System.currentTimeMillis() + 250;
                }
            }
        }
    }

    private static float[] init(Random rnd) {
        float[] v = new float[DIM];
        for (int d = 0; d < DIM; d++) {
            v[d] = (float) rnd.nextGaussian() * 0.05f;
        }
        return v;
    }
}
