package io.streamrec.scorer.stream;

/** Names of the scorer's state stores, shared by the topology and the query side. */
public final class StoreNames {
    /** Global: every row of the factors topic (users, items, the global mean), keyed like the topic. */
    public static final String FACTORS = "factors";
    /** Global: family id → the encoded dense weights the trainer published last (the models topic). */
    public static final String MODELS = "models";
    /** Global: item id → title, genres, year. */
    public static final String ITEM_METADATA = "item-metadata";
    /** Global: user id → demographics. */
    public static final String USER_METADATA = "user-metadata";
    /** Global, in memory: metrics source → latest prequential report. */
    public static final String METRICS = "metrics-latest";
    /** Per user: (user, item) → rating and event time. */
    public static final String RATED = "rated-items";
    /** Per user, read by item: (item, user) → rating, for ratings at or above the "liked" threshold. */
    public static final String FANS = "item-fans";
    /** Per user: user id → the last recommendations pushed. */
    public static final String PUSHED = "pushed-recommendations";

    /** Global: the rows of a family served beside the first one (its {@code factors-<family>} topic). */
    public static String factorsOf(String family) {
        return FACTORS + "-" + family;
    }

    private StoreNames() {
    }
}
