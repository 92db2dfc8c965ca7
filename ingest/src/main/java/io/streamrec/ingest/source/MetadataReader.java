package io.streamrec.ingest.source;

import io.streamrec.common.event.ItemMetadata;
import io.streamrec.common.event.RejectReason;
import io.streamrec.common.event.UserMetadata;
import io.streamrec.ingest.RejectLog;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads item and user metadata files (small: at most tens of thousands of lines, so plain Strings are fine). Bad
 * lines are rejected into the same {@link RejectLog} as bad ratings.
 */
public final class MetadataReader {

    /** ml-100k's genre order, used when {@code u.genre} is absent. */
    public static final List<String> ML100K_GENRES = List.of("unknown", "Action", "Adventure", "Animation",
            "Children's", "Comedy", "Crime", "Documentary", "Drama", "Fantasy", "Film-Noir", "Horror", "Musical",
            "Mystery", "Romance", "Sci-Fi", "Thriller", "War", "Western");

    /** ml-1m's occupation codes (its README). */
    public static final List<String> ML1M_OCCUPATIONS = List.of("other", "academic/educator", "artist",
            "clerical/admin", "college/grad student", "customer service", "doctor/health care",
            "executive/managerial", "farmer", "homemaker", "K-12 student", "lawyer", "programmer", "retired",
            "sales/marketing", "scientist", "self-employed", "technician/engineer", "tradesman/craftsman",
            "unemployed", "writer");

    private static final Pattern TITLE_YEAR = Pattern.compile("^(.*\\S)\\s+\\((\\d{4})\\)\\s*$");
    private static final Pattern DATE_YEAR = Pattern.compile(".*(\\d{4})\\s*$");

    private final RejectLog rejects;

    public MetadataReader(RejectLog rejects) {
        this.rejects = rejects;
    }

    @FunctionalInterface
    private interface LineHandler {
        void handle(String line, long lineNo);
    }

    private void lines(InputStream in, LineHandler h) throws IOException {
        try (LineReader r = new LineReader(in)) {
            while (r.next()) {
                if (!r.isBlank()) {
                    h.handle(r.text(), r.lineNumber());
                }
            }
        }
    }

    /** ml-100k {@code u.genre}: {@code name|index}. */
    public List<String> ml100kGenres(InputStream in, String file) throws IOException {
        List<String> genres = new ArrayList<>();
        lines(in, (line, no) -> {
            String[] f = line.split("\\|", -1);
            int idx;
            try {
                idx = f.length == 2 ? Integer.parseInt(f[1].trim()) : -1;
            } catch (NumberFormatException e) {
                idx = -1;
            }
            if (idx < 0 || idx > 255) {
                rejects.reject(f.length == 2 ? RejectReason.BAD_ID : RejectReason.WRONG_FIELD_COUNT, file, no,
                        "expected 'name|index'", line);
                return;
            }
            while (genres.size() <= idx) {
                genres.add("genre" + genres.size());
            }
            genres.set(idx, f[0]);
        });
        return genres;
    }

    /** ml-100k {@code u.item}: id|title|release date|video date|IMDb URL|19 genre flags. */
    public List<ItemMetadata> ml100kItems(InputStream in, String file, List<String> genreNames) throws IOException {
        List<ItemMetadata> out = new ArrayList<>();
        lines(in, (line, no) -> {
            String[] f = line.split("\\|", -1);
            if (f.length < 5) {
                rejects.reject(RejectReason.WRONG_FIELD_COUNT, file, no, "expected at least 5 '|'-separated fields, got " + f.length, line);
                return;
            }
            long id = id(f[0]);
            if (id < 0) {
                rejects.reject(RejectReason.BAD_ID, file, no, "item id is not a non-negative integer", line);
                return;
            }
            List<String> genres = new ArrayList<>();
            for (int g = 5; g < f.length; g++) {
                if (f[g].trim().equals("1")) {
                    genres.add(g - 5 < genreNames.size() ? genreNames.get(g - 5) : "genre" + (g - 5));
                }
            }
            Title t = title(f[1]);
            Integer year = t.year;
            if (year == null) {
                Matcher m = DATE_YEAR.matcher(f[2]);
                if (m.matches()) {
                    year = Integer.parseInt(m.group(1));
                }
            }
            out.add(new ItemMetadata(id, t.title, genres, year));
        });
        return out;
    }

    /** ml-100k {@code u.user}: id|age|gender|occupation|zip. */
    public List<UserMetadata> ml100kUsers(InputStream in, String file) throws IOException {
        List<UserMetadata> out = new ArrayList<>();
        lines(in, (line, no) -> {
            String[] f = line.split("\\|", -1);
            if (f.length != 5) {
                rejects.reject(RejectReason.WRONG_FIELD_COUNT, file, no, "expected 5 '|'-separated fields, got " + f.length, line);
                return;
            }
            long id = id(f[0]);
            if (id < 0) {
                rejects.reject(RejectReason.BAD_ID, file, no, "user id is not a non-negative integer", line);
                return;
            }
            out.add(new UserMetadata(id, blankToNull(f[2]), intOrNull(f[1]), blankToNull(f[3]), blankToNull(f[4])));
        });
        return out;
    }

