package io.streamrec.model.features;

import java.util.Arrays;

/**
 * An item's side features as bucket indices ({@link FeatureEncoder}): genres (distinct), the release-year bucket
 * (-1 when unknown) and the title's words in order. Immutable; arrays are copied in and out.
 */
public record ItemFeatures(int[] genres, int year, int[] words) {
    public ItemFeatures {
        genres = genres.clone();
        words = words.clone();
    }

    @Override
    public int[] genres() {
        return genres.clone();
    }

    @Override
    public int[] words() {
        return words.clone();
    }

    int[] genresView() {
        return genres;
    }

    int[] wordsView() {
        return words;
    }

    /** Packed as {@code [year, genre count, genres..., words...]}: a plain int[] for Flink state and records. */
    public int[] pack() {
        int[] p = new int[2 + genres.length + words.length];
        p[0] = year;
        p[1] = genres.length;
        System.arraycopy(genres, 0, p, 2, genres.length);
        System.arraycopy(words, 0, p, 2 + genres.length, words.length);
        return p;
    }

    /** The inverse of {@link #pack}. */
    public static ItemFeatures unpack(int[] p) {
        if (p.length < 2 || p[1] < 0 || 2 + p[1] > p.length) {
            throw new IllegalArgumentException("not packed item features: " + p.length + " ints");
        }
        return new ItemFeatures(Arrays.copyOfRange(p, 2, 2 + p[1]), p[0], Arrays.copyOfRange(p, 2 + p[1], p.length));
    }

    /** Whether there is anything to build a vector from. */
    public boolean isEmpty() {
        return genres.length == 0 && year < 0 && words.length == 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ItemFeatures f && year == f.year && Arrays.equals(genres, f.genres) && Arrays.equals(words, f.words);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(genres) + year) + Arrays.hashCode(words);
    }

    @Override
    public String toString() {
        return "ItemFeatures{genres=" + Arrays.toString(genres) + ", year=" + year + ", words=" + Arrays.toString(words) + '}';
    }
}
