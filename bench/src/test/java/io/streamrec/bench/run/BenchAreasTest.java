package io.streamrec.bench.run;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The area -> harness map and what {@code --only} selects from it. */
class BenchAreasTest {

    private static final BenchAreas AREAS = BenchAreas.standard(new BenchmarksMarkdownTest.FixedHarness("e2e", "End to end"));

    @Test
    void theAreasKeepTheirNamesTitlesAndDocumentOrder() {
        assertThat(AREAS.names()).containsExactly("accuracy", "e2e", "trainer", "scale", "model", "scorer", "serving", "ingest");
        assertThat(AREAS.all()).extracting(BenchHarness::title)
                .containsExactly("Accuracy", "End to end", "Stream trainer", "Scale", "Learner kernels", "Top-K", "Scale-out serving", "Ingest");
        assertThat(AREAS.get("accuracy")).isInstanceOf(AccuracySuite.class);
        assertThat(AREAS.get("trainer")).isEqualTo(new TrainerThroughputHarness(BenchAreas.TRAINER));
        assertThat(((ChildJvmHarness) AREAS.get("scorer")).main()).isEqualTo(new ChildMain("bench", "io.streamrec.bench.scorer.TopKBench"));
    }

    @Test
    void onlySelectsTheNamedAreasOnceEachInDocumentOrder() {
        assertThat(AREAS.select(null)).hasSize(8);
        assertThat(AREAS.select(List.of())).extracting(BenchHarness::area).containsExactlyElementsOf(AREAS.names());
        assertThat(AREAS.select(List.of("ingest", "accuracy", "scorer", "ingest"))).extracting(BenchHarness::area)
                .containsExactly("accuracy", "scorer", "ingest");
    }

    @Test
    void anUnknownAreaIsRefusedNamingTheKnownOnes() {
        assertThatThrownBy(() -> AREAS.select(List.of("accuracy", "gpu")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected one of [accuracy, e2e, trainer, scale, model, scorer, serving, ingest] (case-sensitive) but was 'gpu'");
    }

    @Test
    void childJvmHarnessesPassTheirSectionAndWorkload() throws Exception {
        List<Object[]> calls = new java.util.ArrayList<>();
        BenchContext quick = new BenchContext(java.nio.file.Path.of("/tmp/s/model.md"), java.nio.file.Path.of("/d"),
                java.nio.file.Path.of("docs"), java.nio.file.Path.of("BENCHMARKS.md"), true, 10, 2, 3, 10,
                (main, jvm, args, timeout) -> calls.add(new Object[]{main, jvm, args}));
        assertThat(AREAS.get("model").run(quick)).isTrue();
        assertThat(calls.get(0)).containsExactly(new ChildMain("bench", "io.streamrec.bench.model.ModelBench"), List.of("-Xmx1g"),
                List.of("/tmp/s/model.md", "100"));
    }

    @Test
    void twoHarnessesForOneAreaAreRefused() {
        var a = new BenchmarksMarkdownTest.FixedHarness("x", "X");
        assertThatThrownBy(() -> BenchAreas.of(List.of(a, a))).hasMessage("two harnesses for area x");
    }
}
