package io.streamrec.model.eval;

import io.streamrec.common.event.RankingMetrics;
import io.streamrec.model.CatalogueRanker;
import io.streamrec.model.MiniBatch;
import io.streamrec.model.OnlineModel;
import io.streamrec.model.RowTable;
import io.streamrec.model.Rows;

import java.util.Arrays;

/**
 * The streaming list protocol (Vinagre et al. 2014): before the model learns a batch, each sampled event (u, i) of
 * it has i ranked among every item the model knows that u has not rated, with the model's own whole-catalogue
 * scoring ({@link OnlineModel#catalogueRanker}) and the state before the batch, as its rating predictions are. The
 * rank goes to a {@link RankingEvaluator}; every event's item is then noted as rated by its user, so later events
 * (the same batch included) exclude it.
 *
 * <p>User panel: with {@code userPanel} P &gt; 1 only the users a seeded hash of the id puts in 1 of P take part,
 * their items alone are remembered, and the evaluator samples among their events. Where remembering every event's
 * item is the cost (the trainer's keyed state: one RocksDB write per event halved its throughput, measured), a panel
 * of 1 in P cuts that cost and that state P-fold while the sample stays a uniform random one over users (the hash
 * knows nothing of the data), clustered by user. The hash depends only on (seed, user), so every subtask, restart
 * and rescale agrees on who is in the panel. Single-threaded.
 */
public final class PrequentialRanking {

    /** Default events per ranked sample offline ({@code evaluate}), where precision matters more than time. */
    public static final int DEFAULT_OFFLINE_EVERY = 10;

    private final OnlineModel model;
    private final RankingEvaluator evaluator;
    private final int userPanel;
    private final long panelSeed;
    private final ItemCatalogue catalogue = new ItemCatalogue();
    private float[] scores = new float[0];
    private int[] excluded = new int[16];
    /** Positions already excluded for the current sample: a store may remember a re-rated item twice. */
    private boolean[] isExcluded = new boolean[0];
    private int excludedCount;
    private long unknownItems;

    /** Every user takes part. */
    public PrequentialRanking(OnlineModel model, RankingEvaluator evaluator) {
        this(model, evaluator, 1, 0);
    }

    /** Only the users in the seeded panel of 1 in {@code userPanel} take part (see the class comment). */
    public PrequentialRanking(OnlineModel model, RankingEvaluator evaluator, int userPanel, long panelSeed) {
        if (userPanel < 1) {
            throw new IllegalArgumentException("user panel must be 1 in >= 1 users, got " + userPanel);
        }
        this.model = model;
        this.evaluator = evaluator;
        this.userPanel = userPanel;
        this.panelSeed = panelSeed;
    }

    /** Whether {@code user} is in the panel: a mix of (seed, id), so ids in any pattern spread evenly. */
    public boolean inPanel(long user) {
        if (userPanel == 1) {
            return true;
        }
        long h = (user ^ panelSeed) * 0x9E3779B97F4A7C15L;
        h ^= h >>> 31;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 29;
        return Long.remainderUnsigned(h, userPanel) == 0;
    }

    /**
     * Ranks the sampled events of {@code batch} with the model as it stands now (call before the model learns the
     * batch) and notes every event's item as rated.
     *
     * @param users the user rows the model reads for this batch (null row: a user it has not learned)
     * @param items the model's whole item table: its rows are the catalogue
     */
    public void rankBefore(MiniBatch batch, Rows users, RowTable items, RatedItems rated) {
        CatalogueRanker ranker = null;
        for (int e = 0; e < batch.size(); e++) {
            long user = batch.user(e);
            long item = batch.item(e);
            if (!inPanel(user)) {
                continue;
            }
            if (evaluator.nextEventSampled()) {
                if (ranker == null) {
                    catalogue.rebuild(items);
                    ranker = model.catalogueRanker(catalogue.ids(), catalogue.rows(), catalogue.size());
                    if (scores.length < catalogue.size()) {
                        scores = new float[catalogue.size()];
                    }
                }
                evaluator.record(rankOf(user, item, users.get(user), ranker, rated));
            }
            rated.add(user, item);
        }
    }

    /** Ranks held-out pairs without learning (holdout protocol): {@code rated} must already hold every pair to exclude. */
    public void rankHeldOut(MiniBatch batch, Rows users, RowTable items, RatedItems rated) {
        catalogue.rebuild(items);
        CatalogueRanker ranker = model.catalogueRanker(catalogue.ids(), catalogue.rows(), catalogue.size());
        if (scores.length < catalogue.size()) {
            scores = new float[catalogue.size()];
        }
        for (int e = 0; e < batch.size(); e++) {
            if (inPanel(batch.user(e)) && evaluator.nextEventSampled()) {
                long user = batch.user(e);
                evaluator.record(rankOf(user, batch.item(e), users.get(user), ranker, rated));
            }
        }
    }

    private int rankOf(long user, long item, float[] userRow, CatalogueRanker ranker, RatedItems rated) {
        int target = catalogue.positionOf(item);
        if (target < 0) {
            unknownItems++;
            return 0;
        }
        ranker.score(user, userRow, scores);
        if (isExcluded.length < catalogue.size()) {
            isExcluded = new boolean[catalogue.size()];
        }
        excludedCount = 0;
        rated.forEach(user, id -> {
            int p = catalogue.positionOf(id);
            if (p >= 0 && p != target && !isExcluded[p]) {
                isExcluded[p] = true;
                if (excludedCount == excluded.length) {
                    excluded = Arrays.copyOf(excluded, excludedCount * 2);
                }
                excluded[excludedCount++] = p;
            }
        });
        for (int k = 0; k < excludedCount; k++) {
            isExcluded[excluded[k]] = false;
        }
        return rank(scores, catalogue.size(), target, excluded, excludedCount);
    }

    /**
     * The 1-based rank of position {@code target} among positions 0..count-1 minus the {@code excluded} ones
     * (distinct, never the target): 1 + the candidates scoring higher, or equal and earlier in the catalogue. 0 when
     * the target's score is NaN (it cannot be ranked).
     */
    static int rank(float[] scores, int count, int target, int[] excluded, int excludedCount) {
        float st = scores[target];
        if (Float.isNaN(st)) {
            return 0;
        }
        int ahead = 0;
        for (int j = 0; j < count; j++) {
            float s = scores[j];
            if (s > st || (s == st && j < target)) {
                ahead++;
            }
        }
        for (int k = 0; k < excludedCount; k++) {
            int j = excluded[k];
            float s = scores[j];
            if (s > st || (s == st && j < target)) {
                ahead--;
            }
        }
        return ahead + 1;
    }

    public RankingEvaluator evaluator() {
        return evaluator;
    }

    /** Samples whose item the model did not know yet (counted as misses). */
    public long unknownItems() {
        return unknownItems;
    }

    public RankingMetrics snapshot() {
        return evaluator.snapshot(userPanel);
    }
}
