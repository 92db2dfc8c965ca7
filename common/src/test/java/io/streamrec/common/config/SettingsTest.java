package io.streamrec.common.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SettingsTest {

    @Test
    void flagsBeatEnvironmentWhichBeatsTheFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("s.properties");
        Files.writeString(file, "bootstrap.servers=file:1\ntopic.prefix=fromfile.\npartitions=3\n");
        Settings s = Settings.load(file,
                Map.of("STREAMREC_TOPIC_PREFIX", "fromenv.", "STREAMREC_PARTITIONS", "4", "PATH", "/bin"),
                Map.of("partitions", "5"));
        StreamrecConfig c = StreamrecConfig.from(s);
        assertThat(c.bootstrapServers()).isEqualTo("file:1");
        assertThat(c.topics().prefix()).isEqualTo("fromenv.");
        assertThat(c.partitions()).isEqualTo(5);
        assertThat(c.topics().ratings().name()).isEqualTo("fromenv.ratings");
        assertThat(s.asMap()).doesNotContainKey("path");
    }

    @Test
    void defaultsWhenNothingIsSet() {
        StreamrecConfig c = StreamrecConfig.from(Settings.builder().build());
        assertThat(c.bootstrapServers()).isEqualTo(StreamrecConfig.DEFAULT_BOOTSTRAP);
        assertThat(c.topics().factors().name()).isEqualTo("factors");
        assertThat(c.partitions()).isEqualTo(2);
    }

    @Test
    void badValuesNameTheKeyAndTheirSource() {
        Settings s = Settings.load(null, Map.of("STREAMREC_PARTITIONS", "many"), Map.of());
        assertThatThrownBy(() -> StreamrecConfig.from(s))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("partitions")
                .hasMessageContaining("environment STREAMREC_PARTITIONS");
        Settings range = Settings.load(null, Map.of(), Map.of("partitions", "0"));
        assertThatThrownBy(() -> StreamrecConfig.from(range)).hasMessageContaining("flag --partitions");
        Settings host = Settings.load(null, Map.of(), Map.of("bootstrap.servers", "nohostport"));
        assertThatThrownBy(() -> StreamrecConfig.from(host)).hasMessageContaining("HOST:PORT");
        Settings prefix = Settings.load(null, Map.of(), Map.of("topic.prefix", "bad prefix!"));
        assertThatThrownBy(() -> StreamrecConfig.from(prefix)).isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> Settings.builder().file(Path.of("/nonexistent/x.properties")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("does not exist");
    }

    @Test
    void kafkaPassThroughSettings() {
        Settings s = Settings.load(null, Map.of(), Map.of("kafka.linger.ms", "5", "other", "x"));
        assertThat(StreamrecConfig.from(s).kafkaOverrides()).containsExactly(Map.entry("linger.ms", "5"));
    }

    @Test
    void typedGettersValidate() {
        Settings s = Settings.load(null, Map.of(), Map.of("a", "yes", "b", "maybe", "d", "0.5"));
        assertThat(s.getBoolean("a", false)).isTrue();
        assertThatThrownBy(() -> s.getBoolean("b", false)).hasMessageContaining("true or false");
        assertThat(s.getDouble("d", 1, 0, 1)).isEqualTo(0.5);
        assertThat(s.getDouble("missing", 0.25, 0, 1)).isEqualTo(0.25);
    }
}
