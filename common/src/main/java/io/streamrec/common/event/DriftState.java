package io.streamrec.common.event;

/** Where the drift detector stands on the prequential error stream. */
public enum DriftState {
    /** Error is at its usual level. */
    STABLE,
    /** The detector fired: error has risen significantly. */
    DRIFT,
    /** After a drift, the windowed error came back to within tolerance of its pre-drift level. */
    RECOVERED
}
