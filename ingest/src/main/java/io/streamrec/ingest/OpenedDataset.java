package io.streamrec.ingest;

import io.streamrec.common.event.ItemMetadata;
import io.streamrec.common.event.RatingScale;
import io.streamrec.common.event.UserMetadata;

import java.util.List;

/**
 * A dataset ready to replay: like {@link LoadedDataset}, but its sorted ratings may live in spilled run files when
 * they exceeded the memory budget. Close it to delete those files.
 */
public record OpenedDataset(DatasetFormat format, String source, RatingScale scale, RatingSource ratings,
                            List<ItemMetadata> items, List<UserMetadata> users, RejectSummary rejects, long linesRead)
        implements AutoCloseable {

    public OpenedDataset {
        items = List.copyOf(items);
        users = List.copyOf(users);
    }

    @Override
    public void close() {
        ratings.close();
    }
}
