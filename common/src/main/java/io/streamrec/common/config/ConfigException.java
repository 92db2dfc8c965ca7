package io.streamrec.common.config;

/** A configuration value that is missing, malformed or out of range; the message names the key and its source. */
public class ConfigException extends IllegalArgumentException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
