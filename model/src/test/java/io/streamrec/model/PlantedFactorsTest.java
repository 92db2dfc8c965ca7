package io.streamrec.model;

import io.streamrec.common.event.DriftState;
import io.streamrec.common.event.PrequentialMetrics;
import io.streamrec.common.event.RatingScale;
import io.streamrec.model.eval.OfflineEvaluation;
import io.streamrec.model.eval.OfflineEvaluation.Columns;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Ground truth from a planted model: the learner must approach the noise floor, and notice and survive drift. */
class PlantedFactorsTest {

    private static final double NOISE = 0.3;

    private static MfHyperParameters params() {
        // Wide scale so clamping never hides an error: the planted ratings are not rounded into 1..5.
        return new MfHyperParameters(MfHyperParameters.DEFAULT_DIM, MfHyperParameters.DEFAULT_OPTIMIZER,
                MfHyperParameters.DEFAULT_LEARNING_RATE, MfHyperParameters.DEFAULT_BIAS_LEARNING_RATE,
                MfHyperParameters.DEFAULT_L2_FACTORS, MfHyperParameters.DEFAULT_L2_BIAS, MfHyperParameters.DEFAULT_BIAS_PRIOR,
                MfHyperParameters.DEFAULT_INIT_STD, 7L, false, new RatingScale(-10f, 20f, 0f),
                MfHyperParameters.DEFAULT_BATCH_SIZE, MfHyperParameters.DEFAULT_BATCH_TIMEOUT_MS,
                MfHyperParameters.DEFAULT_BETA1, MfHyperParameters.DEFAULT_BETA2, MfHyperParameters.DEFAULT_EPSILON,
                MfHyperParameters.DEFAULT_KERNEL, MfHyperParameters.DEFAULT_UPDATE);
    }

    @Test
    void prequentialErrorApproachesTheNoiseFloorAndBeatsTheBaselines() {
        Columns data = PlantedStream.generate(300, 200, 4, 120_000, NOISE, -1, 11);
        List<PrequentialMetrics> reports = new ArrayList<>();
        OfflineEvaluation.Result mf = OfflineEvaluation.prequential(OnlineModels.create(ModelKind.MF, params()), data, 10_000, reports::add);
        OfflineEvaluation.Result baseline = OfflineEvaluation.prequential(OnlineModels.create(ModelKind.BASELINE, params()), data, 0, null);
        double finalWindow = reports.get(reports.size() - 1).windowRmse();
        double firstWindow = reports.get(0).windowRmse();
        assertThat(finalWindow).as("windowed RMSE at the end vs noise %s", NOISE).isLessThan(NOISE * 1.2);
        assertThat(firstWindow).as("it did have to learn").isGreaterThan(finalWindow * 1.5);
        assertThat(mf.rmse()).isLessThan(baseline.rmse() * 0.8);
    }

    @Test
    void driftIsDetectedAndTheModelRecovers() {
        int driftAt = 80_000;
        Columns data = PlantedStream.generate(300, 200, 4, 200_000, NOISE, driftAt, 12);
        List<PrequentialMetrics> reports = new ArrayList<>();
        OfflineEvaluation.prequential(OnlineModels.create(ModelKind.MF, params()), data, 2_000, reports::add);

        PrequentialMetrics beforeDrift = reports.stream().filter(m -> m.count() <= driftAt).reduce((a, b) -> b).orElseThrow();
        assertThat(beforeDrift.count()).isGreaterThan(driftAt - 2_000);
        assertThat(beforeDrift.drift()).as("no false alarm on a stationary stream").isEqualTo(DriftState.STABLE);
        long alarmsBefore = beforeDrift.driftEvents();

        PrequentialMetrics justAfter = reports.stream().filter(m -> m.count() >= driftAt + 4_000).findFirst().orElseThrow();
        assertThat(justAfter.driftEvents()).as("detector fired within 4000 events of the drift").isGreaterThan(alarmsBefore);
        assertThat(justAfter.windowRmse()).isGreaterThan(beforeDrift.windowRmse() * 1.5);

        PrequentialMetrics last = reports.get(reports.size() - 1);
        PrequentialMetrics firstRecovered = reports.stream().filter(m -> m.drift() == DriftState.RECOVERED).findFirst().orElseThrow();
        assertThat(firstRecovered.windowRmse()).as("RECOVERED only once the error is back").isLessThan(beforeDrift.windowRmse() * 1.2);
        assertThat(last.drift()).isEqualTo(DriftState.RECOVERED);
        assertThat(last.windowRmse()).as("error back near the pre-drift level").isLessThan(beforeDrift.windowRmse() * 1.15);
        System.out.printf("drift: before %.4f, just after %.4f, end %.4f, alarms %d%n", beforeDrift.windowRmse(),
                justAfter.windowRmse(), last.windowRmse(), last.driftEvents());
    }
}
