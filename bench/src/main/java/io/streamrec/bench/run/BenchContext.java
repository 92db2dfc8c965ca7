package io.streamrec.bench.run;

import java.nio.file.Path;

/**
 * What one harness run is given: where its section goes, where datasets and plots are, the workload knobs of
 * {@code streamrec bench}, and how to start child JVMs.
 *
 * @param section   the markdown file this harness writes ({@code docs/bench/<area>.md})
 * @param datasets  folder holding ml-100k and ml-latest-small (missing ones are skipped)
 * @param docs      the docs folder: plots go to {@code docs/plots}
 * @param out       the BENCHMARKS.md being assembled: links are relative to its folder
 * @param quick     smaller workloads everywhere (a smoke run)
 */
public record BenchContext(Path section, Path datasets, Path docs, Path out, boolean quick, int epochs,
                           int trainerRepeats, int e2eRuns, int e2eCopies, ChildLauncher launcher) {

    public Path plots() {
        return docs.resolve("plots");
    }

    /** {@code p} relative to BENCHMARKS.md's folder, with forward slashes: a markdown link. */
    public String link(Path p) {
        return BenchmarksMarkdown.link(out, p);
    }
}
