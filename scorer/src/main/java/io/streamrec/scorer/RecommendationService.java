package io.streamrec.scorer;

import io.streamrec.common.event.FactorKey;
import io.streamrec.common.event.FactorRow;
import io.streamrec.common.event.ItemMetadata;
import io.streamrec.common.event.PrequentialMetrics;
import io.streamrec.common.event.Recommendations;
import io.streamrec.common.event.ScoredItem;
import io.streamrec.common.event.UserMetadata;
import io.streamrec.scorer.index.CoalescingTopK;
import io.streamrec.scorer.index.IndexStats;
import io.streamrec.scorer.index.ItemIndex;
import io.streamrec.scorer.index.ItemMatrix;
import io.streamrec.scorer.index.TopKSearch;
import io.streamrec.scorer.index.Serving;
import io.streamrec.scorer.stream.MetricsHistory;
import io.streamrec.scorer.stream.StoreNames;
import io.streamrec.scorer.stream.UserItemKeys;
import org.apache.kafka.common.serialization.BytesSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The queries behind the HTTP API, over the in-memory item index and the state stores. Scores are predicted ratings
 * exactly as the trainer predicts them ({@code μ + b_u + b_i + p_u·q_i} through the published output transform:
 * clamped, optionally sigmoid-squashed) except for "similar" (cosine) and "top-biased" (the item bias b_i).
 *
 * <p>With DL+ weights in force (the {@code models} topic) the personal lists are DL+'s predictions
 * {@code out(μ + b_u + b_i + MLP([p_u, q_i, p_u⊙q_i]))}, exact over the whole catalogue ({@link TopKSearch#topKDense});
 * "similar" stays the cosine of the item embeddings (the rows DL+ learns), "also-liked" is DL+'s prediction for the fans'
 * mean row (mean bias, mean embedding: for MF exactly the fans' mean prediction, for DL+ the prediction of their mean
 * taste, since the network is not linear). Every list names the family that ranked it ({@code model}) and, for a dense
 * family, the optimizer steps of its weights ({@code modelSteps}).
 */
public final class RecommendationService {

    private final ItemIndex index;
    private final StoreProvider stores;
    private final MetricsHistory history;
    private final ScorerOptions options;
    private final CoalescingTopK coalescer;

    /** The store of the factors topic's rows; another family's own store beside the first ({@link ServedModels}). */
    private final String factorsStore;
    /** The family this service serves when it ranks by the dot-product scan; null: the index names it ("mf"). */
    private final String family;

    public RecommendationService(ItemIndex index, StoreProvider stores, MetricsHistory history, ScorerOptions options) {
        this(index, stores, history, options, StoreNames.FACTORS, null);
    }

    /**
     * A service over one family's rows: {@code factorsStore} holds its user rows, {@code index} its item rows, and
     * its lists name {@code family} (unless dense weights rank them, which name their own family).
     */
    public RecommendationService(ItemIndex index, StoreProvider stores, MetricsHistory history, ScorerOptions options,
                                 String factorsStore, String family) {
        this.factorsStore = factorsStore;
        this.family = family;
        this.index = index;
        this.coalescer = new CoalescingTopK(index, Math.max(1, Runtime.getRuntime().availableProcessors()), 16);
        this.stores = stores;
        this.history = history;
        this.options = options;
    }

    // ------------------------------------------------------------------ response shapes

    /** An item in a list, with what the dataset says about it. */
    /**
     * @param vector under hybrid weights, where the item's vector came from: "learned" (its id row, plus its
     *               features) or "features-only" (metadata but no rating yet: cold start); null for other families
     */
    public record ItemView(long item, float score, String title, List<String> genres, Integer year, String vector) {
    }

    /**
     * @param coldStart true when the list is not personal (no factors for this user yet): items by learned bias
     * @param basis     "factors" or "item-bias"
     * @param pushedAtMs when the last list for this user went to the recommendations topic, if ever
     */
    public record UserRecommendations(long user, boolean coldStart, String basis, String note, long modelVersion,
                                      int ratedCount, List<ItemView> items, Long pushedAtMs, UserMetadata profile,
                                      String model, long modelSteps) {
    }

    public record RatedItem(long item, float rating, long timestampMs, String title, List<String> genres, Integer year) {
    }

    public record UserRatings(long user, int total, List<RatedItem> items) {
    }

    /** @param basis how the list was made: "cosine", "fans" (mean taste of users who liked the item), or "cosine" fallback */
    /** @param vector as {@link ItemView#vector}, for the item the list is about */
    public record ItemList(long item, String title, List<String> genres, String basis, int fans, List<ItemView> items,
                           String model, long modelSteps, String vector) {
    }

    public record BiasList(String order, List<ItemView> items) {
    }

    public record RmseHistory(long since, int count, List<PrequentialMetrics> points) {
    }

    // ------------------------------------------------------------------ queries

    public UserRecommendations recommendations(long user, int k) {
        return recommendations(user, k, -1);
    }

    /** {@link #recommendations(long, int)} with the user's state read from {@code partition} only (-1: any local). */
    public UserRecommendations recommendations(long user, int k, int partition) {
        ReadOnlyKeyValueStore<FactorKey, FactorRow> factors = stores.store(factorsStore);
        // U-AutoRec: the stored row is the user's history; the index turns it into the row the scan ranks with.
        FactorRow row = index.servingRow(user, factors.get(FactorKey.user(user)));
        long[] rated = ratedItems(user, partition);
        UserMetadata profile = this.<Long, UserMetadata>store(StoreNames.USER_METADATA).get(user);
        Long pushedAt = null;
        Recommendations last = stores.<Long, Recommendations>store(StoreNames.PUSHED, partition).get(user);
        if (last != null) {
            pushedAt = last.computedAtMs();
        }
        if (row == null && rated.length == 0 && profile == null) {
            throw ApiException.notFound("unknown user " + user + ": no factors, ratings or profile");
        }
        IndexStats now = index.stats();
        if (now.items() == 0) {
            throw new ApiException(503, "no item factors yet: the trainer has not published a model");
        }
        // Rank on raw scores μ + b_u + b_i + p·q (the SIMD scan), then serve the trainer's output transform of the
        // K kept: it is monotone, so the order is the same (see Serving).
        Serving serving = now.serving();
        float mu = serving.mean();
        int dim = now.dim();
        if (row != null && row.dim() == dim) {
            TopKSearch.DenseResult dense = index.topKDense(new float[]{row.bias()}, new float[][]{row.vector()}, k,
                    new long[][]{rated});
            if (dense != null) {
                return new UserRecommendations(user, false, "factors", null, Math.max(row.modelVersion(), now.modelVersion()),
                        rated.length, views(dense.lists().get(0)), pushedAt, profile, named(dense.model().family()),
                        dense.model().steps());
            }
            List<ScoredItem> top = serving.serve(coalescer.topK(row.vector(), mu + row.bias(), k, rated));
            return new UserRecommendations(user, false, "factors", null, Math.max(row.modelVersion(), now.modelVersion()),
                    rated.length, views(top), pushedAt, profile, named(index.model().family()), index.model().steps());
        }
        String note = row == null
                ? "no factors for this user yet: items ranked by learned item bias (popular with everyone), rated items excluded"
                : "user factors have dimension " + row.dim() + " but items have " + dim + ": ranked by item bias until the model catches up";
        // The trainer's prediction for a user without a row: b_u = 0 and no dot product (for DL+: no network term,
        // DlPlusScorer.score with a null user row), i.e. μ + b_i.
        ItemMatrix.DenseState model = index.model();
        List<ScoredItem> top = serving.serve(coalescer.topK(new float[dim], mu, k, rated));
        return new UserRecommendations(user, true, "item-bias", note, now.modelVersion(), rated.length, views(top),
                pushedAt, profile, named(model.family()), model.steps());
    }

    public UserRatings ratings(long user, int limit) {
        return ratings(user, limit, -1);
    }

    /** {@link #ratings(long, int)} read from {@code partition} only (-1: any local). */
    public UserRatings ratings(long user, int limit, int partition) {
        List<RatedItem> all = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = stores.<Bytes, byte[]>store(StoreNames.RATED, partition)
                .prefixScan(UserItemKeys.prefix(user), new BytesSerializer())) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> kv = it.next();
                long item = UserItemKeys.second(kv.key);
                ItemMetadata m = metadata(item);
                all.add(new RatedItem(item, UserItemKeys.rating(kv.value), UserItemKeys.timestamp(kv.value),
                        m == null ? null : m.title(), m == null ? List.of() : m.genres(), m == null ? null : m.year()));
            }
        }
        FactorRow row = this.<FactorKey, FactorRow>store(factorsStore).get(FactorKey.user(user));
        if (all.isEmpty() && row == null && this.<Long, UserMetadata>store(StoreNames.USER_METADATA).get(user) == null) {
            throw ApiException.notFound("unknown user " + user + ": no factors, ratings or profile");
        }
        all.sort(Comparator.comparingLong(RatedItem::timestampMs).reversed().thenComparingLong(RatedItem::item));
        return new UserRatings(user, all.size(), all.subList(0, Math.min(limit, all.size())));
    }

    public ItemList similar(long item, int k) {
        List<ScoredItem> sim = index.similar(item, k);
        if (sim == null) {
            throw unknownItem(item);
        }
        ItemMetadata m = metadata(item);
        ItemMatrix.DenseState model = index.model();
        return new ItemList(item, m == null ? null : m.title(), m == null ? List.of() : m.genres(), "cosine", 0, views(sim),
                named(model.family()), model.steps(), index.hybrid().source(item));
    }

    /**
     * What the users who liked this item are predicted to like: the mean of their predicted ratings for item j is
     * {@code μ + mean(b_u) + b_j + mean(p_u)·q_j}, so scoring all items against the fans' mean vector ranks exactly
     * by that mean. At most {@code maxFans} fans are averaged.
     */
    public ItemList alsoLiked(long item, int k) {
        return alsoLiked(item, k, localFans(item, List.of(-1)));
    }

    /**
     * The fans of {@code item} in the given user partitions of this instance (-1: all local ones), the
     * {@code maxFans} smallest user ids of each, ascending: what one instance contributes when the fans are spread
     * over several (they live with the user who rated).
     */
    public long[] localFans(long item, List<Integer> partitions) {
        java.util.TreeSet<Long> fans = new java.util.TreeSet<>();
        for (int p : partitions) {
            int taken = 0;
            try (KeyValueIterator<Bytes, byte[]> it = stores.<Bytes, byte[]>store(StoreNames.FANS, p)
                    .prefixScan(UserItemKeys.prefix(item), new BytesSerializer())) {
                // Without a partition the scan runs store by store: take them all, the smallest ids win below.
                while (it.hasNext() && (p < 0 || taken < options.maxFans())) {
                    fans.add(UserItemKeys.second(it.next().key));
                    taken++;
                }
            }
        }
        return fans.stream().limit(options.maxFans()).mapToLong(Long::longValue).toArray();
    }

    /**
     * Also-liked from the given fans (the caller gathered them from every instance): the {@code maxFans} smallest user
     * ids are averaged, so every instance computes the same list from the same fans.
     */
    public ItemList alsoLiked(long item, int k, long[] fanIds) {
        if (!index.contains(item)) {
            throw unknownItem(item);
        }
        long[] sorted = java.util.Arrays.stream(fanIds).sorted().distinct().limit(options.maxFans()).toArray();
        int dim = index.stats().dim();
        float[] centroid = new float[dim];
        double biasSum = 0;
        int fans = 0;
        ReadOnlyKeyValueStore<FactorKey, FactorRow> factors = stores.store(factorsStore);
        {
            for (long user : sorted) {
                FactorRow row = index.servingRow(user, factors.get(FactorKey.user(user)));
                if (row == null || row.dim() != dim) {
                    continue;
                }
                float[] v = row.vector();
                for (int d = 0; d < dim; d++) {
                    centroid[d] += v[d];
                }
                biasSum += row.bias();
                fans++;
            }
        }
        ItemMetadata m = metadata(item);
        String title = m == null ? null : m.title();
        List<String> genres = m == null ? List.of() : m.genres();
        ItemMatrix.DenseState model = index.model();
        if (fans == 0) {
            // Nobody with factors liked it yet: the nearest items by taste are the honest next best.
            return new ItemList(item, title, genres, "cosine (no fans yet)", 0, views(index.similar(item, k)),
                    named(model.family()), model.steps(), index.hybrid().source(item));
        }
        for (int d = 0; d < dim; d++) {
            centroid[d] /= fans;
        }
        TopKSearch.DenseResult dense = index.topKDense(new float[]{(float) (biasSum / fans)}, new float[][]{centroid}, k,
                new long[][]{{item}});
        if (dense != null) {
            return new ItemList(item, title, genres, "fans", fans, views(dense.lists().get(0)), named(dense.model().family()),
                    dense.model().steps(), index.hybrid().source(item));
        }
        Serving serving = index.serving();
        float offset = (float) (serving.mean() + biasSum / fans);
        // Served as the prediction for the fans' mean row, so it stays on the rating scale like every other score.
        List<ScoredItem> top = serving.serve(index.topK(centroid, 1f, offset, k, new long[]{item}));
        ItemMatrix.DenseState ranked = index.model();
        return new ItemList(item, title, genres, "fans", fans, views(top), named(ranked.family()), ranked.steps(),
                index.hybrid().source(item));
    }

    public BiasList topBiased(int k, boolean descending) {
        return new BiasList(descending ? "desc" : "asc", views(index.topBiased(k, descending)));
    }

    public RmseHistory rmse(long since, int limit) {
        List<PrequentialMetrics> points = history.since(since, limit);
        return new RmseHistory(since, points.size(), points);
    }

    // ------------------------------------------------------------------ helpers

    /** The family a list names: this service's family where the index says only that MF's scan ranked it. */
    private String named(String ranked) {
        return family != null && ItemMatrix.MF.equals(ranked) ? family : ranked;
    }

    public ItemIndex index() {
        return index;
    }

    /** The family this service serves: its own, or what the index ranks with now. */
    public String family() {
        return named(index.model().family());
    }

    private long[] ratedItems(long user, int partition) {
        List<Long> items = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = stores.<Bytes, byte[]>store(StoreNames.RATED, partition)
                .prefixScan(UserItemKeys.prefix(user), new BytesSerializer())) {
            while (it.hasNext()) {
                items.add(UserItemKeys.second(it.next().key));
            }
        }
        return items.stream().mapToLong(Long::longValue).toArray();
    }

    private ApiException unknownItem(long item) {
        return ApiException.notFound("unknown item " + item + ": the model has no factors for it");
    }

    private ItemMetadata metadata(long item) {
        return this.<Long, ItemMetadata>store(StoreNames.ITEM_METADATA).get(item);
    }

    private <K, V> ReadOnlyKeyValueStore<K, V> store(String name) {
        return stores.store(name);
    }

    private List<ItemView> views(List<ScoredItem> items) {
        ReadOnlyKeyValueStore<Long, ItemMetadata> meta = stores.store(StoreNames.ITEM_METADATA);
        List<ItemView> out = new ArrayList<>(items.size());
        for (ScoredItem s : items) {
            ItemMetadata m = meta.get(s.item());
            out.add(new ItemView(s.item(), s.score(), m == null ? null : m.title(), m == null ? List.of() : m.genres(),
                    m == null ? null : m.year(), index.hybrid().source(s.item())));
        }
        return out;
    }
}
