package io.streamrec.trainer.snapshot;

import io.streamrec.common.event.DriftState;
import io.streamrec.model.GlobalStats;
import io.streamrec.model.eval.PrequentialEvaluator;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One trainer subtask's operator state: its counters, the model's global statistics and its copy of the item table.
 * Kept as one versioned blob in union list state (every subtask gets every blob on restore, whatever the new
 * parallelism), rather than one list entry per item, so a snapshot is a single sequential write.
 */
public record TrainerSnapshot(int subtask, String origin, long lastDeltaSequence, long trained, long batches, GlobalStats global,
                       long[] itemIds, float[][] itemRows, PrequentialEvaluator.State evaluator, String fingerprint,
                       byte[] dense) {

    /**
     * 2 added the prequential evaluator's state (null when read from a version 1 snapshot); 3 the model's fingerprint
     * (null from older snapshots: written by biased MF, the only family then) and its dense parameters
     * ({@link io.streamrec.model.dense.DenseCodec} bytes, empty for a family without any).
     */
    static final int VERSION = 3;

    public TrainerSnapshot {
        dense = dense == null ? new byte[0] : dense;
    }

    /** A snapshot of a model without fingerprint or dense parameters (as versions 1 and 2 read). */
    public TrainerSnapshot(int subtask, String origin, long lastDeltaSequence, long trained, long batches, GlobalStats global,
                           long[] itemIds, float[][] itemRows, PrequentialEvaluator.State evaluator) {
        this(subtask, origin, lastDeltaSequence, trained, batches, global, itemIds, itemRows, evaluator, null, new byte[0]);
    }

    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + itemIds.length * (8 + 4 * (itemRows.length == 0 ? 0 : itemRows[0].length)));
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(VERSION);
            out.writeInt(subtask);
            out.writeUTF(origin);
            out.writeLong(lastDeltaSequence);
            out.writeLong(trained);
            out.writeLong(batches);
            out.writeDouble(global.mean());
            out.writeLong(global.count());
            out.writeFloat(global.minRating());
            out.writeFloat(global.maxRating());
            out.writeInt(itemIds.length);
            out.write(itemTableBytes());
            out.writeBoolean(evaluator != null);
            if (evaluator != null) {
                writeEvaluator(out, evaluator);
            }
            out.writeBoolean(fingerprint != null);
            if (fingerprint != null) {
                out.writeUTF(fingerprint);
            }
            out.writeInt(dense.length);
            out.write(dense);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * The item table as {@link DataOutputStream} writes it (per item: id, row length, the floats, big-endian), filled
     * in one heap buffer: float by float through the stream, whose every byte is a synchronized write, it was 15 % of
     * the DL+ trainer's CPU at 62 k items (a profile of the scale curve), at one snapshot per second.
     */
    private byte[] itemTableBytes() {
        long size = 0;
        for (int i = 0; i < itemIds.length; i++) {
            size += Long.BYTES + Integer.BYTES + (long) Float.BYTES * itemRows[i].length;
        }
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(Math.toIntExact(size));
        for (int i = 0; i < itemIds.length; i++) {
            float[] row = itemRows[i];
            b.putLong(itemIds[i]).putInt(row.length);
            for (float f : row) {
                b.putFloat(f);
            }
        }
        return b.array();
    }

    public static TrainerSnapshot decode(byte[] bytes) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int version = in.readInt();
            if (version < 1 || version > VERSION) {
                throw new IOException("trainer snapshot version " + version + " is not supported (this build reads 1 to " + VERSION + ")");
            }
            int subtask = in.readInt();
            String origin = in.readUTF();
            long lastDeltaSequence = in.readLong();
            long trained = in.readLong();
            long batches = in.readLong();
            GlobalStats g = new GlobalStats(in.readDouble(), in.readLong(), in.readFloat(), in.readFloat());
            int n = in.readInt();
            long[] ids = new long[n];
            float[][] rows = new float[n][];
            for (int i = 0; i < n; i++) {
                ids[i] = in.readLong();
                float[] row = new float[in.readInt()];
                for (int j = 0; j < row.length; j++) {
                    row[j] = in.readFloat();
                }
                rows[i] = row;
            }
            PrequentialEvaluator.State evaluator = version >= 2 && in.readBoolean() ? readEvaluator(in) : null;
            String fingerprint = null;
            byte[] dense = new byte[0];
            if (version >= 3) {
                fingerprint = in.readBoolean() ? in.readUTF() : null;
                int len = in.readInt();
                if (len < 0 || len > 512 * 1024 * 1024) {
                    throw new IOException("implausible dense parameter length " + len + " in trainer snapshot");
                }
                dense = in.readNBytes(len);
                if (dense.length != len) {
                    throw new IOException("trainer snapshot truncated in its dense parameters");
                }
            }
            return new TrainerSnapshot(subtask, origin, lastDeltaSequence, trained, batches, g, ids, rows, evaluator,
                    fingerprint, dense);
        }
    }

    private static void writeEvaluator(DataOutputStream out, PrequentialEvaluator.State e) throws IOException {
        out.writeLong(e.count());
        out.writeLong(e.coldStarts());
        out.writeDouble(e.totalSq());
        out.writeDouble(e.totalAbs());
        out.writeLong(e.newestEventTimeMs());
        writeDoubles(out, e.windowSq());
        writeDoubles(out, e.windowAbs());
        out.writeUTF(e.drift().name());
        out.writeLong(e.driftEvents());
        out.writeDouble(e.referenceMae());
        out.writeLong(e.eventsSinceAlarm());
        writeDoubles(out, e.recentWindowMae());
        writeDoubles(out, e.detector());
    }

    private static PrequentialEvaluator.State readEvaluator(DataInputStream in) throws IOException {
        long count = in.readLong();
        long cold = in.readLong();
        double sq = in.readDouble();
        double abs = in.readDouble();
        long newest = in.readLong();
        double[] windowSq = readDoubles(in);
        double[] windowAbs = readDoubles(in);
        String driftName = in.readUTF();
        DriftState drift;
        try {
            drift = DriftState.valueOf(driftName);
        } catch (IllegalArgumentException e) {
            throw new IOException("unknown drift state '" + driftName + "' in trainer snapshot", e);
        }
        return new PrequentialEvaluator.State(count, cold, sq, abs, newest, windowSq, windowAbs, drift, in.readLong(),
                in.readDouble(), in.readLong(), readDoubles(in), readDoubles(in));
    }

    private static void writeDoubles(DataOutputStream out, double[] v) throws IOException {
        out.writeInt(v.length);
        for (double d : v) {
            out.writeDouble(d);
        }
    }

    private static double[] readDoubles(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 10_000_000) {
            throw new IOException("implausible array length " + n + " in trainer snapshot");
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = in.readDouble();
        }
        return v;
    }
}
