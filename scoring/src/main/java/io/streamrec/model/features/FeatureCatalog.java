package io.streamrec.model.features;

import io.streamrec.common.event.ItemMetadata;
import io.streamrec.common.event.UserMetadata;
import io.streamrec.common.serde.MalformedRecordException;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The encoded side features a hybrid model looks up by id: filled from a dataset's metadata files
 * ({@code evaluate}), the {@code items} broadcast and the user metadata joined with the ratings (the trainer), or the
 * metadata topics (the scorer), all through one {@link FeatureEncoder}. A record beyond the encoder's limits is not
 * stored; {@link #put} says so, and the caller counts it. Not thread-safe.
 */
public final class FeatureCatalog {

    private final FeatureEncoder encoder;
    private final Map<Long, ItemFeatures> items = new HashMap<>();
    private final Map<Long, UserFeatures> users = new HashMap<>();

    public FeatureCatalog(FeatureEncoder encoder) {
        this.encoder = Objects.requireNonNull(encoder, "encoder");
    }

    public FeatureEncoder encoder() {
        return encoder;
    }

    /**
     * Encodes and stores (or replaces) an item's features.
     *
     * @throws MalformedRecordException BAD_METADATA when the record is beyond the limits (nothing stored)
     */
    public ItemFeatures put(ItemMetadata m) {
        ItemFeatures f = encoder.encode(m);
        items.put(m.item(), f);
        return f;
    }

    /** As {@link #put(ItemMetadata)} for a user. */
    public UserFeatures put(UserMetadata m) {
        UserFeatures f = encoder.encode(m);
        users.put(m.user(), f);
        return f;
    }

    public void putItem(long item, ItemFeatures f) {
        items.put(item, Objects.requireNonNull(f, "features"));
    }

    public void putUser(long user, UserFeatures f) {
        users.put(user, Objects.requireNonNull(f, "features"));
    }

    /** A compacted topic's tombstone: the item's metadata is gone. */
    public void removeItem(long item) {
        items.remove(item);
    }

    public void removeUser(long user) {
        users.remove(user);
    }

    /** Null when the item has no metadata (yet). */
    public ItemFeatures item(long item) {
        return items.get(item);
    }

    public UserFeatures user(long user) {
        return users.get(user);
    }

    public int itemCount() {
        return items.size();
    }

    public int userCount() {
        return users.size();
    }

    /** Every item with features (the scorer's cold-start candidates). */
    public Iterable<Map.Entry<Long, ItemFeatures>> items() {
        return items.entrySet();
    }
}
