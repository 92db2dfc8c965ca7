package io.streamrec.common.serde;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamrec.common.event.RejectReason;

import java.io.IOException;

/**
 * Versioned JSON for low-volume topics (metadata, metrics, recommendations, dead letters), where being readable with
 * {@code kafka-console-consumer} beats compactness. Every value is an object with {@code "v"} first: 1, or the
 * type's {@link FormatVersion}; readers refuse any version outside what the type can read.
 */
public final class JsonSerde<T> extends BinarySerde<T> {

    public static final int VERSION = 1;
    /** Shared mapper: NaN allowed because RMSE of an empty window is NaN, unknown fields refused to catch drift. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(com.fasterxml.jackson.core.json.JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(com.fasterxml.jackson.core.json.JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private final Class<T> type;
    private final int version;
    private final int oldestReadable;

    public JsonSerde(Class<T> type) {
        this.type = type;
        FormatVersion f = type.getAnnotation(FormatVersion.class);
        this.version = f == null ? VERSION : f.current();
        this.oldestReadable = f == null ? VERSION : f.oldestReadable();
    }

    /** The version this serde writes. */
    public int version() {
        return version;
    }

    @Override
    public byte[] encode(T value) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("v", version);
        node.setAll((ObjectNode) MAPPER.valueToTree(value));
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode " + type.getSimpleName(), e);
        }
    }

    @Override
    public T decode(byte[] bytes) {
        if (bytes.length == 0) {
            throw new MalformedRecordException(RejectReason.EMPTY, "empty " + type.getSimpleName() + " record");
        }
        JsonNode tree;
        try {
            tree = MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new MalformedRecordException(RejectReason.GARBAGE, type.getSimpleName() + " is not JSON", e);
        }
        if (tree == null || !tree.isObject()) {
            throw new MalformedRecordException(RejectReason.MALFORMED_JSON, type.getSimpleName() + " must be a JSON object");
        }
        JsonNode v = tree.get("v");
        if (v == null || !v.isInt()) {
            throw new MalformedRecordException(RejectReason.UNKNOWN_VERSION, type.getSimpleName() + " has no format version");
        }
        if (v.intValue() < oldestReadable || v.intValue() > version) {
            throw new MalformedRecordException(RejectReason.UNKNOWN_VERSION, type.getSimpleName() + " format version "
                    + v.intValue() + " is not supported (this build reads " + (oldestReadable == version ? "" + version
                    : oldestReadable + " to " + version) + ")");
        }
        ((ObjectNode) tree).remove("v");
        try {
            return MAPPER.treeToValue(tree, type);
        } catch (IOException | IllegalArgumentException e) {
            throw new MalformedRecordException(RejectReason.MALFORMED_JSON,
                    "bad " + type.getSimpleName() + ": " + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }
}
