package io.streamrec.scorer;

import io.streamrec.scorer.http.ScorerHttpServer;
import io.streamrec.scorer.index.IndexStats;
import io.streamrec.scorer.index.ItemIndex;
import io.streamrec.scorer.stream.ChangedUsers;
import io.streamrec.scorer.stream.MetricsHistory;
import io.streamrec.scorer.stream.StoreNames;
import org.apache.kafka.streams.KafkaStreams;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The scorer's figures about itself: the dashboard's once-a-second sample ({@code /stats}, the {@code stats} event)
 * and the Prometheus gauges over the same sources (index, stores, pending users, lag, freshness).
 */
final class ScorerStats {

    /** Counters of the sample that the dashboard also shows as per-second rates. */
    static final Set<String> RATE_KEYS = Set.of("ratingsSeen", "factorRows", "pushes", "httpRequests");

    private final KafkaStreams streams;
    private final ItemIndex index;
    private final ScorerMetrics metrics;
    private final ChangedUsers changed;
    private final MetricsHistory history;
    private final ScorerHealth health;
    private final ConsumerLag lag;

    ScorerStats(KafkaStreams streams, ItemIndex index, ScorerMetrics metrics, ChangedUsers changed, MetricsHistory history,
                ScorerHealth health, ConsumerLag lag) {
        this.streams = streams;
        this.index = index;
        this.metrics = metrics;
        this.changed = changed;
        this.history = history;
        this.health = health;
        this.lag = lag;
    }

    /** Registers the gauges with the scorer's metrics, each read when Prometheus scrapes. */
    void registerGauges(StoreProvider stores) {
        metrics.gauge("streamrec_scorer_items", "Items in the scoring index.", () -> index.stats().items());
        metrics.gauge("streamrec_scorer_factor_dim", "Latent dimension of the item factors.", () -> index.stats().dim());
        metrics.gauge("streamrec_scorer_model_version", "Newest model version seen in item rows or the global mean.",
                () -> index.stats().modelVersion());
        metrics.gauge("streamrec_scorer_dense_model_steps", "Optimizer steps of the dense weights in force (0: MF's scan ranks).",
                () -> index.model().steps());
        metrics.gauge("streamrec_scorer_changed_users_pending", "Users waiting for their top-K to be recomputed.", changed::size);
        metrics.gauge("streamrec_scorer_metrics_history_points", "Prequential reports held for the RMSE curve.", history::size);
        metrics.gauge("streamrec_scorer_factor_event_time_max_ms", "Newest event time carried by an item row.",
                () -> index.stats().maxEventTimeMs());
        metrics.gauge("streamrec_scorer_freshness_seconds", "Wall time since the last factor row was applied.", () -> {
            long last = metrics.lastFactorAppliedMs();
            return last == 0 ? Double.NaN : (System.currentTimeMillis() - last) / 1000.0;
        });
        metrics.gauge("streamrec_scorer_factors_lag_records", "Factor records not yet read by the global consumer.",
                health::factorsLag);
        io.streamrec.scorer.stream.TrainerQualityGauges.attach(history, metrics);
        for (String store : List.of(StoreNames.FACTORS, StoreNames.MODELS, StoreNames.ITEM_METADATA, StoreNames.USER_METADATA,
                StoreNames.RATED, StoreNames.FANS, StoreNames.PUSHED)) {
            metrics.gauge("streamrec_scorer_store_entries{store=\"" + store + "\"}",
                    "Approximate entries per state store (RocksDB estimate).",
                    () -> stores.store(store).approximateNumEntries());
        }
    }

    /** The dashboard's sample: counters, index figures (one snapshot), lag and the latest prequential report. */
    Map<String, Object> sample() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("wallMs", System.currentTimeMillis());
        s.put("state", streams.state().name());
        IndexStats items = index.stats();
        s.put("items", items.items());
        s.put("dim", items.dim());
        s.put("modelVersion", items.modelVersion());
        s.put("globalMean", items.globalMean());
        s.put("kernel", index.kernelName());
        var model = index.model();
        s.put("model", model.family());
        s.put("modelSteps", model.steps());
        s.put("ratingsSeen", metrics.total("streamrec_scorer_ratings_seen_total"));
        s.put("factorRows", metrics.total("streamrec_scorer_factor_rows_applied_total"));
        s.put("pushes", metrics.total("streamrec_scorer_recommendations_pushed_total"));
        s.put("listedRatings", metrics.total(io.streamrec.scorer.stream.UserStateProcessor.LISTED_RATINGS));
        s.put("listHits", metrics.total(io.streamrec.scorer.stream.UserStateProcessor.LIST_HITS));
        s.put("httpRequests", metrics.total(ScorerHttpServer.REQUESTS));
        s.put("poison", metrics.total("streamrec_scorer_poison_records_total"));
        s.put("rejected", metrics.total("streamrec_scorer_rejected_ratings_total"));
        s.put("changedPending", changed.size());
        long last = metrics.lastFactorAppliedMs();
        s.put("lastFactorAgeMs", last == 0 ? null : System.currentTimeMillis() - last);
        double factors = health.factorsLag();
        s.put("factorsLag", Double.isNaN(factors) ? null : factors);
        s.put("inputLag", lag.inputLag());
        s.put("latest", history.latest());
        return s;
    }
}
