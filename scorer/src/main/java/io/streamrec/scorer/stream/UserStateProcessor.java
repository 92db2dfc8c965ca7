package io.streamrec.scorer.stream;

import io.streamrec.common.event.FactorKey;
import io.streamrec.common.event.FactorRow;
import io.streamrec.common.event.Rating;
import io.streamrec.common.event.Recommendations;
import io.streamrec.common.event.ScoredItem;
import io.streamrec.scorer.ScorerMetrics;
import io.streamrec.scorer.ScorerOptions;
import io.streamrec.scorer.index.IndexStats;
import io.streamrec.scorer.index.ItemIndex;
import io.streamrec.scorer.index.ItemMatrix;
import io.streamrec.scorer.index.Serving;
import io.streamrec.scorer.index.TopKSearch;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything per user that the task owning the user keeps: the items they rated (excluded from their recommendations),
 * the items they liked (the item → fans index behind "also liked") and the last list pushed. User factors come from
 * the global factors store. A wall-clock punctuation takes this task's changed users that may be pushed again (at
 * most once per {@code minPushInterval}), scores them against all items in batches, and forwards the lists that changed.
 */
public final class UserStateProcessor implements Processor<Long, Rating, Long, Recommendations> {

    private static final Logger LOG = LoggerFactory.getLogger(UserStateProcessor.class);
    /** Ratings of users who had a pushed list when they rated, per family that ranked it. */
    public static final String LISTED_RATINGS = "streamrec_scorer_served_list_ratings_total";
    /** Of those, ratings whose item was in that list: the product-side view of list quality. */
    public static final String LIST_HITS = "streamrec_scorer_served_list_hits_total";
    /** Users scored per kernel call: a batch amortises each pass over the item matrix. */
    static final int CHUNK = 256;

    private final ScorerOptions options;
    private final ItemIndex index;
    private final ChangedUsers changed;
    private final ScorerMetrics metrics;
    private ProcessorContext<Long, Recommendations> context;
    private int partition;
    private KeyValueStore<FactorKey, FactorRow> factors;
    private KeyValueStore<Bytes, byte[]> rated;
    private KeyValueStore<Bytes, byte[]> fans;
    private KeyValueStore<Long, Recommendations> pushed;

    public UserStateProcessor(ScorerOptions options, ItemIndex index, ChangedUsers changed, ScorerMetrics metrics) {
        this.options = options;
        this.index = index;
        this.changed = changed;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<Long, Recommendations> context) {
        this.context = context;
        partition = context.taskId().partition();
        factors = context.getStateStore(StoreNames.FACTORS);
        rated = context.getStateStore(StoreNames.RATED);
        fans = context.getStateStore(StoreNames.FANS);
        pushed = context.getStateStore(StoreNames.PUSHED);
        changed.taskStarted(partition);
        context.schedule(options.recomputeInterval(), PunctuationType.WALL_CLOCK_TIME, this::recompute);
    }

    @Override
    public void close() {
        changed.taskClosed(partition);
    }

    @Override
    public void process(Record<Long, Rating> record) {
        Rating r = record.value();
        if (r == null) {
            return;
        }
        long user = r.user();
        countListHit(user, r.item());
        rated.put(UserItemKeys.pair(user, r.item()), UserItemKeys.ratingValue(r.rating(), r.timestampMs()));
        if (r.rating() >= options.likedThreshold()) {
            fans.put(UserItemKeys.pair(r.item(), user), UserItemKeys.ratingValue(r.rating(), r.timestampMs()));
        } else {
            fans.delete(UserItemKeys.pair(r.item(), user)); // a re-rating below the bar withdraws the like
        }
        metrics.ratingSeen(context.currentSystemTimeMs());
        // A newly rated item must leave the user's list even before the trainer updates their factors.
        changed.mark(user, context.currentSystemTimeMs());
    }

    /**
     * Whether the rated item was in the list last pushed to the user (read before this rating changes it). Only pushed
     * lists count: lists served over REST are not stored per user. A re-rating of an item the user rated before
     * the list was made cannot be in it (rated items are excluded) and counts as a miss.
     */
    private void countListHit(long user, long item) {
        Recommendations last = pushed.get(user);
        if (last == null) {
            return;
        }
        String labels = "model=\"" + index.model().family() + "\"";
        metrics.inc(LISTED_RATINGS, labels);
        for (ScoredItem s : last.items()) {
            if (s.item() == item) {
                metrics.inc(LIST_HITS, labels);
                return;
            }
        }
    }

