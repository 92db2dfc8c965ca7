package io.streamrec.ingest.replay;

/** How a replay shows progress. */
public enum ProgressMode {
    /** A progress bar on a terminal, periodic log lines otherwise. */
    AUTO,
    /** Always the progress bar (on stderr). */
    BAR,
    /** Periodic log lines. */
    LOG,
    /** Nothing until the summary. */
    NONE
}
