package io.streamrec.model;

import io.streamrec.model.eval.OfflineEvaluation;
import io.streamrec.model.eval.OfflineEvaluation.Columns;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * I-AutoRec trained offline: on a planted stream's 80/20 holdout it clearly beats the biases-only baseline (which
 * cannot see the planted interactions), cold pairs fall back to means, and the split is the online models' split.
 */
class IAutoRecTest {

    @Test
    void holdoutBeatsTheBiasesOnPlantedData() {
        Columns data = PlantedStream.generate(200, 150, 3, 20_000, 0.3, -1, 5);
        IAutoRecHyperParameters p = new IAutoRecHyperParameters(64, 20f, 0.01f, 60, 32, 1, MfHyperParameters.DEFAULT_RATING_SCALE);
        OfflineEvaluation.Result ae = OfflineEvaluation.holdout(new IAutoRec(p), data, 0.2, 1);
        OfflineEvaluation.Result base = OfflineEvaluation.holdout(
                OnlineModels.create(ModelKind.BASELINE, MfHyperParameters.defaults()), data, 0.2, 10, 1);
        System.out.printf("planted holdout: i-autorec %.4f, baseline %.4f%n", ae.rmse(), base.rmse());
        assertThat(ae.events()).isEqualTo(base.events());
        assertThat(ae.coldStartShare()).isEqualTo(base.coldStartShare());
        assertThat(ae.rmse()).isLessThan(base.rmse() - 0.05);
    }

    @Test
    void coldPairsGetTheMeans() {
        IAutoRec m = new IAutoRec(new IAutoRecHyperParameters(4, 1f, 0.01f, 2, 8, 1, MfHyperParameters.DEFAULT_RATING_SCALE));
        m.fit(new long[]{1, 1, 2}, new long[]{10, 11, 10}, new float[]{5, 3, 4});
        assertThat(m.predict(9, 10)).isEqualTo(new io.streamrec.model.eval.BatchTrainedModel.Prediction(4.5f, true));
        assertThat(m.predict(2, 99)).isEqualTo(new io.streamrec.model.eval.BatchTrainedModel.Prediction(4f, true));
        assertThat(m.predict(9, 99)).isEqualTo(new io.streamrec.model.eval.BatchTrainedModel.Prediction(4f, true));
        assertThat(m.predict(2, 11).coldStart()).isFalse();
    }
}
