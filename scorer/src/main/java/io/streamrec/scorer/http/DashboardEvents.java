package io.streamrec.scorer.http;

import io.javalin.http.sse.SseClient;
import io.streamrec.common.event.PrequentialMetrics;
import io.streamrec.scorer.stream.MetricsHistory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Server-sent events for the dashboard: every new prequential report as a {@code metrics} event, and once a second a
 * {@code stats} event (counters, their per-second rates, store sizes, freshness). A slow or gone browser is dropped,
 * never allowed to block the stream threads that produce the reports.
 */
public final class DashboardEvents implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DashboardEvents.class);

    private final Supplier<Map<String, Object>> source;
    private final MetricsHistory history;
    private final Set<String> rateKeys;
    private final Set<SseClient> clients = ConcurrentHashMap.newKeySet();
    private final Consumer<PrequentialMetrics> listener = this::onMetrics;
    private volatile ScheduledExecutorService timer;
    private volatile Map<String, Object> lastStats = Map.of();
    private Map<String, Object> previous;
    private long previousNanos;

    /**
     * @param source   raw figures (counters and gauges) sampled once a second
     * @param rateKeys counters among them that also get a per-second rate, as {@code <key>PerSec}
     */
    public DashboardEvents(Supplier<Map<String, Object>> source, MetricsHistory history, Set<String> rateKeys) {
        this.source = source;
        this.history = history;
        this.rateKeys = rateKeys;
    }

    synchronized void start() {
        if (timer != null) {
            return;
        }
        history.addListener(listener);
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dashboard-events");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(this::tick, 0, 1, TimeUnit.SECONDS);
    }

    void join(SseClient client) {
        client.keepAlive();
        client.onClose(() -> clients.remove(client));
        clients.add(client);
        client.sendEvent("stats", lastStats);
    }

    public Map<String, Object> stats() {
        return lastStats;
    }

    public int clients() {
        return clients.size();
    }

    private void tick() {
        try {
            Map<String, Object> now = new LinkedHashMap<>(source.get());
            long t = System.nanoTime();
            if (previous != null) {
                double seconds = (t - previousNanos) / 1e9;
                for (String k : rateKeys) {
                    if (now.get(k) instanceof Number a && previous.get(k) instanceof Number b && seconds > 0) {
                        now.put(k + "PerSec", Math.max(0, (a.doubleValue() - b.doubleValue()) / seconds));
                    }
                }
            }
            previous = now;
            previousNanos = t;
            lastStats = now;
            broadcast("stats", now);
        } catch (RuntimeException e) {
            LOG.debug("dashboard stats sample failed: {}", e.toString());
        }
    }

    /** Called on the global-store thread: hand off, so a slow browser never holds up Kafka processing. */
    private void onMetrics(PrequentialMetrics m) {
        ScheduledExecutorService t = timer;
        if (t != null && !clients.isEmpty()) {
            try {
                t.execute(() -> broadcast("metrics", m));
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                // shutting down
            }
        }
    }

    private void broadcast(String event, Object data) {
        for (SseClient c : clients) {
            try {
                if (c.terminated()) {
                    clients.remove(c);
                } else {
                    c.sendEvent(event, data);
                }
            } catch (RuntimeException e) {
                clients.remove(c);
            }
        }
    }

    @Override
    public synchronized void close() {
        history.removeListener(listener);
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
        for (SseClient c : clients) {
            try {
                c.close();
            } catch (RuntimeException ignored) {
                // the browser is gone already
            }
        }
        clients.clear();
    }
}
