package io.streamrec.ingest.sort;

import io.streamrec.ingest.RatingColumns;
import io.streamrec.ingest.RatingSource;
import io.streamrec.ingest.source.RatingSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Sorts ratings by event time within a memory budget. Events gather in primitive columns; when the budget's worth
 * is reached the batch is sorted and written to a temporary run file, and at the end the runs are merged lazily by
 * {@link MergedRuns}. When everything fits, no file is written and the result is plain {@link RatingColumns}.
 * Stability across runs holds because runs hold consecutive slices of the input and the merge breaks timestamp ties
 * by run number.
 */
public final class ExternalSorter implements RatingSink, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ExternalSorter.class);

    /**
     * Peak heap per buffered event while a run is sorted: 28 bytes of columns, 28 of sorted copies, and the radix
     * sort's keys and permutation (~16-24 bytes).
     */
    public static final int BYTES_PER_EVENT = 80;

    private final int maxEvents;
    private final Path tempDir;
    private final RatingColumns.Builder buffer;
    private final List<Path> runs = new ArrayList<>();
    private long total;
    private boolean finished;

    /**
     * @param memoryBudgetBytes heap the sorter may use; {@code <= 0} means unbounded (sort everything in memory)
     * @param tempDir           where run files go; null for the system temporary directory
     */
    public ExternalSorter(long memoryBudgetBytes, Path tempDir) {
        long events = memoryBudgetBytes <= 0 ? Integer.MAX_VALUE - 16 : memoryBudgetBytes / BYTES_PER_EVENT;
        this.maxEvents = (int) Math.max(2, Math.min(Integer.MAX_VALUE - 16, events));
        this.tempDir = tempDir;
        this.buffer = RatingColumns.builder(1 << 16, maxEvents);
    }

    public int maxEventsInMemory() {
        return maxEvents;
    }

    @Override
    public void accept(long user, long item, float rating, long timestampMs) {
        if (buffer.size() >= maxEvents) {
            spill();
        }
        buffer.add(user, item, rating, timestampMs);
        total++;
    }

    public long count() {
        return total;
    }

    public int runCount() {
        return runs.size();
    }

    private void spill() {
        RatingColumns sorted = buffer.buildSortedByTime();
        buffer.clear();
        try {
            Path dir = tempDir != null ? Files.createDirectories(tempDir) : null;
            Path run = dir != null ? Files.createTempFile(dir, "streamrec-run-", ".bin")
                    : Files.createTempFile("streamrec-run-", ".bin");
            run.toFile().deleteOnExit();
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(run), 1 << 20))) {
                int n = sorted.sizeInt();
                long[] u = sorted.users();
                long[] it = sorted.items();
                float[] r = sorted.ratings();
                long[] t = sorted.timestampsMs();
                for (int i = 0; i < n; i++) {
                    out.writeLong(u[i]);
                    out.writeLong(it[i]);
                    out.writeFloat(r[i]);
                    out.writeLong(t[i]);
                }
            }
            runs.add(run);
            LOG.debug("spilled run {} with {} events to {}", runs.size(), sorted.size(), run);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write sort run file: " + e.getMessage(), e);
        }
    }

    /** The sorted ratings: in memory when no run was spilled, otherwise a lazy merge of the runs (close it). */
    public RatingSource finish() {
        if (finished) {
            throw new IllegalStateException("finish() called twice");
        }
        finished = true;
        if (runs.isEmpty()) {
            return buffer.buildSortedByTime();
        }
        if (buffer.size() > 0) {
            spill();
        }
        LOG.info("external sort: {} events in {} runs of at most {} events", total, runs.size(), maxEvents);
        return new MergedRuns(List.copyOf(runs), total);
    }

    /** Deletes the run files when {@link #finish()} was never reached (an error while reading). */
    @Override
    public void close() {
        if (!finished) {
            for (Path p : runs) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    LOG.debug("could not delete {}: {}", p, e.toString());
                }
            }
        }
    }
}
