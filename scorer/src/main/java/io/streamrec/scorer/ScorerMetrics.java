package io.streamrec.scorer;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleSupplier;

/**
 * The scorer's own counters, gauges and latency histograms, rendered in the Prometheus text format on
 * {@code /prometheus} and as JSON for the dashboard. Lock-free: written from stream threads and HTTP threads alike.
 */
public final class ScorerMetrics {

    /** Latency bucket upper bounds in seconds (Prometheus {@code le}). */
    static final double[] BUCKETS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();
    private final Map<String, Histogram> histograms = new ConcurrentHashMap<>();
    private final Map<String, DoubleSupplier> gauges = new ConcurrentHashMap<>();
    private final Map<String, String> help = new ConcurrentHashMap<>();
    private final AtomicLong lastFactorAppliedMs = new AtomicLong();
    private final AtomicLong lastTrainerReportMs = new AtomicLong();
    private final AtomicLong firstRatingMs = new AtomicLong();
    private final AtomicLong lastRatingMs = new AtomicLong();
    private final Map<Integer, Long> factorOffsets = new ConcurrentHashMap<>();

    /** A cumulative histogram with fixed buckets. */
    static final class Histogram {
        final LongAdder[] counts = new LongAdder[BUCKETS.length + 1];
        final LongAdder count = new LongAdder();
        final java.util.concurrent.atomic.DoubleAdder sum = new java.util.concurrent.atomic.DoubleAdder();

        Histogram() {
            for (int i = 0; i < counts.length; i++) {
                counts[i] = new LongAdder();
            }
        }

        void observe(double seconds) {
            int i = 0;
            while (i < BUCKETS.length && seconds > BUCKETS[i]) {
                i++;
            }
            counts[i].increment();
            count.increment();
            sum.add(seconds);
        }
    }

    public ScorerMetrics() {
        describe("streamrec_scorer_poison_records_total", "Records that could not be decoded, by topic and reason; skipped, never fatal.");
        describe("streamrec_scorer_rejected_ratings_total", "Ratings that decoded but failed validation, by reason.");
        describe("streamrec_scorer_http_requests_total", "HTTP requests by route and status.");
        describe("streamrec_scorer_http_request_seconds", "HTTP request latency by route.");
        describe("streamrec_scorer_recommendations_pushed_total", "Top-K lists written to the recommendations topic.");
        describe("streamrec_scorer_recommendations_unchanged_total", "Recomputed top-K lists not pushed because the items did not change.");
        describe("streamrec_scorer_recompute_seconds", "Time to recompute one batch of changed users against all items.");
        describe("streamrec_scorer_push_delay_seconds", "Wall time from a user's change arriving to their new top-K being pushed.");
        describe("streamrec_scorer_factor_rows_applied_total", "Factor rows applied, by kind.");
        describe("streamrec_scorer_ratings_seen_total", "Valid ratings recorded as seen items.");
        describe("streamrec_scorer_served_list_ratings_total", "Ratings by users who had a pushed list, by the family that ranked it.");
        describe("streamrec_scorer_served_list_hits_total", "Ratings whose item was in the list last pushed to the user, by family.");
        describe("streamrec_scorer_unknown_global_layout_total", "GLOBAL factor records whose output layout is unknown; their vector is ignored.");
    }

    public void describe(String name, String text) {
        help.put(name, text);
    }

    /** Increments a counter; {@code labels} is a Prometheus label set such as {@code topic="ratings",reason="GARBAGE"}. */
    public void inc(String name, String labels) {
        add(name, labels, 1);
    }

    public void add(String name, String labels, long n) {
        counters.computeIfAbsent(key(name, labels), k -> new LongAdder()).add(n);
    }

    public long count(String name, String labels) {
        LongAdder a = counters.get(key(name, labels));
        return a == null ? 0 : a.sum();
    }

    /** The sum of a counter over all its label sets. */
    public long total(String name) {
        long t = 0;
        for (Map.Entry<String, LongAdder> e : counters.entrySet()) {
            if (e.getKey().equals(name) || e.getKey().startsWith(name + "{")) {
                t += e.getValue().sum();
            }
        }
        return t;
    }

    public void observe(String name, String labels, double seconds) {
        histograms.computeIfAbsent(key(name, labels), k -> new Histogram()).observe(seconds);
    }

    /** Registers a gauge; {@code name} may carry labels, e.g. {@code x{store="rated-items"}}. */
    public void gauge(String name, String text, DoubleSupplier supplier) {
        gauges.put(name, supplier);
        describe(baseName(name), text);
    }

    public void poison(String topic, String reason) {
        inc("streamrec_scorer_poison_records_total", "topic=\"" + topic + "\",reason=\"" + reason + "\"");
    }

