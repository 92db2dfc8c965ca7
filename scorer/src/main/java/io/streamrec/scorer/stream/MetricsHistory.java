package io.streamrec.scorer.stream;

import io.streamrec.common.event.PrequentialMetrics;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The prequential metrics reports read from the {@code metrics} topic, newest last, bounded so a long run cannot
 * exhaust the heap (oldest dropped first). Listeners (the dashboard's SSE stream) hear every new report.
 */
public final class MetricsHistory {

    private final int capacity;
    private final ArrayDeque<PrequentialMetrics> points = new ArrayDeque<>();
    private final List<Consumer<PrequentialMetrics>> listeners = new CopyOnWriteArrayList<>();
    private long dropped;

    public MetricsHistory(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        this.capacity = capacity;
    }

    public void add(PrequentialMetrics m) {
        synchronized (this) {
            if (points.size() == capacity) {
                points.removeFirst();
                dropped++;
            }
            points.addLast(m);
        }
        for (Consumer<PrequentialMetrics> l : listeners) {
            l.accept(m);
        }
    }

    /** Reports with event time at or after {@code sinceEventTimeMs}, oldest first, at most {@code limit} (the newest). */
    public synchronized List<PrequentialMetrics> since(long sinceEventTimeMs, int limit) {
        List<PrequentialMetrics> out = new ArrayList<>();
        for (PrequentialMetrics m : points) {
            if (m.eventTimeMs() >= sinceEventTimeMs) {
                out.add(m);
            }
        }
        return out.size() <= limit ? out : new ArrayList<>(out.subList(out.size() - limit, out.size()));
    }

    public synchronized PrequentialMetrics latest() {
        return points.peekLast();
    }

    public synchronized int size() {
        return points.size();
    }

    public synchronized long dropped() {
        return dropped;
    }

    public void addListener(Consumer<PrequentialMetrics> listener) {
        listeners.add(listener);
    }

    public void removeListener(Consumer<PrequentialMetrics> listener) {
        listeners.remove(listener);
    }
}
