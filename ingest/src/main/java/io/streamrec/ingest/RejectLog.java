package io.streamrec.ingest;

import io.streamrec.common.event.RejectReason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;

/**
 * Collects rejected lines while a dataset is read: counts by reason, the first {@code sampleLimit} as examples (logged
 * as they happen), and optionally every one of them in a rejects file as
 * {@code file:line<TAB>REASON<TAB>detail<TAB>original line}. Bad input is never silently dropped.
 */
public final class RejectLog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RejectLog.class);
    public static final int DEFAULT_SAMPLES = 5;

    private final long[] counts = new long[RejectReason.values().length];
    private final List<Reject> samples = new ArrayList<>();
    private final int sampleLimit;
    private final BufferedWriter writer;
    private final Path rejectsFile;

    public RejectLog(int sampleLimit, Path rejectsFile) {
        if (sampleLimit < 0) {
            throw new IllegalArgumentException("sample limit must be >= 0");
        }
        this.sampleLimit = sampleLimit;
        this.rejectsFile = rejectsFile;
        if (rejectsFile != null) {
            try {
                Path parent = rejectsFile.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                writer = Files.newBufferedWriter(rejectsFile, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write rejects file " + rejectsFile + ": " + e.getMessage(), e);
            }
        } else {
            writer = null;
        }
    }

    public static RejectLog inMemory() {
        return new RejectLog(DEFAULT_SAMPLES, null);
    }

    public void reject(RejectReason reason, String file, long line, String detail, String text) {
        counts[reason.ordinal()]++;
        boolean sample = samples.size() < sampleLimit;
        if (sample || writer != null) {
            String shown = text.length() > 200 ? text.substring(0, 200) + "..." : text;
            Reject r = new Reject(reason, file, line, detail, shown);
            if (sample) {
                samples.add(r);
                LOG.warn("rejected {}: {} ({}): {}", r.location(), reason, detail, shown);
            }
            if (writer != null) {
                try {
                    writer.write(r.location() + '\t' + reason + '\t' + detail + '\t'
                            + text.replace('\t', ' ').replace('\n', ' ') + '\n');
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write rejects file " + rejectsFile + ": " + e.getMessage(), e);
                }
            }
        }
    }

    public long total() {
        long t = 0;
        for (long c : counts) {
            t += c;
        }
        return t;
    }

    public RejectSummary summary() {
        EnumMap<RejectReason, Long> m = new EnumMap<>(RejectReason.class);
        for (RejectReason r : RejectReason.values()) {
            if (counts[r.ordinal()] > 0) {
                m.put(r, counts[r.ordinal()]);
            }
        }
        return new RejectSummary(m, samples);
    }

    @Override
    public void close() {
        if (writer != null) {
            try {
                writer.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write rejects file " + rejectsFile + ": " + e.getMessage(), e);
            }
        }
    }
}