    /** Recomputes this task's changed users that are due. */
    void recompute(long now) {
        IndexStats before = index.stats();
        if (before.items() == 0) {
            return; // no items yet: keep users marked until there is something to recommend
        }
        long minGap = options.minPushInterval().toMillis();
        List<ChangedUsers.Change> due = changed.take(partition, options.maxBatchUsers(), user -> {
            Recommendations last = pushed.get(user);
            return last == null || now - last.computedAtMs() >= minGap;
        });
        if (due.isEmpty()) {
            return;
        }
        long t0 = System.nanoTime();
        int pushedCount = 0;
        int dim = before.dim();
        for (int from = 0; from < due.size(); from += CHUNK) {
            int to = Math.min(due.size(), from + CHUNK);
            List<Long> users = new ArrayList<>(to - from);
            List<float[]> vectors = new ArrayList<>();
            List<Float> offsets = new ArrayList<>();
            List<Float> biases = new ArrayList<>();
            List<long[]> excluded = new ArrayList<>();
            List<Long> versions = new ArrayList<>();
            List<Long> dirtySince = new ArrayList<>();
            Serving serving = index.serving();
            float mu = serving.mean();
            for (int i = from; i < to; i++) {
                long user = due.get(i).user();
                FactorRow row = index.servingRow(user, factors.get(FactorKey.user(user)));
                if (row == null || row.dim() != dim) {
                    continue; // cold (no factors yet) or from a model of another size: nothing personal to push
                }
                users.add(user);
                vectors.add(row.vector());
                offsets.add(mu + row.bias());
                biases.add(row.bias());
                excluded.add(ratedItems(rated, user));
                versions.add(row.modelVersion());
                dirtySince.add(due.get(i).sinceMs());
            }
            if (users.isEmpty()) {
                continue;
            }
            float[] off = new float[offsets.size()];
            for (int i = 0; i < off.length; i++) {
                off[i] = offsets.get(i);
            }
            float[] userBiases = new float[off.length];
            for (int i = 0; i < off.length; i++) {
                userBiases[i] = biases.get(i);
            }
            // DL+ when its weights are in force (lists come served), else the dot-product scan (raw, served below).
            TopKSearch.DenseResult dense = index.topKDense(userBiases, vectors.toArray(new float[0][]), options.pushTopK(),
                    excluded.toArray(new long[0][]));
            List<List<ScoredItem>> tops = dense != null ? dense.lists() : index.topKBatch(vectors.toArray(new float[0][]),
                    1f, off, options.pushTopK(), excluded.toArray(new long[0][]));
            long modelVersion = index.stats().modelVersion();
            ItemMatrix.DenseState ranking = dense != null ? dense.model() : index.model();
            for (int i = 0; i < users.size(); i++) {
                long user = users.get(i);
                List<ScoredItem> top = dense != null ? tops.get(i) : serving.serve(tops.get(i));
                Recommendations last = pushed.get(user);
                if (last != null && sameItems(last.items(), top)) {
                    metrics.inc("streamrec_scorer_recommendations_unchanged_total", "");
                    continue;
                }
                Recommendations recs = new Recommendations(user, Math.max(modelVersion, versions.get(i)), top, now,
                        ranking.family(), ranking.steps());
                pushed.put(user, recs);
                context.forward(new Record<>(user, recs, now));
                metrics.inc("streamrec_scorer_recommendations_pushed_total", "");
                metrics.observe("streamrec_scorer_push_delay_seconds", "", Math.max(0, now - dirtySince.get(i)) / 1000.0);
                pushedCount++;
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        metrics.observe("streamrec_scorer_recompute_seconds", "", seconds);
        LOG.debug("recomputed {} users in {} ms, pushed {}", due.size(), Math.round(seconds * 1000), pushedCount);
    }

    /** The items a user rated, from a prefix scan of the (user, item) store. */
    static long[] ratedItems(org.apache.kafka.streams.state.ReadOnlyKeyValueStore<Bytes, byte[]> rated, long user) {
        long[] items = new long[16];
        int n = 0;
        try (KeyValueIterator<Bytes, byte[]> it = rated.prefixScan(UserItemKeys.prefix(user),
                new org.apache.kafka.common.serialization.BytesSerializer())) {
            while (it.hasNext()) {
                if (n == items.length) {
                    items = java.util.Arrays.copyOf(items, n * 2);
                }
                items[n++] = UserItemKeys.second(it.next().key);
            }
        }
        return java.util.Arrays.copyOf(items, n);
    }

    private static boolean sameItems(List<ScoredItem> a, List<ScoredItem> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i).item() != b.get(i).item()) {
                return false;
            }
        }
        return true;
    }
}
