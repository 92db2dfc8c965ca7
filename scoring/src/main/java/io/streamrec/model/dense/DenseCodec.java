package io.streamrec.model.dense;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The versioned binary form of {@link DenseParameters}, for checkpoints, the subtask exchange and the published
 * model record. Big-endian:
 *
 * <pre>
 *   [version u8 = 1][fingerprint: u16 length, UTF-8][steps i64][tensor count u16]
 *   per tensor: [name: u16 length, UTF-8][rank u8][rank × i32 dims][values f32 ...]
 *   [CRC32 of everything before, i32]
 * </pre>
 *
 * Decoding checks the version first and then the fingerprint against the one the reader expects, so a restore or
 * a reader under other model settings refuses with an error naming both, instead of reinterpreting the floats. The
 * checksum catches truncated or corrupted payloads.
 */
public final class DenseCodec {

    public static final byte VERSION = 1;

    private static final int MAX_TENSORS = 1 << 12;
    private static final int MAX_RANK = 8;

    private DenseCodec() {
    }

    public static byte[] encode(DenseParameters p) {
        byte[] fp = p.fingerprint().getBytes(StandardCharsets.UTF_8);
        requireU16("fingerprint", fp.length);
        List<DenseParameters.Tensor> tensors = p.tensors();
        requireU16("tensor count", tensors.size());
        long size = 1 + 2 + fp.length + 8 + 2 + 4;
        List<byte[]> names = new ArrayList<>();
        for (DenseParameters.Tensor t : tensors) {
            byte[] name = t.name().getBytes(StandardCharsets.UTF_8);
            requireU16("tensor name", name.length);
            names.add(name);
            size += 2 + name.length + 1 + 4L * t.shapeView().length + 4L * t.size();
        }
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("dense parameters too large to encode: " + size + " bytes");
        }
        ByteBuffer b = ByteBuffer.allocate((int) size).order(ByteOrder.BIG_ENDIAN);
        b.put(VERSION);
        b.putShort((short) fp.length).put(fp);
        b.putLong(p.steps());
        b.putShort((short) tensors.size());
        for (int k = 0; k < tensors.size(); k++) {
            DenseParameters.Tensor t = tensors.get(k);
            b.putShort((short) names.get(k).length).put(names.get(k));
            int[] shape = t.shapeView();
            b.put((byte) shape.length);
            for (int s : shape) {
                b.putInt(s);
            }
            b.asFloatBuffer().put(t.valuesView());
            b.position(b.position() + 4 * t.size());
        }
        CRC32 crc = new CRC32();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue());
        return b.array();
    }

    /**
     * Decodes and checks that the parameters belong to {@code expectedFingerprint} (null accepts any, for tools that
     * only inspect).
     *
     * @throws IncompatibleDenseParametersException on another format version or fingerprint
     * @throws IllegalArgumentException             on a truncated or corrupted payload
     */
    public static DenseParameters decode(byte[] bytes, String expectedFingerprint) {
        if (bytes == null || bytes.length == 0) {
            throw new IllegalArgumentException("dense parameters: empty payload");
        }
        if (bytes[0] != VERSION) {
            throw new IncompatibleDenseParametersException("dense parameters are in format version " + (bytes[0] & 0xff)
                    + " but this build reads version " + VERSION);
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
        try {
            b.get();
            // Checksum before anything is believed: a corrupted fingerprint must read as corruption, not as a mismatch.
            if (bytes.length < 1 + 2 + 8 + 2 + 4) {
                throw new IllegalArgumentException("dense parameters: truncated payload of " + bytes.length + " bytes");
            }
            CRC32 crc = new CRC32();
            crc.update(bytes, 0, bytes.length - 4);
            int stored = ByteBuffer.wrap(bytes, bytes.length - 4, 4).order(ByteOrder.BIG_ENDIAN).getInt();
            if (stored != (int) crc.getValue()) {
                throw new IllegalArgumentException("dense parameters: checksum mismatch (" + bytes.length
                        + " bytes; truncated or corrupted)");
            }
            String fingerprint = utf8(b);
            if (expectedFingerprint != null && !expectedFingerprint.equals(fingerprint)) {
                throw new IncompatibleDenseParametersException("dense parameters were written by model '" + fingerprint
                        + "' but this model is '" + expectedFingerprint + "'; restore with the settings that wrote them"
                        + " or start fresh");
            }
            long steps = b.getLong();
            int count = Short.toUnsignedInt(b.getShort());
            if (count > MAX_TENSORS) {
                throw new IllegalArgumentException("dense parameters: " + count + " tensors is more than " + MAX_TENSORS);
            }
            List<DenseParameters.Tensor> tensors = new ArrayList<>(count);
            for (int k = 0; k < count; k++) {
                String name = utf8(b);
                int rank = Byte.toUnsignedInt(b.get());
                if (rank > MAX_RANK) {
                    throw new IllegalArgumentException("dense parameters: tensor " + name + " has rank " + rank);
                }
                int[] shape = new int[rank];
                long size = 1;
                for (int d = 0; d < rank; d++) {
                    shape[d] = b.getInt();
                    if (shape[d] < 0) {
                        throw new IllegalArgumentException("dense parameters: tensor " + name + " has a negative dimension");
                    }
                    size *= shape[d];
                }
                if (size * 4 > b.remaining() - 4L) {
                    throw new IllegalArgumentException("dense parameters: tensor " + name + " needs " + size
                            + " floats but only " + (b.remaining() - 4) + " bytes remain");
                }
                float[] values = new float[(int) size];
                b.asFloatBuffer().get(values);
                b.position(b.position() + 4 * values.length);
                tensors.add(new DenseParameters.Tensor(name, shape, values));
            }
            if (b.remaining() != 4) {
                throw new IllegalArgumentException("dense parameters: " + (b.remaining() - 4) + " unexpected trailing bytes");
            }
            return new DenseParameters(fingerprint, steps, tensors);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("dense parameters: truncated payload of " + bytes.length + " bytes", e);
        }
    }

    private static String utf8(ByteBuffer b) {
        int n = Short.toUnsignedInt(b.getShort());
        if (n > b.remaining()) {
            throw new BufferUnderflowException();
        }
        byte[] s = new byte[n];
        b.get(s);
        return new String(s, StandardCharsets.UTF_8);
    }

    private static void requireU16(String what, int n) {
        if (n > 0xffff) {
            throw new IllegalArgumentException(what + " too long to encode: " + n);
        }
    }

    /** Parameters of another model or format: a configuration mismatch the operator must resolve, not corruption. */
    public static final class IncompatibleDenseParametersException extends IllegalStateException {
        public IncompatibleDenseParametersException(String message) {
            super(message);
        }
    }
}
