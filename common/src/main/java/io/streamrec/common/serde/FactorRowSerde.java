package io.streamrec.common.serde;

import io.streamrec.common.event.FactorRow;
import io.streamrec.common.event.RejectReason;

import java.nio.ByteBuffer;

/**
 * {@code [version=1][modelVersion:i64][bias:f32][eventTimeMs:i64][dim:u16][dim × f32]}, big-endian. The dimension
 * is bounded so a corrupt length cannot make a reader allocate gigabytes.
 */
public final class FactorRowSerde extends BinarySerde<FactorRow> {

    public static final byte VERSION = 1;
    public static final int HEADER = 1 + 8 + 4 + 8 + 2;
    public static final int MAX_DIM = 4096;

    @Override
    public byte[] encode(FactorRow row) {
        float[] v = row.vector();
        if (v.length > MAX_DIM) {
            throw new IllegalArgumentException("factor dimension " + v.length + " exceeds " + MAX_DIM);
        }
        ByteBuffer buf = ByteBuffer.allocate(HEADER + 4 * v.length).put(VERSION).putLong(row.modelVersion())
                .putFloat(row.bias()).putLong(row.eventTimeMs()).putShort((short) v.length);
        for (float x : v) {
            buf.putFloat(x);
        }
        return buf.array();
    }

    @Override
    public FactorRow decode(byte[] bytes) {
        requireVersion(bytes, VERSION, "factor row");
        if (bytes.length < HEADER) {
            throw new MalformedRecordException(RejectReason.TRUNCATED, "factor row header needs " + HEADER + " bytes, got " + bytes.length);
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes, 1, bytes.length - 1);
        long version = buf.getLong();
        float bias = buf.getFloat();
        long ts = buf.getLong();
        int dim = Short.toUnsignedInt(buf.getShort());
        if (dim > MAX_DIM) {
            throw new MalformedRecordException(RejectReason.GARBAGE, "factor dimension " + dim + " exceeds " + MAX_DIM);
        }
        if (bytes.length != HEADER + 4 * dim) {
            throw new MalformedRecordException(RejectReason.TRUNCATED,
                    "factor row of dim " + dim + " has " + (HEADER + 4 * dim) + " bytes, got " + bytes.length);
        }
        float[] v = new float[dim];
        for (int i = 0; i < dim; i++) {
            v[i] = buf.getFloat();
        }
        return new FactorRow(version, bias, v, ts);
    }
}
