package io.streamrec.common.report;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One section of BENCHMARKS.md, written by the harness that measured it, so every figure in the file comes from the
 * run that wrote it. The footer records when, how long, the command, and the machine's load average before and after
 * (the development box is shared: a figure measured at load 12 is not one measured at load 1).
 */
public final class BenchSection {

    private final StringBuilder md = new StringBuilder();
    private final String command;
    private final long startNanos;
    private final double loadBefore;

    public BenchSection(String title, String command) {
        this(title, command, System.nanoTime(), loadAverage());
    }

    /** A section of a measurement that began at {@code startNanos} under {@code loadBefore} (rewritten as it goes). */
    public BenchSection(String title, String command, long startNanos, double loadBefore) {
        this.command = command;
        this.startNanos = startNanos;
        this.loadBefore = loadBefore;
        md.append("## ").append(title).append("\n\n");
    }

    public BenchSection heading(String title) {
        md.append("### ").append(title).append("\n\n");
        return this;
    }

    public BenchSection text(String paragraph) {
        md.append(paragraph.strip()).append("\n\n");
        return this;
    }

    public BenchSection code(String block) {
        md.append("```\n").append(block.strip()).append("\n```\n\n");
        return this;
    }

    /** A table; numeric-looking columns are right-aligned. Call {@link Table#end()} to add it. */
    public Table table(String... headers) {
        return new Table(headers);
    }

    /** The finished Markdown, with the provenance footer. */
    public String markdown() {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        return md + String.format(Locale.ROOT, "<sub>Measured %s UTC by `%s` in %.0f s; %d cores, load average %.1f before, %.1f after.</sub>%n",
                Instant.now().toString().substring(0, 16).replace('T', ' '), command, seconds,
                Runtime.getRuntime().availableProcessors(), loadBefore, loadAverage());
    }

    public void writeTo(Path file) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        Files.writeString(file, markdown(), StandardCharsets.UTF_8);
    }

    public static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** The median of the values (the mean of the middle two for an even count); NaN for none. */
    public static double median(double... values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    /** Nearest-rank percentile of sorted values, {@code q} in (0, 1]. */
    public static long percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    public final class Table {
        private final String[] headers;
        private final List<String[]> rows = new ArrayList<>();

        private Table(String[] headers) {
            this.headers = headers;
        }

        public Table row(Object... cells) {
            if (cells.length != headers.length) {
                throw new IllegalArgumentException("row has " + cells.length + " cells, table has " + headers.length + " columns");
            }
            String[] s = new String[cells.length];
            for (int i = 0; i < cells.length; i++) {
                s[i] = String.valueOf(cells[i]);
            }
            rows.add(s);
            return this;
        }

        public BenchSection end() {
            md.append('|');
            for (String h : headers) {
                md.append(' ').append(h).append(" |");
            }
            md.append("\n|");
            for (int c = 0; c < headers.length; c++) {
                md.append(numeric(c) ? "---:|" : "---|");
            }
            md.append('\n');
            for (String[] r : rows) {
                md.append('|');
                for (String cell : r) {
                    md.append(' ').append(cell.replace("|", "\\|")).append(" |");
                }
                md.append('\n');
            }
            md.append('\n');
            return BenchSection.this;
        }

        private boolean numeric(int column) {
            return !rows.isEmpty() && rows.stream().allMatch(r -> r[column].matches("[*]*[-+~≈]?[0-9][0-9,.]*.*"));
        }
    }

    /** Formats with thousands separators and no decimals, e.g. {@code 1,234,567}. */
    public static String count(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }

    public static String fixed(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
