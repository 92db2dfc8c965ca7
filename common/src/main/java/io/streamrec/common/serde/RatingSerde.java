package io.streamrec.common.serde;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.streamrec.common.event.Rating;
import io.streamrec.common.event.RejectReason;

import java.nio.ByteBuffer;

/**
 * The {@code ratings} value format. Writes the compact binary v1 layout
 * {@code [version=1][user:i64][item:i64][rating:f32][timestampMs:i64]} (29 bytes, big-endian). Reads that, and also
 * a plain JSON object such as {@code {"user":42,"item":31,"rating":4.5,"ts":1260759144000}} so any Kafka client can
 * produce ratings. The two never collide: our version bytes are small integers, JSON starts with '{' (after optional
 * whitespace), and anything else is garbage.
 */
public final class RatingSerde extends BinarySerde<Rating> {

    public static final byte VERSION = 1;
    public static final int V1_SIZE = 1 + 8 + 8 + 4 + 8;
    /** No valid JSON rating is anywhere near this long; larger values are refused before parsing. */
    public static final int MAX_JSON_BYTES = 4096;

    /**
     * Strict where leniency would train on a guess: a duplicated key ({@code {"user":46,"user":47}}) or text after
     * the object make the record ambiguous, so it goes to the DLQ instead of being read as its last or first value.
     */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    @Override
    public byte[] encode(Rating r) {
        return ByteBuffer.allocate(V1_SIZE).put(VERSION).putLong(r.user()).putLong(r.item())
                .putFloat(r.rating()).putLong(r.timestampMs()).array();
    }

    @Override
    public Rating decode(byte[] bytes) {
        if (bytes.length == 0) {
            throw new MalformedRecordException(RejectReason.EMPTY, "empty rating record");
        }
        int first = firstNonWhitespace(bytes);
        if (first >= 0 && bytes[first] == '{') {
            return decodeJson(bytes);
        }
        byte version = bytes[0];
        if (version == VERSION) {
            if (bytes.length != V1_SIZE) {
                throw new MalformedRecordException(RejectReason.TRUNCATED,
                        "binary rating v1 has " + V1_SIZE + " bytes, got " + bytes.length);
            }
            ByteBuffer buf = ByteBuffer.wrap(bytes, 1, V1_SIZE - 1);
            return new Rating(buf.getLong(), buf.getLong(), buf.getFloat(), buf.getLong());
        }
        if (version >= 2 && version <= 15) {
            // Reserved for future binary layouts: say so rather than calling it garbage.
            throw new MalformedRecordException(RejectReason.UNKNOWN_VERSION,
                    "rating format version " + version + " is not supported (this build reads 1 and JSON)");
        }
        if (bytes.length > MAX_JSON_BYTES) {
            throw new MalformedRecordException(RejectReason.TOO_LARGE, "rating value of " + bytes.length + " bytes");
        }
        throw new MalformedRecordException(RejectReason.GARBAGE,
                "neither binary rating v1 nor a JSON object (first byte 0x" + Integer.toHexString(version & 0xff) + ")");
    }

    private static Rating decodeJson(byte[] bytes) {
        if (bytes.length > MAX_JSON_BYTES) {
            throw new MalformedRecordException(RejectReason.TOO_LARGE, "JSON rating of " + bytes.length + " bytes");
        }
        JsonNode node;
        try {
            node = JSON.readTree(bytes);
        } catch (java.io.IOException e) {
            throw new MalformedRecordException(RejectReason.MALFORMED_JSON, "unparseable JSON: " + firstLine(e), e);
        }
        if (node == null || !node.isObject()) {
            throw new MalformedRecordException(RejectReason.MALFORMED_JSON, "JSON rating must be an object");
        }
        JsonNode v = node.get("v");
        if (v != null && !(v.canConvertToInt() && v.asInt() == 1)) {
            throw new MalformedRecordException(RejectReason.UNKNOWN_VERSION, "JSON rating version " + v + " is not supported");
        }
        long user = id(node, "user");
        long item = id(node, "item");
        JsonNode rating = field(node, "rating");
        float value;
        if (rating.isNumber()) {
            value = rating.floatValue();
        } else if (rating.isTextual()) {
            // Jackson cannot write NaN as a number; some producers send it as a string. Accept the text, then
            // judge the value like any other.
            try {
                value = Float.parseFloat(rating.asText());
            } catch (NumberFormatException e) {
                throw new MalformedRecordException(RejectReason.BAD_RATING, "rating '" + rating.asText() + "' is not a number");
            }
        } else {
            throw new MalformedRecordException(RejectReason.BAD_RATING, "rating must be a number, got " + rating.getNodeType());
        }
        if (node.has("ts") && node.has("timestamp")) {
            throw new MalformedRecordException(RejectReason.MALFORMED_JSON, "JSON rating has both 'ts' and 'timestamp': which is the event time?");
        }
        JsonNode ts = node.has("ts") ? node.get("ts") : node.get("timestamp");
        if (ts == null || !ts.canConvertToLong() || !ts.isIntegralNumber()) {
            throw new MalformedRecordException(RejectReason.BAD_TIMESTAMP, "JSON rating needs an integer 'ts' (epoch ms)");
        }
        return new Rating(user, item, value, ts.longValue());
    }

    private static JsonNode field(JsonNode node, String name) {
        JsonNode f = node.get(name);
        if (f == null || f.isNull()) {
            throw new MalformedRecordException(RejectReason.MALFORMED_JSON, "JSON rating lacks '" + name + "'");
        }
        return f;
    }

    private static long id(JsonNode node, String name) {
        JsonNode f = field(node, name);
        if (!f.isIntegralNumber() || !f.canConvertToLong()) {
            throw new MalformedRecordException(RejectReason.BAD_ID, "'" + name + "' must be a 64-bit integer, got " + f);
        }
        return f.longValue();
    }

    private static int firstNonWhitespace(byte[] bytes) {
        for (int i = 0; i < bytes.length && i < 64; i++) {
            byte b = bytes[i];
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return i;
            }
        }
        return -1;
    }

    private static String firstLine(Exception e) {
        String m = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }
}
