package io.streamrec.common.event;

import java.util.List;
import java.util.Objects;

/** What a dataset says about an item: title, genres, release year (null when unknown). */
public record ItemMetadata(long item, String title, List<String> genres, Integer year) {
    public ItemMetadata {
        Objects.requireNonNull(title, "title");
        genres = genres == null ? List.of() : List.copyOf(genres);
    }
}
