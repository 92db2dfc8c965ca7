package io.streamrec.ingest.source;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The files of a dataset, whatever holds them: a directory, a single file, a {@code .zip} (as GroupLens ships
 * MovieLens), a {@code .gz} of a single file, or a {@code .tar}/{@code .tar.gz} (unpacked into a temporary directory
 * that is deleted on close; the Netflix Prize ships that way). Entries named {@code *.gz} inside a directory or zip are
 * decompressed transparently, so {@code ratings.csv.gz} reads as {@code ratings.csv}.
 */
public final class DatasetFiles implements AutoCloseable {

    /** One file of the dataset: {@code name} is its base name without {@code .gz}, {@code display} where it came from. */
    public record Entry(String name, String display, String container, String inner) {
    }

    private static final int BUFFER = 1 << 16;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DatasetFiles.class);

    private final Path root;
    private final List<Entry> entries;
    private final ZipFile zip;

    private Path extracted;

    private DatasetFiles(Path root, List<Entry> entries, ZipFile zip) {
        this.root = root;
        this.entries = List.copyOf(entries);
        this.zip = zip;
    }

    public static DatasetFiles open(Path path) {
        if (!Files.exists(path)) {
            throw new IllegalArgumentException("dataset path " + path + " does not exist");
        }
        try {
            if (Files.isDirectory(path)) {
                List<Entry> list = new ArrayList<>();
                try (Stream<Path> walk = Files.walk(path, 6)) {
                    walk.filter(Files::isRegularFile)
                            .filter(p -> !p.getFileName().toString().startsWith("."))
                            .sorted(Comparator.comparing(Path::toString))
                            .forEach(p -> {
                                String rel = path.relativize(p).toString();
                                list.add(new Entry(stripGz(p.getFileName().toString()), rel, p.toString(), null));
                            });
                }
                return new DatasetFiles(path, list, null);
            }
            String file = path.getFileName().toString();
            if (TarExtractor.isTar(file)) {
                Path tmp = Files.createTempDirectory("streamrec-tar-");
                try {
                    int n = TarExtractor.extract(path, tmp);
                    LOG.info("unpacked {} files from {} into {}", n, path, tmp);
                    DatasetFiles inner = open(tmp);
                    List<Entry> list = inner.entries.stream()
                            .map(e -> new Entry(e.name(), file + "!" + e.display(), e.container(), null)).toList();
                    DatasetFiles df = new DatasetFiles(path, list, null);
                    df.extracted = tmp;
                    return df;
                } catch (IOException | RuntimeException e) {
                    deleteTree(tmp);
                    throw e;
                }
            }
            if (file.toLowerCase(Locale.ROOT).endsWith(".zip")) {
                ZipFile z = new ZipFile(path.toFile());
                List<Entry> list = new ArrayList<>();
                z.stream().filter(e -> !e.isDirectory())
                        .filter(e -> !baseName(e.getName()).startsWith(".") && !e.getName().startsWith("__MACOSX"))
                        .sorted(Comparator.comparing(ZipEntry::getName))
                        .forEach(e -> list.add(new Entry(stripGz(baseName(e.getName())), file + "!" + e.getName(),
                                path.toString(), e.getName())));
                return new DatasetFiles(path, list, z);
            }
            return new DatasetFiles(path, List.of(new Entry(stripGz(file), file, path.toString(), null)), null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read dataset " + path + ": " + e.getMessage(), e);
        }
    }

    public Path root() {
        return root;
    }

    public List<Entry> entries() {
        return entries;
    }

    /** The single entry with this base name (case-insensitive), if exactly one exists; two is an error. */
    public Optional<Entry> find(String name) {
        List<Entry> hits = entries.stream().filter(e -> e.name().equalsIgnoreCase(name)).toList();
        if (hits.size() > 1) {
            throw new IllegalArgumentException("dataset " + root + " holds several '" + name + "' files ("
                    + hits.stream().map(Entry::display).toList() + "): point at one dataset folder");
        }
        return hits.stream().findFirst();
    }

    /** Entries whose base name matches the regular expression, in name order. */
    public List<Entry> matching(String regex) {
        return entries.stream().filter(e -> e.name().matches(regex)).toList();
    }

    /** Opens an entry, decompressing {@code .gz}; the caller closes the stream. */
    public InputStream open(Entry e) throws IOException {
        InputStream raw = e.inner() == null ? Files.newInputStream(Path.of(e.container()))
                : zip.getInputStream(zip.getEntry(e.inner()));
        String original = e.inner() == null ? Path.of(e.container()).getFileName().toString() : e.inner();
        if (original.toLowerCase(Locale.ROOT).endsWith(".gz")) {
            return new GZIPInputStream(raw, BUFFER);
        }
        return new BufferedInputStream(raw, BUFFER);
    }

    /** Size of the entry as stored (compressed size for .gz), for progress estimates; -1 when unknown. */
    public long storedSize(Entry e) {
        try {
            if (e.inner() == null) {
                return Files.size(Path.of(e.container()));
            }
            return zip.getEntry(e.inner()).getSize();
        } catch (IOException ex) {
            return -1;
        }
    }

    private static String baseName(String name) {
        int slash = name.lastIndexOf('/');
        return slash >= 0 ? name.substring(slash + 1) : name;
    }

    private static String stripGz(String name) {
        return name.toLowerCase(Locale.ROOT).endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.debug("could not delete {}: {}", dir, e.toString());
        }
    }

    @Override
    public void close() {
        if (extracted != null) {
            deleteTree(extracted);
            extracted = null;
        }
        if (zip != null) {
            try {
                zip.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
