package io.streamrec.model;

import io.streamrec.common.config.ConfigException;
import io.streamrec.common.config.Settings;
import io.streamrec.common.event.RatingScale;
import io.streamrec.model.kernel.KernelKind;
import io.streamrec.model.optim.OptimizerKind;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MfHyperParametersTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        MfHyperParameters d = MfHyperParameters.defaults();
        assertThat(d.dim()).isEqualTo(32);
        assertThat(d.optimizer()).isEqualTo(OptimizerKind.ADAGRAD);
        assertThat(d.kernel()).isEqualTo(KernelKind.JAVA);
        assertThat(d.update()).isEqualTo(UpdateMode.SEQUENTIAL);
        assertThat(MfHyperParameters.fromSettings(Settings.builder().build())).isEqualTo(d);
    }

    @Test
    void settingsFromFlagsEnvironmentAndFileAllReachTheRecord() {
        Settings s = Settings.builder()
                .environment(Map.of("STREAMREC_MODEL_DIM", "16", "STREAMREC_MODEL_OPTIMIZER", "adam"))
                .flags(Map.of("model.learning-rate", "0.01", "model.rating-scale", "1:5:1", "model.sigmoid-range", "yes"))
                .build();
        MfHyperParameters p = MfHyperParameters.fromSettings(s);
        assertThat(p.dim()).isEqualTo(16);
        assertThat(p.optimizer()).isEqualTo(OptimizerKind.ADAM);
        assertThat(p.learningRate()).isEqualTo(0.01f);
        assertThat(p.ratingScale()).isEqualTo(new RatingScale(1f, 5f, 1f));
        assertThat(p.sigmoidRange()).isTrue();
        assertThat(MfHyperParameters.fromSettings(Settings.builder().flags(p.toSettings()).build())).isEqualTo(p);
    }

    @Test
    void badValuesNameTheKeyAndWhereItCameFrom() {
        assertThatThrownBy(() -> MfHyperParameters.fromSettings(Settings.builder().flags(Map.of("model.dim", "-3")).build()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("model.dim").hasMessageContaining("--model-dim");
        assertThatThrownBy(() -> MfHyperParameters.fromSettings(Settings.builder().flags(Map.of("model.optimizer", "lbfgs")).build()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("model.optimizer").hasMessageContaining("adagrad");
        assertThatThrownBy(() -> MfHyperParameters.fromSettings(Settings.builder().flags(Map.of("model.learning-rate", "0")).build()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("model.learning-rate");
        assertThatThrownBy(() -> MfHyperParameters.fromSettings(Settings.builder().flags(Map.of("model.rating-scale", "5:1")).build()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("model.rating-scale");
        assertThatThrownBy(() -> OnlineModels.fromSettings(Settings.builder().flags(Map.of("model.type", "svd")).build()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("mf, baseline, mean, dlplus");
    }

    @Test
    void constructorValidatesShapes() {
        MfHyperParameters d = MfHyperParameters.defaults();
        assertThatThrownBy(() -> d.withDim(MfHyperParameters.MAX_DIM + 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withBatchSize(0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(OnlineModels.create(ModelKind.BASELINE, d).layout().dim()).isZero();
        assertThat(OnlineModels.create(ModelKind.MF, d).layout().dim()).isEqualTo(32);
    }
}
