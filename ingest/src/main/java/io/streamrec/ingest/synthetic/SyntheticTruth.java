package io.streamrec.ingest.synthetic;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The ground truth of a synthetic stream, as written by {@code --write-truth}: the planted model before the drift,
 * and after it when the stream drifts, plus the event index where the drift takes effect.
 *
 * <p>File layout (big-endian, {@link DataOutputStream}): magic {@code "SRTRUTH"}, version byte 1, seed (i64),
 * users (i32), items (i32), rank (i32), drift event (i64, -1 = none), model count (i32, 1 or 2), then per model:
 * μ (f32), user biases, item biases, user factors (row-major users × rank), item factors (f32 each).
 */
public record SyntheticTruth(long seed, long driftEvent, PlantedModel before, PlantedModel after) {

    private static final byte[] MAGIC = {'S', 'R', 'T', 'R', 'U', 'T', 'H'};
    private static final byte VERSION = 1;

    /** The model that generated event {@code index}. */
    public PlantedModel modelAt(long index) {
        return after != null && driftEvent >= 0 && index >= driftEvent ? after : before;
    }

    public void write(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 20))) {
            out.write(MAGIC);
            out.writeByte(VERSION);
            out.writeLong(seed);
            out.writeInt(before.users());
            out.writeInt(before.items());
            out.writeInt(before.rank());
            out.writeLong(after == null ? -1 : driftEvent);
            out.writeInt(after == null ? 1 : 2);
            writeModel(out, before);
            if (after != null) {
                writeModel(out, after);
            }
        }
    }

    public static SyntheticTruth read(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 20))) {
            byte[] magic = new byte[MAGIC.length];
            in.readFully(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new IOException(file + " is not a streamrec synthetic truth file");
            }
            byte version = in.readByte();
            if (version != VERSION) {
                throw new IOException(file + ": truth format version " + version + " is not supported (this build reads " + VERSION + ")");
            }
            long seed = in.readLong();
            int users = in.readInt();
            int items = in.readInt();
            int rank = in.readInt();
            long driftEvent = in.readLong();
            int models = in.readInt();
            if (users < 1 || items < 1 || rank < 1 || models < 1 || models > 2) {
                throw new IOException(file + ": corrupt header");
            }
            PlantedModel before = readModel(in, users, items, rank);
            PlantedModel after = models == 2 ? readModel(in, users, items, rank) : null;
            return new SyntheticTruth(seed, driftEvent, before, after);
        }
    }

    private static void writeModel(DataOutputStream out, PlantedModel m) throws IOException {
        out.writeFloat(m.globalMean());
        writeFloats(out, m.userBiasArray());
        writeFloats(out, m.itemBiasArray());
        writeFloats(out, m.userFactorArray());
        writeFloats(out, m.itemFactorArray());
    }

    private static PlantedModel readModel(DataInputStream in, int users, int items, int rank) throws IOException {
        float mean = in.readFloat();
        return new PlantedModel(rank, mean, readFloats(in, users), readFloats(in, items),
                readFloats(in, users * rank), readFloats(in, items * rank));
    }

    private static void writeFloats(DataOutputStream out, float[] a) throws IOException {
        for (float f : a) {
            out.writeFloat(f);
        }
    }

    private static float[] readFloats(DataInputStream in, int n) throws IOException {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = in.readFloat();
        }
        return a;
    }
}
