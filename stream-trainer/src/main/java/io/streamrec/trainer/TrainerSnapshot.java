package io.streamrec.trainer;

import io.streamrec.model.GlobalStats;

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
record TrainerSnapshot(int subtask, String origin, long lastDeltaSequence, long trained, long batches, GlobalStats global,
                       long[] itemIds, float[][] itemRows) {

    static final int VERSION = 1;

    byte[] encode() {
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
            for (int i = 0; i < itemIds.length; i++) {
                out.writeLong(itemIds[i]);
                float[] row = itemRows[i];
                out.writeInt(row.length);
                for (float f : row) {
                    out.writeFloat(f);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static TrainerSnapshot decode(byte[] bytes) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int version = in.readInt();
            if (version != VERSION) {
                throw new IOException("trainer snapshot version " + version + " is not supported (this build reads " + VERSION + ")");
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
            return new TrainerSnapshot(subtask, origin, lastDeltaSequence, trained, batches, g, ids, rows);
        }
    }
}
