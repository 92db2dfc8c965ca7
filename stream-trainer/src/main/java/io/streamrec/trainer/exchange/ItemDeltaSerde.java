package io.streamrec.trainer.exchange;

import io.streamrec.common.event.RejectReason;
import io.streamrec.common.serde.MalformedRecordException;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Encodes and decodes the messages of the internal exchange topic (the Kafka source side is
 * {@link io.streamrec.trainer.io.ItemDeltaDeserializer}). Wire formats:
 * <ul>
 *   <li>version 1 (item deltas only; still decoded):
 *       {@code [1][originLen:u16][origin:utf8][sequence:i64][ratingCount:i64][ratingSum:f64][ratingMin:f32][ratingMax:f32][width:i32][n:i32]
 *       [n × (item:i64, width × f32)]}</li>
 *   <li>version 2 (written): {@code [2][type:u8]} then, for type {@link #TYPE_ITEM_DELTA} (1), the version-1 body
 *       after its version byte; for type {@link #TYPE_DENSE_WEIGHTS} (2),
 *       {@code [originLen:u16][origin:utf8][sequence:i64][len:i32][len bytes of DenseCodec]}.</li>
 * </ul>
 * An unknown version or message type is refused with {@link RejectReason#UNKNOWN_VERSION}, naming what it got and
 * what this trainer reads.
 */
public final class ItemDeltaSerde {

    /** The version written. */
    public static final byte VERSION = 2;
    /** Version 1: item deltas without a type byte. */
    static final byte VERSION_1 = 1;
    public static final byte TYPE_ITEM_DELTA = 1;
    public static final byte TYPE_DENSE_WEIGHTS = 2;

    private ItemDeltaSerde() {
    }

    public static byte[] encode(ExchangeMessage m) {
        if (m instanceof ItemDelta d) {
            return encodeDelta(d);
        }
        return encodeWeights((DenseWeights) m);
    }

    private static byte[] encodeDelta(ItemDelta d) {
        byte[] origin = d.origin().getBytes(StandardCharsets.UTF_8);
        int n = d.size();
        ByteBuffer buf = ByteBuffer.allocate(2 + 2 + origin.length + 8 + 8 + 8 + 4 + 4 + 4 + 4 + n * (8 + 4 * d.width()));
        buf.put(VERSION).put(TYPE_ITEM_DELTA).putShort((short) origin.length).put(origin).putLong(d.sequence())
                .putLong(d.ratingCount()).putDouble(d.ratingSum()).putFloat(d.ratingMin()).putFloat(d.ratingMax())
                .putInt(d.width()).putInt(n);
        float[] deltas = d.deltas();
        for (int i = 0; i < n; i++) {
            buf.putLong(d.items()[i]);
            for (int j = 0, base = i * d.width(); j < d.width(); j++) {
                buf.putFloat(deltas[base + j]);
            }
        }
        return buf.array();
    }

    private static byte[] encodeWeights(DenseWeights w) {
        byte[] origin = w.origin().getBytes(StandardCharsets.UTF_8);
        byte[] enc = w.encoded();
        ByteBuffer buf = ByteBuffer.allocate(2 + 2 + origin.length + 8 + 4 + enc.length);
        buf.put(VERSION).put(TYPE_DENSE_WEIGHTS).putShort((short) origin.length).put(origin).putLong(w.sequence())
                .putInt(enc.length).put(enc);
        return buf.array();
    }

    /** Any exchange message, of version 1 or 2. */
    public static ExchangeMessage decode(byte[] bytes) {
        try {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            byte version = buf.get();
            if (version == VERSION_1) {
                return decodeDeltaBody(buf);
            }
            if (version != VERSION) {
                throw new MalformedRecordException(RejectReason.UNKNOWN_VERSION, "exchange message version " + version
                        + " (this trainer reads versions " + VERSION_1 + " and " + VERSION + ")");
            }
            byte type = buf.get();
            return switch (type) {
                case TYPE_ITEM_DELTA -> decodeDeltaBody(buf);
                case TYPE_DENSE_WEIGHTS -> decodeWeightsBody(buf);
                default -> throw new MalformedRecordException(RejectReason.UNKNOWN_VERSION, "exchange message type " + type
                        + " of version " + VERSION + " is unknown (this trainer reads " + TYPE_ITEM_DELTA + " item delta, "
                        + TYPE_DENSE_WEIGHTS + " dense weights)");
            };
        } catch (java.nio.BufferUnderflowException e) {
            throw new MalformedRecordException(RejectReason.TRUNCATED, "exchange message of " + bytes.length + " bytes is truncated");
        }
    }

    /** An item delta: refuses any other message type. */
    public static ItemDelta decodeDelta(byte[] bytes) {
        ExchangeMessage m = decode(bytes);
        if (m instanceof ItemDelta d) {
            return d;
        }
        throw new MalformedRecordException(RejectReason.GARBAGE, "expected an item delta, got " + m);
    }

    private static String origin(ByteBuffer buf) {
        byte[] origin = new byte[Short.toUnsignedInt(buf.getShort())];
        buf.get(origin);
        return new String(origin, StandardCharsets.UTF_8);
    }

    private static ItemDelta decodeDeltaBody(ByteBuffer buf) {
        String origin = origin(buf);
        long seq = buf.getLong();
        long ratingCount = buf.getLong();
        double ratingSum = buf.getDouble();
        float ratingMin = buf.getFloat();
        float ratingMax = buf.getFloat();
        int width = buf.getInt();
        int n = buf.getInt();
        if (width < 1 || n < 0 || (long) n * (8 + 4L * width) != buf.remaining()) {
            throw new MalformedRecordException(RejectReason.TRUNCATED,
                    "item delta of " + n + " rows × " + width + " floats does not match " + buf.remaining() + " bytes");
        }
        long[] items = new long[n];
        float[] deltas = new float[n * width];
        for (int i = 0; i < n; i++) {
            items[i] = buf.getLong();
            for (int j = 0; j < width; j++) {
                deltas[i * width + j] = buf.getFloat();
            }
        }
        return new ItemDelta(origin, seq, width, items, deltas, ratingCount, ratingSum, ratingMin, ratingMax);
    }

    private static DenseWeights decodeWeightsBody(ByteBuffer buf) {
        String origin = origin(buf);
        long seq = buf.getLong();
        int len = buf.getInt();
        if (len < 0 || len != buf.remaining()) {
            throw new MalformedRecordException(RejectReason.TRUNCATED,
                    "dense weights of " + len + " bytes do not match the " + buf.remaining() + " bytes left");
        }
        byte[] enc = new byte[len];
        buf.get(enc);
        return new DenseWeights(origin, seq, enc);
    }
}
