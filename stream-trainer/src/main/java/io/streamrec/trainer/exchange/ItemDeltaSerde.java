package io.streamrec.trainer.exchange;

import io.streamrec.common.event.RejectReason;
import io.streamrec.common.serde.MalformedRecordException;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Encodes and decodes item deltas for the internal exchange topic (the Kafka source side is
 * {@link io.streamrec.trainer.io.ItemDeltaDeserializer}). Wire format of the internal item-exchange topic:
 * {@code [version=1][originLen:u16][origin:utf8][sequence:i64][ratingCount:i64][ratingSum:f64][ratingMin:f32][ratingMax:f32][width:i32][n:i32]
 * [n × (item:i64, width × f32)]}.
 */
public final class ItemDeltaSerde {

    public static final byte VERSION = 1;

    private ItemDeltaSerde() {
    }

    public static byte[] encode(ItemDelta d) {
        byte[] origin = d.origin().getBytes(StandardCharsets.UTF_8);
        int n = d.size();
        ByteBuffer buf = ByteBuffer.allocate(1 + 2 + origin.length + 8 + 8 + 8 + 4 + 4 + 4 + 4 + n * (8 + 4 * d.width()));
        buf.put(VERSION).putShort((short) origin.length).put(origin).putLong(d.sequence())
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

    public static ItemDelta decode(byte[] bytes) {
        try {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            if (buf.get() != VERSION) {
                throw new MalformedRecordException(RejectReason.UNKNOWN_VERSION, "item delta version " + bytes[0]);
            }
            byte[] origin = new byte[Short.toUnsignedInt(buf.getShort())];
            buf.get(origin);
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
            return new ItemDelta(new String(origin, StandardCharsets.UTF_8), seq, width, items, deltas, ratingCount, ratingSum, ratingMin, ratingMax);
        } catch (java.nio.BufferUnderflowException e) {
            throw new MalformedRecordException(RejectReason.TRUNCATED, "item delta of " + bytes.length + " bytes is truncated");
        }
    }
}
