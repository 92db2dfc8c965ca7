package io.streamrec.model.eval;

import io.streamrec.common.event.DriftState;
import io.streamrec.common.event.PrequentialMetrics;
import io.streamrec.model.MiniBatch;

import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Test-then-train metrics: fed each event's prediction (made before learning from it) and its true rating. Keeps
 * windowed RMSE/MAE over the last {@code window} events, cumulative RMSE/MAE, the cold-start share and the rate,
 * and runs a drift detector on the absolute error: STABLE → DRIFT when it fires, DRIFT → RECOVERED once a full
 * window after the alarm has a MAE back within {@code recoveryTolerance} of the level before the alarm.
 * Single-threaded.
 */
public final class PrequentialEvaluator {

    public static final int DEFAULT_WINDOW = 1000;
    public static final double DEFAULT_RECOVERY_TOLERANCE = 0.10;

    private final String source;
    private final int window;
    private final DriftDetector detector;
    private final double recoveryTolerance;
    private final LongSupplier clockMs;

    private final double[] sqErrors;
    private final double[] absErrors;
    private int head;
    private int filled;
    private double windowSq;
    private double windowAbs;
    private int sinceRecompute;

    private long count;
    private long coldStarts;
    private double totalSq;
    private double totalAbs;
    private long newestEventTimeMs = Long.MIN_VALUE;
    private long firstWallMs = -1;
    private long lastWallMs = -1;
    /** The count when this incarnation started (non-zero after a restore): the wall-clock rate covers only what it saw. */
    private long countAtStart;

