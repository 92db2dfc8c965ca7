package io.streamrec.ingest;

import io.streamrec.common.event.RatingScale;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The rating dataset layouts the loader reads, with each one's rating scale. */
public enum DatasetFormat {
    /** MovieLens 100K: {@code u.data} tab-separated, {@code u.item}/{@code u.user} {@code |}-separated Latin-1. */
    ML_100K("ml-100k", RatingScale.FIVE_STARS, "u.data"),
    /** MovieLens 1M: {@code ratings.dat}, {@code movies.dat}, {@code users.dat}, {@code ::}-separated, Latin-1 titles. */
    ML_1M("ml-1m", RatingScale.FIVE_STARS, "ratings.dat"),
    /** MovieLens 10M: the ml-1m layout without users, with half-star ratings. */
    ML_10M("ml-10m", RatingScale.MOVIELENS_HALF_STARS, "ratings.dat"),
    /** MovieLens latest(-small), 20M, 25M, 32M: {@code ratings.csv}/{@code movies.csv} with a header, quoted titles. */
    ML_LATEST("ml-latest", RatingScale.MOVIELENS_HALF_STARS, "ratings.csv"),
    /** Netflix Prize: {@code mv_*.txt} or {@code combined_data_*.txt} with {@code MovieID:} lines; {@code movie_titles.csv}. */
    NETFLIX("netflix", RatingScale.FIVE_STARS, "mv_*.txt / combined_data_*.txt");

    private final String id;
    private final RatingScale scale;
    private final String ratingsFile;

    DatasetFormat(String id, RatingScale scale, String ratingsFile) {
        this.id = id;
        this.scale = scale;
        this.ratingsFile = ratingsFile;
    }

    /** The name used on the command line, e.g. "ml-100k". */
    public String id() {
        return id;
    }

    public RatingScale scale() {
        return scale;
    }

    public String ratingsFile() {
        return ratingsFile;
    }

    /**
     * Parses a format name: the ids above, the enum names, and the MovieLens release names that share a layout
     * (ml-latest-small, ml-20m, ml-25m, ml-32m → ml-latest).
     */
    public static DatasetFormat parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        switch (t) {
            case "ml-latest-small", "ml-20m", "ml-25m", "ml-32m", "movielens-csv", "csv" -> {
                return ML_LATEST;
            }
            case "netflix-prize" -> {
                return NETFLIX;
            }
            default -> {
                for (DatasetFormat f : values()) {
                    if (f.id.equals(t) || f.name().equalsIgnoreCase(t.replace('-', '_'))) {
                        return f;
                    }
                }
            }
        }
        throw new IllegalArgumentException("unknown dataset format '" + text + "'; known: "
                + Arrays.stream(values()).map(DatasetFormat::id).collect(Collectors.joining(", "))
                + " (also ml-latest-small, ml-20m, ml-25m, ml-32m)");
    }

    @Override
    public String toString() {
        return id;
    }
}
