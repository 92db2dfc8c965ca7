package io.streamrec.model.eval;

/** A change detector fed one error value per event. */
public interface DriftDetector {

    /** Feeds one observation; returns true when this observation raises an alarm (the detector then resets itself). */
    boolean update(double value);

    /** Mean of the observations since the last reset: the error level the detector considered normal. */
    double mean();

    void reset();

    /** Everything the detector has accumulated, to carry it across a restart. */
    double[] state();

    /** Continues from {@link #state()} of a detector of the same kind and settings. */
    void restore(double[] state);
}
