package io.streamrec.trainer.io;

import io.streamrec.common.event.Rating;
import io.streamrec.model.features.ItemFeatures;
import io.streamrec.model.features.UserFeatures;

/**
 * A rating with the side features joined to it on its way to a hybrid trainer: its item's (from the broadcast item
 * metadata) and its user's (from the keyed user metadata), each packed ({@link ItemFeatures#pack},
 * {@link UserFeatures#pack}) or empty when that metadata had not arrived before the rating.
 */
public record FeaturedRating(Rating rating, int[] item, int[] user) {

    public FeaturedRating {
        java.util.Objects.requireNonNull(rating, "rating");
        item = item == null ? new int[0] : item;
        user = user == null ? new int[0] : user;
    }

    public long userId() {
        return rating.user();
    }

    /** Null when the item had no metadata yet. */
    public ItemFeatures itemFeatures() {
        return item.length == 0 ? null : ItemFeatures.unpack(item);
    }

    /** Null when the user had no metadata yet. */
    public UserFeatures userFeatures() {
        return user.length == 0 ? null : UserFeatures.unpack(user);
    }
}
