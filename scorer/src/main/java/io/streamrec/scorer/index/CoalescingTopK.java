package io.streamrec.scorer.index;

import io.streamrec.common.event.ScoredItem;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;

/**
 * Merges concurrent top-K requests into batches. One user against 62k items is bound by memory bandwidth (the whole
 * 8 MB matrix streams through the cache for 2 M multiply-adds); scoring several users per pass reuses each loaded
 * block, so under load the cost per request falls several-fold. Nothing waits for a batch to fill: a request that
 * finds a free worker slot runs at once with whatever else is queued, so an idle server answers as fast as before.
 */
public final class CoalescingTopK {

    private final ItemIndex index;
    private final int maxBatch;
    private final Semaphore workers;
    private final Queue<Request> queue = new ConcurrentLinkedQueue<>();

    private static final class Request {
        final float[] user;
        final float offset;
        final int k;
        final long[] excluded;
        volatile List<ScoredItem> result;
        volatile RuntimeException error;

        Request(float[] user, float offset, int k, long[] excluded) {
            this.user = user;
            this.offset = offset;
            this.k = k;
            this.excluded = excluded;
        }

        boolean done() {
            return result != null || error != null;
        }
    }

    /**
     * @param workers  batches computed at the same time (one per core that may serve requests)
     * @param maxBatch users per batch at most
     */
    public CoalescingTopK(ItemIndex index, int workers, int maxBatch) {
        if (workers < 1 || maxBatch < 1) {
            throw new IllegalArgumentException("workers and maxBatch must be positive, got " + workers + ", " + maxBatch);
        }
        this.index = index;
        this.workers = new Semaphore(workers);
        this.maxBatch = maxBatch;
    }

    /** Same contract as {@link ItemIndex#topK} with bias weight 1. */
    public List<ScoredItem> topK(float[] user, float offset, int k, long[] excluded) {
        Request mine = new Request(user, offset, k, excluded);
        queue.add(mine);
        while (!mine.done()) {
            workers.acquireUninterruptibly();
            try {
                if (!mine.done()) {
                    runBatch();
                }
            } finally {
                workers.release();
            }
        }
        if (mine.error != null) {
            throw mine.error;
        }
        return mine.result;
    }

    private void runBatch() {
        List<Request> batch = new ArrayList<>();
        for (Request r; batch.size() < maxBatch && (r = queue.poll()) != null; ) {
            batch.add(r);
        }
        if (batch.isEmpty()) {
            return; // another worker took ours; loop and find it done
        }
        int n = batch.size();
        float[][] users = new float[n][];
        float[] offsets = new float[n];
        long[][] excluded = new long[n][];
        int k = 0;
        for (int i = 0; i < n; i++) {
            Request r = batch.get(i);
            users[i] = r.user;
            offsets[i] = r.offset;
            excluded[i] = r.excluded;
            k = Math.max(k, r.k);
        }
        try {
            List<List<ScoredItem>> tops = index.topKBatch(users, 1f, offsets, k, excluded);
            for (int i = 0; i < n; i++) {
                List<ScoredItem> t = tops.get(i);
                Request r = batch.get(i);
                r.result = t.size() > r.k ? List.copyOf(t.subList(0, r.k)) : t;
            }
        } catch (RuntimeException e) {
            for (Request r : batch) {
                r.error = e;
            }
        }
    }
}
