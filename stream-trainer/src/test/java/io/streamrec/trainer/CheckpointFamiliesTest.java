package io.streamrec.trainer;

import io.streamrec.common.config.ConfigException;
import io.streamrec.common.topic.ModelFamilies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CheckpointFamiliesTest {

    @TempDir
    Path dir;

    @Test
    void resumingUnderTheSameSetIsAllowedAndAnotherSetIsRefusedNamingBoth() {
        ModelFamilies two = ModelFamilies.parse("mf,popular");
        CheckpointFamilies.check(dir, two, false);
        assertThat(CheckpointFamilies.recorded(dir)).contains(two);
        CheckpointFamilies.check(dir, two, true);

        assertThatThrownBy(() -> CheckpointFamilies.check(dir, ModelFamilies.parse("mf"), true))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("taken training mf,popular").hasMessageContaining("this run trains mf:")
                .hasMessageContaining("--fresh");
        assertThatThrownBy(() -> CheckpointFamilies.check(dir, ModelFamilies.parse("popular,mf"), true))
                .isInstanceOf(ConfigException.class);
        // A fresh start records the new set.
        CheckpointFamilies.check(dir, ModelFamilies.parse("popular"), false);
        assertThat(CheckpointFamilies.recorded(dir)).contains(ModelFamilies.single("popular"));
    }

    @Test
    void aDirectoryFromBeforeFamilySetsResumesAsOneFamilyButNotAsSeveral() {
        CheckpointFamilies.check(dir, ModelFamilies.single("mf"), true);
        java.io.File marker = dir.resolve(CheckpointFamilies.FILE).toFile();
        assertThat(marker.delete()).isTrue();
        assertThatThrownBy(() -> CheckpointFamilies.check(dir, ModelFamilies.parse("mf,dlplus"), true))
                .isInstanceOf(ConfigException.class).hasMessageContaining("taken training one family");
    }
}
