package io.streamrec.model.eval;

/**
 * Page-Hinkley test for an increase in the mean of a stream (here: the absolute prequential error). It tracks
 * {@code m_t = Σ (x_i − x̄_i − δ)} and its running minimum {@code M_t}; an alarm is raised when {@code m_t − M_t > λ}.
 * δ is the magnitude of change tolerated; λ trades detection delay for false alarms. Resets itself after an alarm.
 */
public final class PageHinkley implements DriftDetector {

    private final double delta;
    private final double lambda;
    private final int minInstances;
    private long n;
    private double mean;
    private double cumulative;
    private double minimum;

    public PageHinkley(double delta, double lambda, int minInstances) {
        if (!(delta >= 0) || !Double.isFinite(delta)) {
            throw new IllegalArgumentException("delta must be finite and >= 0, got " + delta);
        }
        if (!(lambda > 0) || !Double.isFinite(lambda)) {
            throw new IllegalArgumentException("lambda must be finite and > 0, got " + lambda);
        }
        if (minInstances < 1) {
            throw new IllegalArgumentException("minInstances must be >= 1, got " + minInstances);
        }
        this.delta = delta;
        this.lambda = lambda;
        this.minInstances = minInstances;
    }

    /** Defaults for absolute rating errors on a 5-star scale (typical |e| ≈ 0.75). */
    public static PageHinkley forRatingErrors() {
        return new PageHinkley(0.05, 100.0, 500);
    }

    @Override
    public boolean update(double x) {
        if (!Double.isFinite(x)) {
            return false;
        }
        n++;
        mean += (x - mean) / n;
        cumulative += x - mean - delta;
        minimum = Math.min(minimum, cumulative);
        if (n >= minInstances && cumulative - minimum > lambda) {
            reset();
            return true;
        }
        return false;
    }

    @Override
    public double mean() {
        return mean;
    }

    @Override
    public void reset() {
        n = 0;
        mean = 0;
        cumulative = 0;
        minimum = 0;
    }
}
