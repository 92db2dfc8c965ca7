package io.streamrec.scorer.stream;

import io.streamrec.common.event.PrequentialMetrics;
import io.streamrec.common.serde.JsonSerde;
import io.streamrec.scorer.ScorerMetrics;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import java.nio.charset.StandardCharsets;

/**
 * Reads the trainer's prequential metrics into {@link MetricsHistory} (the RMSE curve) and the latest report per
 * source into a global store. The store is in-memory on purpose: every start replays the whole topic through this
 * processor, which rebuilds the history too.
 */
public final class MetricsProcessor implements Processor<byte[], byte[], Void, Void> {

    private static final JsonSerde<PrequentialMetrics> SERDE = new JsonSerde<>(PrequentialMetrics.class);

    private final String storeName;
    private final PoisonGuard guard;
    private final MetricsHistory history;
    private final ScorerMetrics metrics;
    private ProcessorContext<Void, Void> context;
    private KeyValueStore<String, PrequentialMetrics> store;

    public MetricsProcessor(String storeName, PoisonGuard guard, MetricsHistory history, ScorerMetrics metrics) {
        this.storeName = storeName;
        this.guard = guard;
        this.history = history;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        store = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        if (record.value() == null) {
            return;
        }
        PrequentialMetrics m = guard.decode(SERDE::decode, record.value(), "prequential metrics", context);
        if (m == null) {
            return;
        }
        String source = record.key() != null ? new String(record.key(), StandardCharsets.UTF_8)
                : (m.source() == null ? "unknown" : m.source());
        store.put(source, m);
        history.add(m);
        metrics.trainerReported(m.wallTimeMs());
    }
}
