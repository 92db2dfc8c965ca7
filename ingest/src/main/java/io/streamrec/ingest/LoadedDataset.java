package io.streamrec.ingest;

import io.streamrec.common.event.ItemMetadata;
import io.streamrec.common.event.RatingScale;
import io.streamrec.common.event.UserMetadata;

import java.util.List;

/**
 * A dataset read fully into memory: ratings sorted by event time (stable), the scale they were checked against, the
 * metadata, and what was rejected.
 *
 * @param source    the path it was read from
 * @param linesRead rating lines read, accepted or not (headers and {@code MovieID:} lines excluded)
 */
public record LoadedDataset(DatasetFormat format, String source, RatingScale scale, RatingColumns ratings,
                            List<ItemMetadata> items, List<UserMetadata> users, RejectSummary rejects, long linesRead) {

    public LoadedDataset {
        items = List.copyOf(items);
        users = List.copyOf(users);
    }

    public String describe() {
        return format + " from " + source + ": " + ratings.size() + " ratings, " + items.size() + " items, "
                + users.size() + " users, scale " + scale + ", rejected " + rejects.total() + " (" + rejects.describe() + ")";
    }
}
