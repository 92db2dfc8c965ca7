package io.streamrec.ingest.sort;

import io.streamrec.ingest.RatingCursor;
import io.streamrec.ingest.RatingSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A k-way merge of sorted run files (each a sequence of 28-byte events: user, item, rating, timestamp). Ties on the
 * timestamp go to the lower run number, which keeps the overall order stable. Deletes its files on close.
 */
public final class MergedRuns implements RatingSource {

    private static final Logger LOG = LoggerFactory.getLogger(MergedRuns.class);

    private final List<Path> runs;
    private final long size;

    MergedRuns(List<Path> runs, long size) {
        this.runs = runs;
        this.size = size;
    }

    public int runCount() {
        return runs.size();
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public RatingCursor cursor(long from) {
        if (from < 0) {
            throw new IllegalArgumentException("cursor start must be >= 0, got " + from);
        }
        Merger m = new Merger();
        // Skipping needs the merge order, so walk it; cheap next to sending the events.
        for (long i = 0; i < from && m.advance(); i++) {
            // skip
        }
        m.position = Math.min(from, size) - 1;
        return m;
    }

    @Override
    public void close() {
        for (Path p : runs) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                LOG.debug("could not delete {}: {}", p, e.toString());
            }
        }
    }

    private final class Merger implements RatingCursor {
        private final DataInputStream[] in = new DataInputStream[runs.size()];
        private final long[] user = new long[runs.size()];
        private final long[] item = new long[runs.size()];
        private final float[] rating = new float[runs.size()];
        private final long[] ts = new long[runs.size()];
        /** Binary min-heap of run indexes ordered by (timestamp, run). */
        private final int[] heap = new int[runs.size()];
        private int heapSize;
        private int current = -1;
        private long position = -1;
        private long cu;
        private long ci;
        private float cr;
        private long ct;

        Merger() {
            try {
                for (int r = 0; r < runs.size(); r++) {
                    int buf = (int) Math.max(1 << 12, Math.min(1 << 20, (64L << 20) / runs.size()));
                    in[r] = new DataInputStream(new BufferedInputStream(Files.newInputStream(runs.get(r)), buf));
                    if (read(r)) {
                        push(r);
                    }
                }
            } catch (IOException e) {
                close();
                throw new UncheckedIOException("cannot open sort runs: " + e.getMessage(), e);
            }
        }

        private boolean read(int r) {
            try {
                user[r] = in[r].readLong();
                item[r] = in[r].readLong();
                rating[r] = in[r].readFloat();
                ts[r] = in[r].readLong();
                return true;
            } catch (EOFException e) {
                return false;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read sort run " + runs.get(r) + ": " + e.getMessage(), e);
            }
        }

        private boolean less(int a, int b) {
            return ts[a] < ts[b] || (ts[a] == ts[b] && a < b);
        }

        private void push(int r) {
            int i = heapSize++;
            heap[i] = r;
            while (i > 0) {
                int p = (i - 1) >> 1;
                if (!less(heap[i], heap[p])) {
                    break;
                }
                int t = heap[i];
                heap[i] = heap[p];
                heap[p] = t;
                i = p;
            }
        }

        private void siftDown() {
            int i = 0;
            while (true) {
                int l = 2 * i + 1;
                if (l >= heapSize) {
                    return;
                }
                int m = l + 1 < heapSize && less(heap[l + 1], heap[l]) ? l + 1 : l;
                if (!less(heap[m], heap[i])) {
                    return;
                }
                int t = heap[i];
                heap[i] = heap[m];
                heap[m] = t;
                i = m;
            }
        }

        @Override
        public boolean advance() {
            if (heapSize == 0) {
                return false;
            }
            int r = heap[0];
            cu = user[r];
            ci = item[r];
            cr = rating[r];
            ct = ts[r];
            current = r;
            position++;
            if (read(r)) {
                siftDown();
            } else {
                heap[0] = heap[--heapSize];
                siftDown();
            }
            return true;
        }

        @Override
        public long user() {
            return cu;
        }

        @Override
        public long item() {
            return ci;
        }

        @Override
        public float rating() {
            return cr;
        }

        @Override
        public long timestampMs() {
            return ct;
        }

        @Override
        public long position() {
            return position;
        }

        @Override
        public void close() {
            for (DataInputStream s : in) {
                if (s != null) {
                    try {
                        s.close();
                    } catch (IOException e) {
                        LOG.debug("closing run: {}", e.toString());
                    }
                }
            }
        }
    }
}
