package io.streamrec.ingest;

import io.streamrec.common.event.ItemMetadata;
import io.streamrec.common.event.RatingScale;
import io.streamrec.common.event.UserMetadata;
import io.streamrec.ingest.sort.ExternalSorter;
import io.streamrec.ingest.source.DatasetFiles;
import io.streamrec.ingest.source.LineReader;
import io.streamrec.ingest.source.MetadataReader;
import io.streamrec.ingest.source.RatingLineParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Reads a rating dataset (MovieLens ml-100k, ml-1m, ml-10m, ml-latest/20m/25m/32m, Netflix Prize) from a directory,
 * a single ratings file, a {@code .zip} or a {@code .gz}, detecting the format unless told. Ratings come back sorted
 * by event time (stable), bad lines counted by reason, and item/user metadata where the dataset has it.
 *
 * <pre>{@code
 * LoadedDataset ds = DatasetLoader.load(Path.of("ml-100k"), null);
 * RatingColumns r = ds.ratings();   // r.users(), r.items(), r.ratings(), r.timestampsMs()
 * }</pre>
 */
public final class DatasetLoader {

    private static final Logger LOG = LoggerFactory.getLogger(DatasetLoader.class);

    private DatasetLoader() {
    }

    /** Reads everything into memory, detecting the format. */
    public static LoadedDataset load(Path path) {
        return loadWith(path, LoadOptions.defaults());
    }

    /** Reads everything into memory; {@code format} null means auto-detect. */
    public static LoadedDataset load(Path path, DatasetFormat format) {
        return loadWith(path, LoadOptions.defaults().withFormat(format));
    }

    /** Reads everything into memory (the memory budget in {@code options} is ignored). */
    public static LoadedDataset loadWith(Path path, LoadOptions options) {
        try (OpenedDataset ds = open(path, options.withMemoryBudget(0, null))) {
            return new LoadedDataset(ds.format(), ds.source(), ds.scale(), (RatingColumns) ds.ratings(),
                    ds.items(), ds.users(), ds.rejects(), ds.linesRead());
        }
    }

    /** Reads a dataset for replay, spilling sorted runs to disk beyond the memory budget. Close the result. */
    public static OpenedDataset open(Path path, LoadOptions options) {
        long t0 = System.nanoTime();
        try (DatasetFiles files = DatasetFiles.open(path);
             RejectLog rejects = new RejectLog(options.rejectSamples(), options.rejectsFile())) {
            DatasetFormat format = options.format() != null ? options.format() : detect(files);
            RatingScale scale = options.scale() != null ? options.scale() : format.scale();
            List<DatasetFiles.Entry> ratingFiles = ratingFiles(files, format);
            LOG.info("reading {} dataset from {} ({} ratings file(s), scale {})", format, path, ratingFiles.size(), scale);
            ExternalSorter sorter = new ExternalSorter(options.memoryBudgetBytes(), options.tempDir());
            RatingSource ratings;
            long ratingLines = 0;
            try {
                for (DatasetFiles.Entry e : ratingFiles) {
                    ratingLines += readRatings(files, e, format, scale, rejects, sorter);
                }
                ratings = sorter.finish();
            } catch (RuntimeException | IOException ex) {
                sorter.close();
                throw ex;
            }
            long tRatings = System.nanoTime();
            List<ItemMetadata> items = new ArrayList<>();
            List<UserMetadata> users = new ArrayList<>();
            try {
                readMetadata(files, format, new MetadataReader(rejects), items, users);
            } catch (IOException | RuntimeException ex) {
                ratings.close();
                throw ex;
            }
            LOG.info("read {} ratings ({} lines, {} rejected) in {} ms, metadata: {} items, {} users",
                    ratings.size(), ratingLines, rejects.total(), TimeUnit.NANOSECONDS.toMillis(tRatings - t0),
                    items.size(), users.size());
            return new OpenedDataset(format, path.toString(), scale, ratings, items, users, rejects.summary(), ratingLines);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read dataset " + path + ": " + e.getMessage(), e);
        }
    }

    /** The format of the dataset at {@code path}, from its file names and, for a lone file, its first line. */
    public static DatasetFormat detect(Path path) {
        try (DatasetFiles files = DatasetFiles.open(path)) {
            return detect(files);
        }
    }

    static DatasetFormat detect(DatasetFiles files) {
        if (files.find("u.data").isPresent()) {
            return DatasetFormat.ML_100K;
        }
        if (files.find("ratings.dat").isPresent()) {
            return files.find("users.dat").isPresent() || hints1m(files.root()) ? DatasetFormat.ML_1M : DatasetFormat.ML_10M;
        }
        if (files.find("ratings.csv").isPresent()) {
            return DatasetFormat.ML_LATEST;
        }
        if (!netflixFiles(files).isEmpty()) {
            return DatasetFormat.NETFLIX;
        }
        if (files.entries().size() == 1) {
            return sniff(files, files.entries().get(0));
        }
        throw new IllegalArgumentException("cannot tell the dataset format of " + files.root()
                + ": expected u.data (ml-100k), ratings.dat (ml-1m/ml-10m), ratings.csv (ml-latest/20m/25m/32m) or "
                + "mv_*.txt / combined_data_*.txt (Netflix); use --format to say which");
    }

    /** ml-1m and ml-10m share a layout; the folder or archive name (or its parent's) tells them apart. */
    private static boolean hints1m(Path root) {
        Path abs = root.toAbsolutePath();
        String name = (abs.getParent() != null && abs.getParent().getFileName() != null
                ? abs.getParent().getFileName() + "/" : "") + (abs.getFileName() == null ? "" : abs.getFileName());
        return name.toLowerCase(Locale.ROOT).matches(".*\\bml-?1m\\b.*");
    }

