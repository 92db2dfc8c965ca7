package io.streamrec.ingest;

import io.streamrec.common.event.RejectReason;

/** One refused input line: why, where ({@code file:line}), what was wrong, and the line itself. */
public record Reject(RejectReason reason, String file, long line, String detail, String text) {

    public String location() {
        return file + ":" + line;
    }

    @Override
    public String toString() {
        return location() + ": " + reason + " (" + detail + "): " + text;
    }
}
