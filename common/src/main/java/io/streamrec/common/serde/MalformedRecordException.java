package io.streamrec.common.serde;

import io.streamrec.common.event.RejectReason;
import org.apache.kafka.common.errors.SerializationException;

/**
 * A record that cannot be decoded, with a typed reason. It extends Kafka's {@link SerializationException} so Kafka
 * Streams' deserialization handlers and consumers treat it as the poison pill it is.
 */
public class MalformedRecordException extends SerializationException {

    private final RejectReason reason;

    public MalformedRecordException(RejectReason reason, String message) {
        super(reason + ": " + message);
        this.reason = reason;
    }

    public MalformedRecordException(RejectReason reason, String message, Throwable cause) {
        super(reason + ": " + message, cause);
        this.reason = reason;
    }

    public RejectReason reason() {
        return reason;
    }
}
