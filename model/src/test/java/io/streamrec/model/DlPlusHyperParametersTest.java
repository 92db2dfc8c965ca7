package io.streamrec.model;

import io.streamrec.common.config.ConfigException;
import io.streamrec.common.config.Settings;
import io.streamrec.model.optim.OptimizerKind;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DlPlusHyperParametersTest {

    private static Settings flags(String... kv) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return Settings.builder().flags(m).build();
    }

    @Test
    void defaultsWithoutSettings() {
        assertThat(DlPlusHyperParameters.fromSettings(flags())).isEqualTo(DlPlusHyperParameters.defaults());
    }

    @Test
    void dlplusKeysWinOverGenericOnes() {
        DlPlusHyperParameters p = DlPlusHyperParameters.fromSettings(flags(
                "model.dlplus.hidden", "128, 16,8", "model.dlplus.dropout", "0.3", "model.dim", "16",
                "model.dlplus.optimizer", "rmsprop", "model.optimizer", "sgd", "model.batch-size", "64"));
        assertThat(p.hidden()).containsExactly(128, 16, 8);
        assertThat(p.dropout()).isEqualTo(0.3f);
        assertThat(p.dim()).isEqualTo(16);
        assertThat(p.rowOptimizer()).isEqualTo(OptimizerKind.RMSPROP);
        assertThat(p.batchSize()).isEqualTo(64);
        assertThat(p.rowHyperParameters().update()).isEqualTo(UpdateMode.BATCH);
        assertThat(DlPlusHyperParameters.fromSettings(Settings.builder().flags(p.toSettings()).build())).isEqualTo(p);
    }

    @Test
    void badValuesNameTheKeyAndItsSource() {
        assertThatThrownBy(() -> DlPlusHyperParameters.fromSettings(flags("model.dlplus.hidden", "64,x")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("model.dlplus.hidden").hasMessageContaining("from");
        assertThatThrownBy(() -> DlPlusHyperParameters.fromSettings(flags("model.dlplus.dropout", "1.5")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("model.dlplus.dropout").hasMessageContaining("from");
        assertThatThrownBy(() -> DlPlusHyperParameters.fromSettings(flags("model.dlplus.hidden", "64,0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("model.dlplus.hidden");
        assertThatThrownBy(() -> DlPlusHyperParameters.fromSettings(flags("model.learning-rate", "-1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("model.learning-rate");
        assertThatThrownBy(() -> DlPlusHyperParameters.fromSettings(flags("model.dlplus.dense-learning-rate", "abc")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("model.dlplus.dense-learning-rate");
    }

    @Test
    void recordValidates() {
        assertThatThrownBy(() -> DlPlusHyperParameters.defaults().withShape(8, List.of()))
                .hasMessageContaining("hidden");
        assertThatThrownBy(() -> DlPlusHyperParameters.defaults().withDropout(1f)).hasMessageContaining("dropout");
    }

    @Test
    void unknownModelNamesListTheValidOnes() {
        assertThatThrownBy(() -> OnlineModels.fromSettings(flags("model.type", "mlp")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("mf, baseline, mean, dlplus");
    }
}
