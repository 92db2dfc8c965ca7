package io.streamrec.scorer;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Moved from ScorerMainTest with the converter it tests. */
class DurationConverterTest {

    @Test
    void durations() {
        DurationConverter c = new DurationConverter();
        assertThat(c.convert("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(c.convert("2s")).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.convert("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.convert("PT1.5S")).isEqualTo(Duration.ofMillis(1500));
        assertThatThrownBy(() -> c.convert("1x")).isInstanceOf(CommandLine.TypeConversionException.class);
    }
}
