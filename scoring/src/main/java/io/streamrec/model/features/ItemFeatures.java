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