    /** ml-1m/ml-10m {@code movies.dat}: id::title::genre|genre. */
    public List<ItemMetadata> datItems(InputStream in, String file) throws IOException {
        List<ItemMetadata> out = new ArrayList<>();
        lines(in, (line, no) -> {
            String[] f = line.split("::", -1);
            if (f.length != 3) {
                rejects.reject(RejectReason.WRONG_FIELD_COUNT, file, no, "expected 3 '::'-separated fields, got " + f.length, line);
                return;
            }
            long id = id(f[0]);
            if (id < 0) {
                rejects.reject(RejectReason.BAD_ID, file, no, "movie id is not a non-negative integer", line);
                return;
            }
            Title t = title(f[1]);
            out.add(new ItemMetadata(id, t.title, genres(f[2]), t.year));
        });
        return out;
    }

    /** ml-1m {@code users.dat}: id::gender::age::occupation code::zip. */
    public List<UserMetadata> datUsers(InputStream in, String file) throws IOException {
        List<UserMetadata> out = new ArrayList<>();
        lines(in, (line, no) -> {
            String[] f = line.split("::", -1);
            if (f.length != 5) {
                rejects.reject(RejectReason.WRONG_FIELD_COUNT, file, no, "expected 5 '::'-separated fields, got " + f.length, line);
                return;
            }
            long id = id(f[0]);
            if (id < 0) {
                rejects.reject(RejectReason.BAD_ID, file, no, "user id is not a non-negative integer", line);
                return;
            }
            Integer code = intOrNull(f[3]);
            String occupation = code != null && code >= 0 && code < ML1M_OCCUPATIONS.size()
                    ? ML1M_OCCUPATIONS.get(code) : blankToNull(f[3]);
            out.add(new UserMetadata(id, blankToNull(f[1]), intOrNull(f[2]), occupation, blankToNull(f[4])));
        });
        return out;
    }

    /** ml-latest {@code movies.csv}: header, then movieId,title,genres with RFC 4180 quoting. */
    public List<ItemMetadata> csvItems(InputStream in, String file) throws IOException {
        List<ItemMetadata> out = new ArrayList<>();
        lines(in, (line, no) -> {
            if (no == 1 && !line.isEmpty() && Character.isLetter(line.charAt(0))) {
                return; // header
            }
            List<String> f = Csv.split(line);
            if (f == null) {
                rejects.reject(RejectReason.WRONG_FIELD_COUNT, file, no, "unterminated quoted field", line);
                return;
            }
            if (f.size() != 3) {
                rejects.reject(RejectReason.WRONG_FIELD_COUNT, file, no, "expected 3 CSV fields, got " + f.size(), line);
                return;
            }
            long id = id(f.get(0));
            if (id < 0) {
                rejects.reject(RejectReason.BAD_ID, file, no, "movie id is not a non-negative integer", line);
                return;
            }
            Title t = title(f.get(1));
            out.add(new ItemMetadata(id, t.title, genres(f.get(2)), t.year));
        });
        return out;
    }

    /**
     * Netflix {@code movie_titles.csv}: id,year,title where the title may itself hold commas and is not quoted, so
     * only the first two commas separate fields. The year may be "NULL".
     */
    public List<ItemMetadata> netflixItems(InputStream in, String file) throws IOException {
        List<ItemMetadata> out = new ArrayList<>();
        lines(in, (line, no) -> {
            String[] f = line.split(",", 3);
            if (f.length != 3) {
                rejects.reject(RejectReason.WRONG_FIELD_COUNT, file, no, "expected id,year,title", line);
                return;
            }
            long id = id(f[0]);
            if (id < 0) {
                rejects.reject(RejectReason.BAD_ID, file, no, "movie id is not a non-negative integer", line);
                return;
            }
            out.add(new ItemMetadata(id, f[2].trim(), List.of(), intOrNull(f[1])));
        });
        return out;
    }

    private record Title(String title, Integer year) {
    }

    /** "Toy Story (1995)" → ("Toy Story", 1995); a title without a trailing year stays whole. */
    private static Title title(String raw) {
        String t = raw.trim();
        Matcher m = TITLE_YEAR.matcher(t);
        if (m.matches()) {
            return new Title(m.group(1), Integer.parseInt(m.group(2)));
        }
        return new Title(t, null);
    }

    private static List<String> genres(String field) {
        String f = field.trim();
        if (f.isEmpty() || f.equals("(no genres listed)")) {
            return List.of();
        }
        return Arrays.stream(f.split("\\|")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static long id(String s) {
        String t = s.trim();
        if (t.isEmpty() || t.length() > 18) {
            return -1;
        }
        for (int i = 0; i < t.length(); i++) {
            if (t.charAt(i) < '0' || t.charAt(i) > '9') {
                return -1;
            }
        }
        return Long.parseLong(t);
    }

    private static Integer intOrNull(String s) {
        String t = s.trim();
        try {
            return t.isEmpty() ? null : Integer.valueOf(t);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String blankToNull(String s) {
        String t = s.trim();
        return t.isEmpty() ? null : t;
    }
}
