package io.streamrec.common.report;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BenchSectionTest {

    @Test
    void tableAlignsNumericColumnsRightAndEscapesPipes() {
        BenchSection s = new BenchSection("Top-K", "streamrec bench --only scorer");
        s.text("intro").table("kernel", "p99 ms", "users/s").row("SIMD | 256-bit", "0.722", "5,807").row("scalar", "3.157", "730").end();
        String md = s.markdown();
        assertThat(md).startsWith("## Top-K\n\nintro\n\n");
        assertThat(md).contains("| kernel | p99 ms | users/s |\n|---|---:|---:|\n");
        assertThat(md).contains("| SIMD \\| 256-bit | 0.722 | 5,807 |");
        assertThat(md).contains("by `streamrec bench --only scorer` in ");
    }

    @Test
    void rowsMustMatchTheHeader() {
        BenchSection s = new BenchSection("x", "y");
        assertThatThrownBy(() -> s.table("a", "b").row("only one")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 cells").hasMessageContaining("2 columns");
    }

    @Test
    void medianAndPercentiles() {
        assertThat(BenchSection.median(3, 1, 2)).isEqualTo(2);
        assertThat(BenchSection.median(4, 1, 3, 2)).isEqualTo(2.5);
        assertThat(BenchSection.median()).isNaN();
        long[] sorted = new long[100];
        for (int i = 0; i < 100; i++) {
            sorted[i] = i + 1;
        }
        assertThat(BenchSection.percentile(sorted, 0.5)).isEqualTo(50);
        assertThat(BenchSection.percentile(sorted, 0.95)).isEqualTo(95);
        assertThat(BenchSection.percentile(sorted, 0.99)).isEqualTo(99);
        assertThat(BenchSection.percentile(new long[]{7}, 0.99)).isEqualTo(7);
        assertThatThrownBy(() -> BenchSection.percentile(new long[0], 0.5)).isInstanceOf(IllegalArgumentException.class);
    }
}
