package io.streamrec.scorer;

import io.streamrec.scorer.http.ScorerHttpServer;
import io.streamrec.scorer.index.IndexStats;
import io.streamrec.scorer.index.ItemIndex;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Answers {@code /health}: ready only when Kafka Streams is RUNNING (stores restored), how far behind the factors
 * topic the scorer is, and the trainer section (DEGRADED while the trainer is silent and ratings keep coming).
 */
final class ScorerHealth {

    private final KafkaStreams streams;
    private final ItemIndex index;
    private final ScorerMetrics metrics;
    private final ConsumerLag lag;
    private final FactorProgress progress;
    private final String factorsTopic;

    ScorerHealth(KafkaStreams streams, ItemIndex index, ScorerMetrics metrics, ConsumerLag lag, FactorProgress progress,
                 String factorsTopic) {
        this.streams = streams;
        this.index = index;
        this.metrics = metrics;
        this.lag = lag;
        this.progress = progress;
        this.factorsTopic = factorsTopic;
    }

    /**
     * Factor records published but not yet applied: the global consumer's lag, or the progress publisher's gap when
     * that is larger (the lag metric lags a fetch behind). 0 means every committed row is applied; NaN: not known yet.
     */
    double factorsLag() {
        double consumer = lag.globalLag(factorsTopic);
        double behind = progress.behind();
        if (Double.isNaN(consumer)) {
            return behind;
        }
        return Double.isNaN(behind) ? consumer : Math.max(consumer, behind);
    }

    ScorerHttpServer.Health health() {
        KafkaStreams.State state = streams.state();
        boolean ready = state == KafkaStreams.State.RUNNING;
        String status = ready ? "UP" : switch (state) {
            case CREATED, REBALANCING -> "RESTORING";
            case ERROR, PENDING_ERROR -> "FAILED";
            default -> "DOWN";
        };
        double factors = factorsLag();
        TrainerHealth trainer = metrics.trainerHealth(System.currentTimeMillis());
        if (ready && trainer.silent()) {
            status = "DEGRADED";
        }
        IndexStats items = index.stats();
        return new ScorerHttpServer.Health(ready, status, state.name(), items.items(), items.dim(), items.modelVersion(),
                metrics.lastFactorAppliedMs(), Double.isNaN(factors) ? null : factors, trainer);
    }
}
