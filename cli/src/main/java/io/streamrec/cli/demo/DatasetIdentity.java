package io.streamrec.cli.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Which data a demo run replays, recorded in its data directory so a later run can tell whether the Kafka topics,
 * checkpoints and scorer state there came from the same data. Two runs match on {@link #fingerprint} only: the same
 * ml-100k found in the download cache or in a shared folder is the same dataset; {@link #name} and {@link #source}
 * are for people.
 *
 * @param name        what to call it on the console: ml-100k, ml-latest-small, synthetic, a folder's name
 * @param source      the resolved path of the dataset, or {@code synthetic}
 * @param fingerprint the ratings file's name, size and SHA-256, or the synthetic stream's generator flags
 */
public record DatasetIdentity(String name, String source, String fingerprint) {

    /** Ratings files the ingest loader reads first in a dataset folder, by MovieLens release. */
    static final List<String> RATINGS_FILES = List.of("u.data", "ratings.dat", "ratings.csv");

    /** Beyond this, only the head and tail are hashed: hashing a Netflix-sized file would delay every start. */
    static final long FULL_HASH_LIMIT = 256L << 20;
    static final int SAMPLE_BYTES = 8 << 20;

    public static DatasetIdentity of(DatasetChoice choice) {
        if (choice.argument().equals("synthetic")) {
            return synthetic(choice.extraArgs());
        }
        return ofPath(Path.of(choice.argument()));
    }

    /**
     * The identity of this data trained with {@code model}: topics and checkpoints written for one model family are no
     * use to another (a restore under another fingerprint is refused), so a change of family starts the directory
     * fresh. MF keeps the plain identity, so data directories from before families existed are still reused.
     */
    public DatasetIdentity trainedWith(String model) {
        if (model.equals("mf")) {
            return this;
        }
        return new DatasetIdentity(name + " trained with " + model, source, fingerprint + "; model " + model);
    }

    public static DatasetIdentity synthetic(List<String> generatorArgs) {
        return new DatasetIdentity("synthetic", "synthetic", "synthetic " + String.join(" ", generatorArgs));
    }

    /** A dataset file (ratings file or archive) or folder, by the content of its ratings file. */
    public static DatasetIdentity ofPath(Path dataset) {
        try {
            Path real = dataset.toRealPath();
            String name = real.getFileName() == null ? real.toString() : real.getFileName().toString();
            return new DatasetIdentity(name, real.toString(), fingerprintOf(real));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read dataset " + dataset + ": " + e.getMessage(), e);
        }
    }

    private static String fingerprintOf(Path real) throws IOException {
        if (Files.isRegularFile(real)) {
            return fileFingerprint(real.getFileName().toString(), real);
        }
        Optional<Path> ratings = ratingsFile(real);
        if (ratings.isPresent()) {
            return fileFingerprint(real.relativize(ratings.get()).toString(), ratings.get());
        }
        // A folder in a layout we do not know by name: its file list with sizes and modification times.
        StringBuilder b = new StringBuilder();
        try (Stream<Path> files = Files.walk(real, 3)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                b.append(real.relativize(f)).append(' ').append(Files.size(f)).append(' ')
                        .append(Files.getLastModifiedTime(f).toMillis()).append('\n');
            }
        }
        return "files sha256:" + HexFormat.of().formatHex(sha256().digest(b.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /** The known ratings file in the folder or one level down (an unpacked archive often nests its folder). */
    static Optional<Path> ratingsFile(Path folder) throws IOException {
        for (String name : RATINGS_FILES) {
            if (Files.isRegularFile(folder.resolve(name))) {
                return Optional.of(folder.resolve(name));
            }
        }
        try (Stream<Path> subs = Files.list(folder)) {
            for (Path sub : subs.filter(Files::isDirectory).sorted(Comparator.naturalOrder()).toList()) {
                for (String name : RATINGS_FILES) {
                    if (Files.isRegularFile(sub.resolve(name))) {
                        return Optional.of(sub.resolve(name));
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static String fileFingerprint(String label, Path file) throws IOException {
        long size = Files.size(file);
        MessageDigest md = sha256();
        if (size <= FULL_HASH_LIMIT) {
            try (InputStream in = Files.newInputStream(file)) {
                byte[] buf = new byte[1 << 16];
                int n;
                while ((n = in.read(buf)) > 0) {
                    md.update(buf, 0, n);
                }
            }
            return label + " " + size + " bytes sha256:" + HexFormat.of().formatHex(md.digest());
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            md.update(ch.map(FileChannel.MapMode.READ_ONLY, 0, SAMPLE_BYTES));
            md.update(ch.map(FileChannel.MapMode.READ_ONLY, size - SAMPLE_BYTES, SAMPLE_BYTES));
        }
        return label + " " + size + " bytes sha256(head+tail " + (SAMPLE_BYTES >> 20) + " MiB):" + HexFormat.of().formatHex(md.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