    public void factorApplied(String kind, long wallMs) {
        inc("streamrec_scorer_factor_rows_applied_total", "kind=\"" + kind + "\"");
        lastFactorAppliedMs.accumulateAndGet(wallMs, Math::max);
    }

    /** Records that the factors record at {@code offset} of {@code partition} was processed. */
    public void factorOffset(int partition, long offset) {
        factorOffsets.merge(partition, offset, Math::max);
    }

    /** Highest processed offset per factors partition. */
    public Map<Integer, Long> factorOffsets() {
        return Map.copyOf(factorOffsets);
    }

    /** A metrics report from the trainer, made at {@code wallMs} by the trainer's clock. */
    public void trainerReported(long wallMs) {
        lastTrainerReportMs.accumulateAndGet(wallMs, Math::max);
    }

    /** A valid rating processed at {@code wallMs}. */
    public void ratingSeen(long wallMs) {
        inc("streamrec_scorer_ratings_seen_total", "");
        firstRatingMs.compareAndSet(0, wallMs);
        lastRatingMs.accumulateAndGet(wallMs, Math::max);
    }

    /** The trainer's liveness as of {@code nowMs} (see {@link TrainerHealth}). */
    public TrainerHealth trainerHealth(long nowMs) {
        return TrainerHealth.assess(nowMs, lastTrainerReportMs.get(), lastFactorAppliedMs.get(), firstRatingMs.get(),
                lastRatingMs.get(), TrainerHealth.SILENT_AFTER_MS);
    }

    /** Wall-clock time the newest factor row was applied, 0 before the first. */
    public long lastFactorAppliedMs() {
        return lastFactorAppliedMs.get();
    }

    private static String key(String name, String labels) {
        return labels == null || labels.isEmpty() ? name : name + "{" + labels + "}";
    }

    /** The Prometheus text exposition format (version 0.0.4). */
    public String prometheusText() {
        StringBuilder sb = new StringBuilder(4096);
        Map<String, TreeMap<String, Double>> byName = new TreeMap<>();
        counters.forEach((k, v) -> byName.computeIfAbsent(baseName(k), n -> new TreeMap<>()).put(k, (double) v.sum()));
        for (Map.Entry<String, TreeMap<String, Double>> e : byName.entrySet()) {
            header(sb, e.getKey(), "counter");
            e.getValue().forEach((k, v) -> sb.append(k).append(' ').append(format(v)).append('\n'));
        }
        Map<String, TreeMap<String, DoubleSupplier>> gByName = new TreeMap<>();
        gauges.forEach((k, v) -> gByName.computeIfAbsent(baseName(k), n -> new TreeMap<>()).put(k, v));
        for (Map.Entry<String, TreeMap<String, DoubleSupplier>> e : gByName.entrySet()) {
            header(sb, e.getKey(), "gauge");
            e.getValue().forEach((k, supplier) -> {
                double v;
                try {
                    v = supplier.getAsDouble();
                } catch (RuntimeException unavailable) {
                    v = Double.NaN; // e.g. a store that is restoring: report NaN rather than fail the scrape
                }
                sb.append(k).append(' ').append(format(v)).append('\n');
            });
        }
        Map<String, TreeMap<String, Histogram>> hByName = new TreeMap<>();
        histograms.forEach((k, v) -> hByName.computeIfAbsent(baseName(k), n -> new TreeMap<>()).put(k, v));
        for (Map.Entry<String, TreeMap<String, Histogram>> e : hByName.entrySet()) {
            String name = e.getKey();
            header(sb, name, "histogram");
            e.getValue().forEach((k, h) -> {
                String labels = k.length() > name.length() ? k.substring(name.length() + 1, k.length() - 1) : "";
                String sep = labels.isEmpty() ? "" : labels + ",";
                long cumulative = 0;
                for (int i = 0; i < BUCKETS.length; i++) {
                    cumulative += h.counts[i].sum();
                    sb.append(name).append("_bucket{").append(sep).append("le=\"").append(BUCKETS[i]).append("\"} ")
                            .append(cumulative).append('\n');
                }
                cumulative += h.counts[BUCKETS.length].sum();
                sb.append(name).append("_bucket{").append(sep).append("le=\"+Inf\"} ").append(cumulative).append('\n');
                String braces = labels.isEmpty() ? "" : "{" + labels + "}";
                sb.append(name).append("_sum").append(braces).append(' ').append(format(h.sum.sum())).append('\n');
                sb.append(name).append("_count").append(braces).append(' ').append(h.count.sum()).append('\n');
            });
        }
        return sb.toString();
    }

    private void header(StringBuilder sb, String name, String type) {
        String h = help.get(name);
        if (h != null) {
            sb.append("# HELP ").append(name).append(' ').append(h).append('\n');
        }
        sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static String baseName(String key) {
        int brace = key.indexOf('{');
        return brace < 0 ? key : key.substring(0, brace);
    }

    private static String format(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