    private static DatasetFormat sniff(DatasetFiles files, DatasetFiles.Entry e) {
        try (LineReader r = new LineReader(files.open(e))) {
            while (r.next()) {
                if (r.isBlank()) {
                    continue;
                }
                String line = r.text().trim();
                if (line.contains("::")) {
                    return hints1m(files.root()) ? DatasetFormat.ML_1M : DatasetFormat.ML_10M;
                }
                if (line.matches("\\d+\\s*:")) {
                    return DatasetFormat.NETFLIX;
                }
                if (line.split("\t", -1).length == 4) {
                    return DatasetFormat.ML_100K;
                }
                if (line.split(",", -1).length == 4) {
                    return DatasetFormat.ML_LATEST;
                }
                break;
            }
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot read " + e.display() + ": " + ex.getMessage(), ex);
        }
        throw new IllegalArgumentException("cannot tell the format of " + e.display()
                + " from its first line; use --format (ml-100k, ml-1m, ml-10m, ml-latest, netflix)");
    }

    private static List<DatasetFiles.Entry> netflixFiles(DatasetFiles files) {
        return files.matching("(?i)(mv_\\d+|combined_data_\\d+)\\.txt");
    }

    private static List<DatasetFiles.Entry> ratingFiles(DatasetFiles files, DatasetFormat format) {
        Optional<DatasetFiles.Entry> canonical = switch (format) {
            case ML_100K -> files.find("u.data");
            case ML_1M, ML_10M -> files.find("ratings.dat");
            case ML_LATEST -> files.find("ratings.csv");
            case NETFLIX -> Optional.empty();
        };
        if (canonical.isPresent()) {
            return List.of(canonical.get());
        }
        if (format == DatasetFormat.NETFLIX) {
            List<DatasetFiles.Entry> nf = netflixFiles(files);
            if (!nf.isEmpty()) {
                return nf;
            }
        }
        if (files.entries().size() == 1) {
            return files.entries();
        }
        throw new IllegalArgumentException("no " + format.ratingsFile() + " in " + files.root() + " for format " + format);
    }

    private static long readRatings(DatasetFiles files, DatasetFiles.Entry e, DatasetFormat format, RatingScale scale,
                                    RejectLog rejects, ExternalSorter sink) throws IOException {
        String name = e.display();
        RatingLineParser parser = switch (format) {
            case ML_100K -> RatingLineParser.tab(scale, rejects, name);
            case ML_1M, ML_10M -> RatingLineParser.doubleColon(scale, rejects, name);
            case ML_LATEST -> RatingLineParser.csv(scale, rejects, name);
            case NETFLIX -> RatingLineParser.netflix(scale, rejects, name);
        };
        long before = sink.count() + rejects.total();
        long t0 = System.nanoTime();
        try (LineReader r = new LineReader(files.open(e))) {
            while (r.next()) {
                parser.parse(r.buffer(), r.start(), r.end(), r.lineNumber(), sink);
            }
        }
        long lines = sink.count() + rejects.total() - before;
        LOG.debug("{}: {} rating lines in {} ms", name, lines, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        return lines;
    }

    private static void readMetadata(DatasetFiles files, DatasetFormat format, MetadataReader reader,
                                     List<ItemMetadata> items, List<UserMetadata> users) throws IOException {
        switch (format) {
            case ML_100K -> {
                List<String> genres = MetadataReader.ML100K_GENRES;
                Optional<DatasetFiles.Entry> g = files.find("u.genre");
                if (g.isPresent()) {
                    try (InputStream in = files.open(g.get())) {
                        List<String> read = reader.ml100kGenres(in, g.get().display());
                        if (!read.isEmpty()) {
                            genres = read;
                        }
                    }
                }
                Optional<DatasetFiles.Entry> it = files.find("u.item");
                if (it.isPresent()) {
                    try (InputStream in = files.open(it.get())) {
                        items.addAll(reader.ml100kItems(in, it.get().display(), genres));
                    }
                }
                Optional<DatasetFiles.Entry> us = files.find("u.user");
                if (us.isPresent()) {
                    try (InputStream in = files.open(us.get())) {
                        users.addAll(reader.ml100kUsers(in, us.get().display()));
                    }
                }
            }
            case ML_1M, ML_10M -> {
                Optional<DatasetFiles.Entry> it = files.find("movies.dat");
                if (it.isPresent()) {
                    try (InputStream in = files.open(it.get())) {
                        items.addAll(reader.datItems(in, it.get().display()));
                    }
                }
                Optional<DatasetFiles.Entry> us = files.find("users.dat");
                if (us.isPresent()) {
                    try (InputStream in = files.open(us.get())) {
                        users.addAll(reader.datUsers(in, us.get().display()));
                    }
                }
            }
            case ML_LATEST -> {
                Optional<DatasetFiles.Entry> it = files.find("movies.csv");
                if (it.isPresent()) {
                    try (InputStream in = files.open(it.get())) {
                        items.addAll(reader.csvItems(in, it.get().display()));
                    }
                }
            }
            case NETFLIX -> {
                Optional<DatasetFiles.Entry> it = files.find("movie_titles.csv");
                if (it.isEmpty()) {
                    it = files.find("movie_titles.txt");
                }
                if (it.isPresent()) {
                    try (InputStream in = files.open(it.get())) {
                        items.addAll(reader.netflixItems(in, it.get().display()));
                    }
                }
            }
        }
    }
}
