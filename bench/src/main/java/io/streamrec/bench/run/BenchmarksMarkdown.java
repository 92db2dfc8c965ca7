package io.streamrec.bench.run;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * BENCHMARKS.md from the sections under {@code docs/bench}: the header (last run, machine), the table of contents,
 * every area's section in document order (or a "not measured yet" line), the GPU note and the engineering notes;
 * and the warning a section gets when its regeneration failed.
 */
public final class BenchmarksMarkdown {

    private static final Logger LOG = LoggerFactory.getLogger(BenchmarksMarkdown.class);
    private static final String FAILED_MARK = "> **The regeneration of this section at ";

    private final BenchAreas areas;
    private final Path docs;
    private final Path out;

    /** @param out the BENCHMARKS.md to be written: links are relative to its folder */
    public BenchmarksMarkdown(BenchAreas areas, Path docs, Path out) {
        this.areas = areas;
        this.docs = docs;
        this.out = out;
    }

    public Path sections() {
        return docs.resolve("bench");
    }

    public Path section(BenchHarness h) {
        return sections().resolve(h.area() + ".md");
    }

    /** The whole file, after {@code measured} were re-measured in {@code seconds}. */
    public String assemble(List<BenchHarness> measured, double seconds) throws IOException {
        StringBuilder b = new StringBuilder();
        b.append("# streamrec benchmarks\n\n");
        b.append("Every figure below was produced by `./streamrec bench` (all areas, about 10 minutes on this machine) or `./streamrec bench "
                + "--only AREA`; each section ends with when, by which command and under what machine load it was measured. "
                + "Last run: ").append(measured.size() == areas.names().size() ? "all areas"
                        : "only " + measured.stream().map(BenchHarness::area).toList())
                .append(String.format(Locale.ROOT, ", %.0f s, finished %s UTC.%n%n", seconds, Instant.now().toString().substring(0, 16).replace('T', ' ')));
        b.append("Machine: ").append(machine()).append(". It is shared with other work and noisy: compare figures side by "
                + "side within one table (they come from one run), not across sections or days.\n\n");
        b.append("Sections: ");
        List<String> toc = new ArrayList<>();
        for (BenchHarness a : areas.all()) {
            toc.add("[" + a.title() + "](#" + anchor(sectionTitle(section(a), a)) + ")");
        }
        Path cluster = sections().resolve("cluster.md");
        if (Files.exists(cluster)) {
            toc.add("[Cluster](#" + anchor(sectionTitle(cluster, null)) + ")");
        }
        toc.add("[GPU](#gpu)");
        b.append(String.join(" · ", toc)).append(".\n\n");
        for (BenchHarness a : areas.all()) {
            Path f = section(a);
            if (Files.exists(f)) {
                b.append(Files.readString(f, StandardCharsets.UTF_8).strip()).append("\n\n");
            } else {
                b.append("## ").append(a.title()).append("\n\nNot measured yet: run `./streamrec bench --only ").append(a.area()).append("`.\n\n");
            }
        }
        // Hand-written (docs/bench/cluster.md): the compose cluster's figures come from its fault tests, not a harness.
        if (Files.exists(cluster)) {
            b.append(Files.readString(cluster, StandardCharsets.UTF_8).strip()).append("\n\n");
        }
        // Hand-written (docs/bench/gpu.md): a GPU run happens on another machine, from the gpu module's device-check bundle.
        Path gpu = sections().resolve("gpu.md");
        if (Files.exists(gpu)) {
            b.append(Files.readString(gpu, StandardCharsets.UTF_8).strip()).append("\n\n");
        } else {
            b.append("## GPU\n\n")
                    .append("The ND4J kernel's CUDA path (`./mvnw -Pcuda`, `nd4j-cuda-11.6`) has not been benchmarked: the only GPUs this ")
                    .append("workplace lends are Hopper (H100/H200), which that backend cannot run (kernels for sm_37…sm_86, no PTX), and ")
                    .append("no GPU has been lent to a session so far. `./mvnw -Pcuda -DskipTests package` builds. On this CPU the ")
                    .append("plain-Java kernel is the fast path; the learner-kernel section compares it with ND4J's CPU backend side by side.\n\n");
        }
        Path notes = docs.resolve("notes");
        if (Files.isDirectory(notes)) {
            b.append("## Engineering notes\n\nEarlier experiments and the reasoning behind the defaults (what was tried, what did not ")
                    .append("help), kept as written at the time and not regenerated: ");
            try (var files = Files.list(notes)) {
                b.append(String.join(", ", files.filter(p -> p.toString().endsWith(".md")).sorted()
                        .map(p -> "[" + p.getFileName() + "](" + link(out, p) + ")").toList()));
            }
            b.append(".\n");
        }
        return b.toString();
    }

    /** Keeps the last good figures but says, at the top of the section, that this regeneration failed. */
    public static void markFailed(Path section, BenchHarness a, String why) throws IOException {
        String warning = FAILED_MARK + Instant.now().toString().substring(0, 16).replace('T', ' ') + " UTC failed** (" + why + ")"
                + (Files.exists(section) ? "; the figures below are from the previous run." : ".") + "\n\n";
        String old = Files.exists(section) ? Files.readString(section, StandardCharsets.UTF_8) : "## " + a.title() + "\n\n";
        // One warning at a time: a second failure replaces the first one's line.
        old = old.replaceAll("(?m)^" + Pattern.quote(FAILED_MARK) + ".*\\n\\n", "");
        int body = old.indexOf("\n\n");
        String updated = body < 0 ? old + "\n\n" + warning : old.substring(0, body + 2) + warning + old.substring(body + 2);
        Files.writeString(section, updated, StandardCharsets.UTF_8);
    }

    /** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
    public static String anchor(String title) {
        return title.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} -]", "").replace(' ', '-');
    }

    /** {@code p} relative to the folder of {@code out}, with forward slashes. */
    static String link(Path out, Path p) {
        Path base = out.toAbsolutePath().getParent();
        return base.relativize(p.toAbsolutePath()).toString().replace('\\', '/');
    }

    private static String sectionTitle(Path section, BenchHarness a) {
        try {
            if (Files.exists(section)) {
                String first = Files.readAllLines(section, StandardCharsets.UTF_8).get(0);
                if (first.startsWith("## ")) {
                    return first.substring(3).trim();
                }
            }
        } catch (IOException | IndexOutOfBoundsException e) {
            LOG.debug("no title in {}", section, e);
        }
        return a == null ? "Cluster" : a.title();
    }

    private static String machine() {
        String cpu = "unknown CPU";
        long memKb = 0;
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse(cpu);
            memKb = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                    .map(l -> l.replaceAll("[^0-9]", "")).mapToLong(Long::parseLong).findFirst().orElse(0);
        } catch (IOException | RuntimeException e) {
            LOG.debug("machine facts unavailable", e);
        }
        return String.format(Locale.ROOT, "%s, %d cores, %.0f GiB RAM, %s %s, %s", cpu, Runtime.getRuntime().availableProcessors(),
                memKb / 1024.0 / 1024.0, System.getProperty("java.vm.name"), Runtime.version(), System.getProperty("os.name"));
    }
}
