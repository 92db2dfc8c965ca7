package io.streamrec.gpu;

/**
 * No usable GPU: the message says what is missing (the driver, a CUDA 13 library, a device) and is meant to be shown to
 * the operator as is, without a stack trace. An {@link IllegalStateException} so the model's loader passes it through.
 */
public final class GpuUnavailableException extends IllegalStateException {

    public GpuUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
