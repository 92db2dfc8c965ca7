package io.streamrec.ingest;

import io.streamrec.common.event.RatingScale;

import java.nio.file.Path;

/**
 * How to read a dataset.
 *
 * @param format            the layout, or null to detect it from file names and content
 * @param scale             the rating scale to enforce, or null for the format's own
 * @param memoryBudgetBytes heap for sorting; beyond it the sort spills runs to disk. {@code <= 0}: all in memory
 * @param tempDir           where spilled runs go; null for the system temporary directory
 * @param rejectsFile       where every rejected line is written; null for none
 * @param rejectSamples     how many rejected lines to keep (and log) as examples
 */
public record LoadOptions(DatasetFormat format, RatingScale scale, long memoryBudgetBytes, Path tempDir,
                          Path rejectsFile, int rejectSamples) {

    public LoadOptions {
        if (rejectSamples < 0) {
            throw new IllegalArgumentException("rejectSamples must be >= 0, got " + rejectSamples);
        }
    }

    /** Auto-detected format, its own scale, everything in memory, five example rejects. */
    public static LoadOptions defaults() {
        return new LoadOptions(null, null, 0, null, null, RejectLog.DEFAULT_SAMPLES);
    }

    public static LoadOptions of(DatasetFormat format) {
        return defaults().withFormat(format);
    }

    public LoadOptions withFormat(DatasetFormat f) {
        return new LoadOptions(f, scale, memoryBudgetBytes, tempDir, rejectsFile, rejectSamples);
    }

    public LoadOptions withScale(RatingScale s) {
        return new LoadOptions(format, s, memoryBudgetBytes, tempDir, rejectsFile, rejectSamples);
    }

    public LoadOptions withMemoryBudget(long bytes, Path dir) {
        return new LoadOptions(format, scale, bytes, dir, rejectsFile, rejectSamples);
    }

    public LoadOptions withRejectsFile(Path file) {
        return new LoadOptions(format, scale, memoryBudgetBytes, tempDir, file, rejectSamples);
    }
}
