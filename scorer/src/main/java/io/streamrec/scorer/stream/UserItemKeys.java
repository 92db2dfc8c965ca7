package io.streamrec.scorer.stream;

import org.apache.kafka.common.utils.Bytes;

import java.nio.ByteBuffer;

/**
 * Composite keys {@code [a:i64][b:i64]}, big-endian, for stores scanned by their first half: (user, item) lists what
 * a user rated, (item, user) lists an item's fans. Ids are non-negative (validated), so byte order is numeric order
 * and a prefix scan on the first id returns exactly its entries.
 */
public final class UserItemKeys {

    private UserItemKeys() {
    }

    public static Bytes pair(long first, long second) {
        return Bytes.wrap(ByteBuffer.allocate(16).putLong(first).putLong(second).array());
    }

    public static Bytes prefix(long first) {
        return Bytes.wrap(ByteBuffer.allocate(8).putLong(first).array());
    }

    public static long first(Bytes key) {
        return ByteBuffer.wrap(key.get()).getLong(0);
    }

    public static long second(Bytes key) {
        return ByteBuffer.wrap(key.get()).getLong(8);
    }

    /** Value of the rated-items store: {@code [rating:f32][timestampMs:i64]}. */
    public static byte[] ratingValue(float rating, long timestampMs) {
        return ByteBuffer.allocate(12).putFloat(rating).putLong(timestampMs).array();
    }

    public static float rating(byte[] value) {
        return ByteBuffer.wrap(value).getFloat(0);
    }

    public static long timestamp(byte[] value) {
        return value.length >= 12 ? ByteBuffer.wrap(value).getLong(4) : 0L;
    }
}
