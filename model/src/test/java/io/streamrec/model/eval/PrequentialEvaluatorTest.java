package io.streamrec.model.eval;

import io.streamrec.common.event.DriftState;
import io.streamrec.common.event.PrequentialMetrics;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

class PrequentialEvaluatorTest {

    @Test
    void windowAndCumulativeFiguresAreExact() {
        AtomicLong clock = new AtomicLong(1_000);
        PrequentialEvaluator ev = new PrequentialEvaluator("t", 3, new PageHinkley(0.05, 1e9, 1), 0.1, clock::get);
        ev.record(3f, 4f, true, 10);   // error 1
        ev.record(4f, 2f, false, 30);  // error 2
        ev.record(1f, 1f, false, 20);  // error 0
        clock.set(3_000);
        ev.record(5f, 2f, false, 40);  // error 3: window now holds 2, 0, 3
        PrequentialMetrics m = ev.snapshot();
        assertThat(m.count()).isEqualTo(4);
        assertThat(m.windowCount()).isEqualTo(3);
        assertThat(m.windowRmse()).isCloseTo(Math.sqrt((4 + 0 + 9) / 3.0), offset(1e-12));
        assertThat(m.windowMae()).isCloseTo(5 / 3.0, offset(1e-12));
        assertThat(m.cumulativeRmse()).isCloseTo(Math.sqrt(14 / 4.0), offset(1e-12));
        assertThat(m.cumulativeMae()).isCloseTo(6 / 4.0, offset(1e-12));
        assertThat(m.coldStartShare()).isEqualTo(0.25);
        assertThat(m.eventTimeMs()).isEqualTo(40);
        assertThat(m.eventsPerSecond()).isEqualTo(2.0);
        assertThat(m.drift()).isEqualTo(DriftState.STABLE);
        assertThatThrownBy(() -> ev.record(Float.NaN, 1f, false, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(ev.count()).isEqualTo(4);
    }

    @Test
    void longRunsStayExactDespiteRunningSums() {
        PrequentialEvaluator ev = new PrequentialEvaluator("t", 100, PageHinkley.forRatingErrors(), 0.1, () -> 0L);
        SplittableRandom rnd = new SplittableRandom(1);
        double[] last = new double[100];
        for (int i = 0; i < 1_000_003; i++) {
            float err = (float) (rnd.nextDouble() * 1e3);
            ev.record(err, 0f, false, i);
            last[i % 100] = (double) err * err;
        }
        double sum = 0;
        for (double v : last) {
            sum += v;
        }
        assertThat(ev.windowRmse()).isCloseTo(Math.sqrt(sum / 100), offset(1e-6));
    }

    @Test
    void driftStatesFollowTheErrorStream() {
        PrequentialEvaluator ev = new PrequentialEvaluator("t", 500, PageHinkley.forRatingErrors(), 0.1, () -> 0L);
        SplittableRandom rnd = new SplittableRandom(2);
        for (int i = 0; i < 20_000; i++) {
            ev.record((float) (rnd.nextGaussian() * 0.8), 0f, false, i);
        }
        assertThat(ev.drift()).isEqualTo(DriftState.STABLE);
        assertThat(ev.driftEvents()).isZero();
        for (int i = 0; i < 2_000; i++) {
            ev.record((float) (rnd.nextGaussian() * 2.0), 0f, false, i);
        }
        assertThat(ev.drift()).isEqualTo(DriftState.DRIFT);
        assertThat(ev.driftEvents()).isPositive();
        for (int i = 0; i < 5_000; i++) {
            ev.record((float) (rnd.nextGaussian() * 0.8), 0f, false, i);
        }
        assertThat(ev.drift()).isEqualTo(DriftState.RECOVERED);
    }

    @Test
    void pageHinkleyIgnoresDecreasesAndFiresOnIncreases() {
        PageHinkley ph = new PageHinkley(0.01, 5, 10);
        for (int i = 0; i < 1000; i++) {
            assertThat(ph.update(i < 500 ? 1.0 : 0.2)).isFalse();
        }
        int firedAfter = -1;
        for (int i = 0; i < 1000 && firedAfter < 0; i++) {
            if (ph.update(1.5)) {
                firedAfter = i;
            }
        }
        assertThat(firedAfter).isBetween(0, 20);
        assertThat(ph.mean()).as("reset after the alarm").isZero();
        assertThatThrownBy(() -> new PageHinkley(0.1, 0, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * A learner's error falls for a long time, then a drift raises it, but not back to the early level: the
     * whole-stream mean stays above the new errors and hides the drift; the fading mean tracks the recent level and fires.
     */
    @Test
    void aFadingMeanSeesADriftAfterALongLearningCurve() {
        PageHinkley whole = new PageHinkley(0.05, 150, 500);
        PageHinkley fading = new PageHinkley(0.05, 150, 500, 20_000);
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(3);
        int n = 300_000;
        int drift = 150_000;
        int wholeAlarms = 0;
        int fadingFirstAfter = -1;
        for (int i = 0; i < n; i++) {
            // MAE falls from 1.0 towards 0.6 while learning; the drift adds 0.1 at the event `drift`.
            double level = 0.6 + 0.4 * Math.exp(-i / 40_000.0) + (i >= drift ? 0.1 : 0);
            double x = Math.abs(level + rnd.nextGaussian() * 0.3);
            if (whole.update(x)) {
                wholeAlarms++;
            }
            if (fading.update(x) && fadingFirstAfter < 0 && i >= drift) {
                fadingFirstAfter = i - drift;
            }
        }
        assertThat(wholeAlarms).as("the whole-stream mean misses the drift").isZero();
        assertThat(fadingFirstAfter).as("events from the drift to the fading detector's alarm").isBetween(0, 10_000);
        assertThatThrownBy(() -> new PageHinkley(0.05, 150, 500, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    /** A restored evaluator continues exactly where the original was: sums, window, drift state and detector. */
    @Test
    void stateCarriesEveryCurveAcrossARestart() {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(9);
        long[] clock = {0};
        PrequentialEvaluator original = new PrequentialEvaluator("t", 500, PageHinkley.forRatingErrors(), 0.1, () -> clock[0]++);
        float[][] events = new float[40_000][];
        for (int i = 0; i < events.length; i++) {
            // A drift at 20,000 so the detector and the drift state have something to carry.
            double noise = rnd.nextGaussian() * (i < 20_000 ? 0.7 : 1.2);
            events[i] = new float[]{(float) (3.5 + noise), 3.5f, i % 50 == 0 ? 1f : 0f};
        }
        for (int i = 0; i < 25_000; i++) {
            original.record(events[i][0], events[i][1], events[i][2] > 0, i);
        }
        PrequentialEvaluator restored = new PrequentialEvaluator("t", 500, PageHinkley.forRatingErrors(), 0.1, () -> clock[0]++);
        restored.restore(original.state());
        assertThat(restored.snapshot().windowRmse()).isCloseTo(original.snapshot().windowRmse(), org.assertj.core.data.Offset.offset(1e-12));
        for (int i = 25_000; i < events.length; i++) {
            original.record(events[i][0], events[i][1], events[i][2] > 0, i);
            restored.record(events[i][0], events[i][1], events[i][2] > 0, i);
        }
        var a = original.snapshot();
        var b = restored.snapshot();
        assertThat(b.count()).isEqualTo(a.count()).isEqualTo(40_000);
        assertThat(b.cumulativeRmse()).isCloseTo(a.cumulativeRmse(), org.assertj.core.data.Offset.offset(1e-12));
        assertThat(b.windowRmse()).isCloseTo(a.windowRmse(), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(b.coldStartShare()).isEqualTo(a.coldStartShare());
        assertThat(a.driftEvents()).as("the planted drift raised an alarm").isPositive();
        assertThat(b.driftEvents()).isEqualTo(a.driftEvents());
        assertThat(b.drift()).isEqualTo(a.drift());
        assertThatThrownBy(() -> restored.restore(original.state())).isInstanceOf(IllegalStateException.class);
    }
}
