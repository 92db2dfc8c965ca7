package io.streamrec.common.serde;

import io.streamrec.common.event.FactorKey;
import io.streamrec.common.event.FactorKind;
import io.streamrec.common.event.RejectReason;

import java.nio.ByteBuffer;

/** {@code [version=1][kind:'U'|'I'|'G'][id:i64]}: 10 bytes, so compaction keys one row per user/item. */
public final class FactorKeySerde extends BinarySerde<FactorKey> {

    public static final byte VERSION = 1;
    public static final int SIZE = 10;

    @Override
    public byte[] encode(FactorKey key) {
        return ByteBuffer.allocate(SIZE).put(VERSION).put(key.kind().code()).putLong(key.id()).array();
    }

    @Override
    public FactorKey decode(byte[] bytes) {
        requireVersion(bytes, VERSION, "factor key");
        if (bytes.length != SIZE) {
            throw new MalformedRecordException(RejectReason.TRUNCATED, "factor key has " + SIZE + " bytes, got " + bytes.length);
        }
        FactorKind kind = FactorKind.fromCode(bytes[1]);
        if (kind == null) {
            throw new MalformedRecordException(RejectReason.GARBAGE, "unknown factor kind 0x" + Integer.toHexString(bytes[1] & 0xff));
        }
        long id = ByteBuffer.wrap(bytes, 2, 8).getLong();
        try {
            return new FactorKey(kind, id);
        } catch (IllegalArgumentException e) {
            throw new MalformedRecordException(RejectReason.BAD_ID, e.getMessage());
        }
    }
}
