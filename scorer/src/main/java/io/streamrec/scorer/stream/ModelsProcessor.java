package io.streamrec.scorer.stream;

import io.streamrec.model.dense.DenseCodec;
import io.streamrec.model.dense.DenseParameters;
import io.streamrec.model.dense.DlPlusScorer;
import io.streamrec.model.dense.UAutoRecScorer;
import io.streamrec.scorer.ScorerMetrics;
import io.streamrec.scorer.index.ItemIndex;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;

/**
 * Reads the compacted {@code models} topic (key: family id, value: {@link DenseCodec} bytes of the weights, written
 * exactly-once at the trainer's checkpoints) on every instance and keeps the current weights per family: the store
 * holds the bytes, the {@link ItemIndex} the scorer built from them. Every failure is counted through the
 * {@link PoisonGuard} and skipped, never fatal: bytes that do not decode (truncated, corrupted, another format
 * version), a family this build cannot score ({@code UNKNOWN_FAMILY}), a key that disagrees with the fingerprint
 * ({@code FAMILY_MISMATCH}), or weights that do not make a network ({@code INCOMPATIBLE_WEIGHTS}); the weights in force
 * stay. A tombstone drops the family's weights (ranking falls back to the dot-product scan).
 */
public final class ModelsProcessor implements Processor<byte[], byte[], Void, Void> {

    private static final Logger LOG = LoggerFactory.getLogger(ModelsProcessor.class);
    /** The dense families this build scores. */
    public static final String DLPLUS = "dlplus";
    public static final String U_AUTOREC = "u-autorec";
    public static final String HYBRID = "hybrid";
    public static final String APPLIED = "streamrec_scorer_model_updates_total";

    private final String storeName;
    private final PoisonGuard guard;
    /** The index serving a family's weights; null for a family this scorer does not serve (kept, not applied). */
    private final java.util.function.Function<String, ItemIndex> indexOf;
    private final ScorerMetrics metrics;
    private KeyValueStore<String, byte[]> store;
    private ProcessorContext<Void, Void> context;

    public ModelsProcessor(String storeName, PoisonGuard guard, ItemIndex index, ScorerMetrics metrics) {
        this(storeName, guard, family -> index, metrics);
    }

    /** Several families served: each family's weights go to that family's index ({@code indexOf}), if it is served. */
    public ModelsProcessor(String storeName, PoisonGuard guard, java.util.function.Function<String, ItemIndex> indexOf,
                           ScorerMetrics metrics) {
        this.storeName = storeName;
        this.guard = guard;
        this.indexOf = indexOf;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = null; // records loaded from the store have no metadata
        store = context.getStateStore(storeName);
        try (KeyValueIterator<String, byte[]> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                apply(kv.key, kv.value);
            }
        }
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        if (record.key() == null) {
            guard.skip("NULL_KEY", "model record without a key", context);
            return;
        }
        String family = new String(record.key(), StandardCharsets.UTF_8);
        if (record.value() == null) {
            store.delete(family);
            ItemIndex index = indexOf.apply(family);
            if (index == null) {
                return;
            }
            if (DLPLUS.equals(family)) {
                index.setDense(null, null, 0);
                LOG.info("model weights of {} deleted: ranking by the dot-product scan", family);
            } else if (HYBRID.equals(family)) {
                index.setHybrid(null, 0);
                LOG.info("model weights of {} deleted: features-only items leave the index", family);
            } else if (U_AUTOREC.equals(family)) {
                index.setUAutoRec(null);
                LOG.info("model weights of {} deleted: user rows are no longer encoded", family);
            }
            return;
        }
        if (apply(family, record.value())) {
            store.put(family, record.value());
        }
    }

    /** Decodes and puts the weights in force; false (counted) when they cannot be scored. */
    private boolean apply(String family, byte[] bytes) {
        DenseParameters params = guard.decode(b -> DenseCodec.decode(b, null), bytes, "model weights", context);
        if (params == null) {
            return false;
        }
        String fp = params.fingerprint();
        int cut = fp.indexOf(';');
        String written = cut < 0 ? fp : fp.substring(0, cut);
        if (!written.equals(family)) {
            guard.skip("FAMILY_MISMATCH", "model record keyed '" + family + "' holds weights of '" + fp + "'", context);
            return false;
        }
        ItemIndex index = indexOf.apply(family);
        if (index == null) {
            return true; // kept in the store as the topic has it; no index of this scorer ranks with it
        }
        if (U_AUTOREC.equals(family)) {
            // U-AutoRec ranks with the dot-product scan over query rows built from each user's history
            // (ItemIndex.servingRow): only its encoder bias comes from here.
            try {
                index.setUAutoRec(new UAutoRecScorer(params.weightsOnly()), params.steps());
            } catch (RuntimeException e) {
                guard.skip("INCOMPATIBLE_WEIGHTS", "model weights " + fp + ": " + e.getMessage(), context);
                return false;
            }
            metrics.inc(APPLIED, "family=\"" + family + "\"");
            return true;
        }
        if (HYBRID.equals(family)) {
            try {
                index.setHybrid(io.streamrec.model.features.HybridScorer.of(params.weightsOnly()), params.steps());
            } catch (RuntimeException e) {
                guard.skip("INCOMPATIBLE_WEIGHTS", "model weights " + fp + ": " + e.getMessage(), context);
                return false;
            }
            metrics.inc(APPLIED, "family=\"" + family + "\"");
            return true;
        }
        if (!DLPLUS.equals(family)) {
            guard.skip("UNKNOWN_FAMILY", "model family '" + family + "' (" + fp + ") is not one this scorer can score"
                    + " (known: " + DLPLUS + ", " + HYBRID + ", " + U_AUTOREC + ")", context);
            return false;
        }
        DlPlusScorer scorer;
        try {
            scorer = new DlPlusScorer(params.weightsOnly());
        } catch (RuntimeException e) {
            guard.skip("INCOMPATIBLE_WEIGHTS", "model weights " + fp + ": " + e.getMessage(), context);
            return false;
        }
        long t0 = System.nanoTime();
        index.setDense(scorer, family, params.steps());
        metrics.inc(APPLIED, "family=\"" + family + "\"");
        LOG.debug("{} weights at step {} in force; item shares recomputed in {} ms", fp, params.steps(),
                (System.nanoTime() - t0) / 1_000_000);
        return true;
    }
}
