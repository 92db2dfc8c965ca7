package io.streamrec.ingest.replay;

/** A replay that cannot go on (Kafka unreachable, events not acknowledged); the message is meant for users. */
public class ReplayException extends RuntimeException {
    public ReplayException(String message) {
        super(message);
    }

    public ReplayException(String message, Throwable cause) {
        super(message, cause);
    }
}
