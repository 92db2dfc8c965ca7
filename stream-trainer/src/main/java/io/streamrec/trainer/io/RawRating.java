package io.streamrec.trainer.io;

/**
 * A {@code ratings} record exactly as it came off Kafka, before any decoding, with its origin: parsing happens in
 * the job (not in the source's deserializer) so bad records can go to the DLQ with their bytes and coordinates.
 *
 * @param key   the original key bytes (may be null: plain producers often send none)
 * @param value the original value bytes (null for a tombstone)
 */
public record RawRating(String topic, int partition, long offset, long timestampMs, byte[] key, byte[] value)
        implements java.io.Serializable {
}
