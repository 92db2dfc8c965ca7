package io.streamrec.trainer;

import io.streamrec.common.config.ConfigException;
import io.streamrec.common.config.Settings;
import io.streamrec.common.topic.ModelFamilies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code streamrec train --model} with several families: what it parses, and the refusal to resume another set. */
class TrainerMainFamiliesTest {

    @TempDir
    Path tmp;

    @Test
    void familiesAreParsedNormalisedAndUnknownOnesNamed() {
        assertThat(TrainerMain.families(Settings.builder().build())).isEqualTo(ModelFamilies.single("mf"));
        assertThat(TrainerMain.families(Settings.builder().put("model.type", "MF, u_autorec,popular", "flag").build()).ids())
                .containsExactly("mf", "u-autorec", "popular");
        assertThatThrownBy(() -> TrainerMain.families(Settings.builder().put("model.type", "mf,nope", "flag").build()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("unknown model 'nope'");
        assertThatThrownBy(() -> TrainerMain.families(Settings.builder().put("model.type", "mf,mf", "flag").build()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("distinct");
    }

    @Test
    void resumingCheckpointsOfAnotherFamilySetIsRefusedBeforeAnythingStarts() throws Exception {
        Path chk = tmp.resolve("chk");
        Files.createDirectories(chk.resolve("0123abcd").resolve("chk-7"));
        Files.writeString(chk.resolve("0123abcd").resolve("chk-7").resolve("_metadata"), "x");
        CheckpointFamilies.check(chk, ModelFamilies.single("mf"), false);

        // No broker at this address: the refusal must come before the trainer connects to anything.
        TrainerMain main = new TrainerMain();
        new CommandLine(main).parseArgs("-b", "127.0.0.1:1", "--checkpoint-dir", chk.toString(), "--model", "mf,popular");
        assertThatThrownBy(main::call).isInstanceOf(ConfigException.class)
                .hasMessageContaining("taken training mf, this run trains mf,popular").hasMessageContaining("--fresh");
        assertThat(CheckpointFamilies.recorded(chk)).contains(ModelFamilies.single("mf"));
    }
}