    private DriftState drift = DriftState.STABLE;
    private long driftEvents;
    private double referenceMae = Double.NaN;
    private long eventsSinceAlarm;
    private final double[] recentWindowMae = {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
    private int recentHead;

    public PrequentialEvaluator(String source, int window, DriftDetector detector, double recoveryTolerance, LongSupplier clockMs) {
        this.source = Objects.requireNonNull(source, "source");
        if (window < 1) {
            throw new IllegalArgumentException("window must be >= 1 event, got " + window);
        }
        if (!(recoveryTolerance >= 0) || !Double.isFinite(recoveryTolerance)) {
            throw new IllegalArgumentException("recoveryTolerance must be finite and >= 0, got " + recoveryTolerance);
        }
        this.window = window;
        this.detector = Objects.requireNonNull(detector, "detector");
        this.recoveryTolerance = recoveryTolerance;
        this.clockMs = Objects.requireNonNull(clockMs, "clockMs");
        this.sqErrors = new double[window];
        this.absErrors = new double[window];
    }

    /** Window 1000 events, Page-Hinkley on |error|, 10 % recovery tolerance, wall clock. */
    public PrequentialEvaluator(String source) {
        this(source, DEFAULT_WINDOW, PageHinkley.forRatingErrors(), DEFAULT_RECOVERY_TOLERANCE, System::currentTimeMillis);
    }

    /** Records one prequential outcome. Non-finite predictions or ratings are rejected: they would poison every sum. */
    public void record(float prediction, float rating, boolean coldStart, long eventTimeMs) {
        if (!Float.isFinite(prediction) || !Float.isFinite(rating)) {
            throw new IllegalArgumentException("prediction and rating must be finite, got " + prediction + " and " + rating);
        }
        long now = clockMs.getAsLong();
        if (firstWallMs < 0) {
            firstWallMs = now;
        }
        lastWallMs = now;
        double e = (double) prediction - rating;
        double sq = e * e;
        double abs = Math.abs(e);
        count++;
        if (coldStart) {
            coldStarts++;
        }
        totalSq += sq;
        totalAbs += abs;
        newestEventTimeMs = Math.max(newestEventTimeMs, eventTimeMs);

        if (filled == window) {
            windowSq -= sqErrors[head];
            windowAbs -= absErrors[head];
        } else {
            filled++;
        }
        sqErrors[head] = sq;
        absErrors[head] = abs;
        windowSq += sq;
        windowAbs += abs;
        head = head + 1 == window ? 0 : head + 1;
        // Subtracting and adding doubles drifts slowly; resum once per window to keep the window exact.
        if (++sinceRecompute >= window) {
            resumWindow();
        }
        updateDrift(abs);
    }

    /** Records every event of a batch after {@code OnlineModel.predict/process} filled its predictions. */
    public void record(MiniBatch batch) {
        for (int i = 0; i < batch.size(); i++) {
            record(batch.prediction(i), batch.rating(i), batch.coldStart(i), batch.timestamp(i));
        }
    }

    private void updateDrift(double abs) {
        if (count % window == 0) {
            // One MAE per full window, the last few kept: the pre-drift level to come back to after an alarm.
            recentWindowMae[recentHead] = windowMae();
            recentHead = (recentHead + 1) % recentWindowMae.length;
        }
        if (detector.update(abs)) {
            driftEvents++;
            // The level to come back to: while still drifting, later alarms keep the first (pre-drift) level.
            if (drift != DriftState.DRIFT || Double.isNaN(referenceMae)) {
                referenceMae = preDriftLevel();
            }
            drift = DriftState.DRIFT;
            eventsSinceAlarm = 0;
            return;
        }
        if (drift == DriftState.DRIFT) {
            eventsSinceAlarm++;
            if (eventsSinceAlarm >= window && windowMae() <= referenceMae * (1 + recoveryTolerance)) {
                drift = DriftState.RECOVERED;
                referenceMae = Double.NaN;
            }
        }
    }

    /** The best of the recent full-window MAEs: the detector fires within a window or two, so this predates the drift. */
    private double preDriftLevel() {
        double best = Double.NaN;
        for (double v : recentWindowMae) {
            if (!Double.isNaN(v) && (Double.isNaN(best) || v < best)) {
                best = v;
            }
        }
        return Double.isNaN(best) ? detector.mean() : best;
    }

    private void resumWindow() {
        double sq = 0;
        double abs = 0;
        for (int i = 0; i < filled; i++) {
            sq += sqErrors[i];
            abs += absErrors[i];
        }
        windowSq = sq;
        windowAbs = abs;
        sinceRecompute = 0;
    }

    public long count() {
        return count;
    }

    public double windowRmse() {
        return filled == 0 ? Double.NaN : Math.sqrt(Math.max(0, windowSq) / filled);
    }

    public double windowMae() {
        return filled == 0 ? Double.NaN : Math.max(0, windowAbs) / filled;
    }

    public double cumulativeRmse() {
        return count == 0 ? Double.NaN : Math.sqrt(totalSq / count);
    }

    public double cumulativeMae() {
        return count == 0 ? Double.NaN : totalAbs / count;
    }

    public double coldStartShare() {
        return count == 0 ? 0 : (double) coldStarts / count;
    }

    /** Events per wall-clock second between the first and the latest record. */
    public double eventsPerSecond() {
        long elapsed = lastWallMs - firstWallMs;
        return elapsed <= 0 ? 0 : (count - countAtStart) * 1000.0 / elapsed;
    }

    public DriftState drift() {
        return drift;
    }

    public long driftEvents() {
        return driftEvents;
    }

    /**
     * Everything the evaluator knows about the stream so far, to carry across a restart: counts and sums, the error
     * window (oldest first), the drift state and the detector's. Wall-clock rates are not carried: they restart.
     */
    public record State(long count, long coldStarts, double totalSq, double totalAbs, long newestEventTimeMs,
                        double[] windowSq, double[] windowAbs, DriftState drift, long driftEvents, double referenceMae,
                        long eventsSinceAlarm, double[] recentWindowMae, double[] detector) {
        public State {
            Objects.requireNonNull(drift, "drift");
            if (windowSq.length != windowAbs.length) {
                throw new IllegalArgumentException("window arrays differ in length: " + windowSq.length + " vs " + windowAbs.length);
            }
        }
    }

    public State state() {
        double[] sq = new double[filled];
        double[] abs = new double[filled];
        int oldest = filled == window ? head : 0;
        for (int i = 0; i < filled; i++) {
            int j = (oldest + i) % window;
            sq[i] = sqErrors[j];
            abs[i] = absErrors[j];
        }
        double[] recent = new double[recentWindowMae.length];
        for (int i = 0; i < recent.length; i++) {
            recent[i] = recentWindowMae[(recentHead + i) % recentWindowMae.length];
        }
        return new State(count, coldStarts, totalSq, totalAbs, newestEventTimeMs, sq, abs, drift, driftEvents, referenceMae,
                eventsSinceAlarm, recent, detector.state());
    }

    /** Continues from {@link #state()}; only on a fresh evaluator. A state from a longer window keeps its newest part. */
    public void restore(State s) {
        if (count != 0) {
            throw new IllegalStateException("restore an evaluator before it records anything (it has " + count + " events)");
        }
        count = s.count();
        countAtStart = s.count();
        coldStarts = s.coldStarts();
        totalSq = s.totalSq();
        totalAbs = s.totalAbs();
        newestEventTimeMs = s.newestEventTimeMs();
        int n = Math.min(window, s.windowSq().length);
        int skip = s.windowSq().length - n;
        for (int i = 0; i < n; i++) {
            sqErrors[i] = s.windowSq()[skip + i];
            absErrors[i] = s.windowAbs()[skip + i];
        }
        filled = n;
        head = n % window;
        resumWindow();
        drift = s.drift();
        driftEvents = s.driftEvents();
        referenceMae = s.referenceMae();
        eventsSinceAlarm = s.eventsSinceAlarm();
        java.util.Arrays.fill(recentWindowMae, Double.NaN);
        int r = Math.min(recentWindowMae.length, s.recentWindowMae().length);
        System.arraycopy(s.recentWindowMae(), s.recentWindowMae().length - r, recentWindowMae, recentWindowMae.length - r, r);
        recentHead = 0;
        detector.restore(s.detector());
    }

    public PrequentialMetrics snapshot() {
        return new PrequentialMetrics(source, newestEventTimeMs, clockMs.getAsLong(), count, filled, windowRmse(),
                windowMae(), cumulativeRmse(), cumulativeMae(), coldStartShare(), eventsPerSecond(), drift, driftEvents);
    }
}
