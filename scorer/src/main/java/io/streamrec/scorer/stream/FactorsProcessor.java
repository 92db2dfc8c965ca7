package io.streamrec.scorer.stream;

import io.streamrec.common.event.FactorKey;
import io.streamrec.common.event.FactorKind;
import io.streamrec.common.event.FactorRow;
import io.streamrec.common.model.RatingOutput;
import io.streamrec.common.serde.FactorKeySerde;
import io.streamrec.common.serde.FactorRowSerde;
import io.streamrec.scorer.ScorerMetrics;
import io.streamrec.scorer.index.ItemIndex;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the whole {@code factors} topic on every instance. Item rows and the global mean go to the item-factor store
 * and the in-memory {@link ItemIndex}; user rows go to the user-factor store and mark the user as changed, so the task
 * that owns the user recomputes their top-K. It reads raw bytes and decodes
 * them itself through its {@link PoisonGuard}, so a poison record is counted the same way whether it arrives live or during restoration (Kafka
 * Streams replays a global topic through this processor on restore). On init it loads what the store already holds
 * from an earlier run, so the index is complete before the first request.
 */
public final class FactorsProcessor implements Processor<byte[], byte[], Void, Void> {

    private static final Logger LOG = LoggerFactory.getLogger(FactorsProcessor.class);
    private static final FactorKeySerde KEYS = new FactorKeySerde();
    private static final FactorRowSerde ROWS = new FactorRowSerde();
    /** Serialized item keys start with {@code [version][kind='I']}: a prefix scan lists the items alone. */
    private static final byte[] ITEM_PREFIX = {FactorKeySerde.VERSION, FactorKind.ITEM.code()};
    public static final String UNKNOWN_GLOBAL_LAYOUT = "streamrec_scorer_unknown_global_layout_total";

    private final String storeName;
    private final PoisonGuard guard;
    private final ItemIndex index;
    private final ChangedUsers changed;
    private final ScorerMetrics metrics;
    /** The first family's factors topic: pushes and factor progress follow it. */
    private final boolean first;
    private KeyValueStore<FactorKey, FactorRow> store;
    private ProcessorContext<Void, Void> context;

    public FactorsProcessor(String storeName, PoisonGuard guard, ItemIndex index, ChangedUsers changed, ScorerMetrics metrics) {
        this(storeName, guard, index, changed, metrics, true);
    }

    /**
     * For the factors topic of a family served beside the first ({@code factors-<family>}): its rows feed its own
     * store and index only. Pushed lists and the factor-progress offsets stay the first family's, so user rows mark
     * nobody as changed and this topic's offsets are not reported as the factors topic's.
     */
    public static FactorsProcessor beside(String storeName, PoisonGuard guard, ItemIndex index, ScorerMetrics metrics) {
        return new FactorsProcessor(storeName, guard, index, null, metrics, false);
    }

    private FactorsProcessor(String storeName, PoisonGuard guard, ItemIndex index, ChangedUsers changed,
                             ScorerMetrics metrics, boolean first) {
        this.first = first;
        this.storeName = storeName;
        this.guard = guard;
        this.index = index;
        this.changed = changed;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        store = context.getStateStore(storeName);
        long t0 = System.nanoTime();
        int n = 0;
        try (KeyValueIterator<FactorKey, FactorRow> it = store.prefixScan(ITEM_PREFIX, new ByteArraySerializer())) {
            while (it.hasNext()) {
                KeyValue<FactorKey, FactorRow> kv = it.next();
                index.upsert(kv.key.id(), kv.value);
                n++;
            }
        }
        FactorRow global = store.get(FactorKey.GLOBAL);
        if (global != null) {
            applyGlobal(global);
        }
        if (n > 0) {
            LOG.info("loaded {} item factor rows from the local store in {} ms", n, (System.nanoTime() - t0) / 1_000_000);
        }
    }

    /**
     * μ and the output transform (clamp, sigmoid range) the trainer published in the GLOBAL row's vector. An unknown
     * layout (a newer trainer?) is counted and its vector ignored: μ still applies (the bias means the same in every
     * layout) and the last transform known stays in force, rather than a guessed one.
     */
    private void applyGlobal(FactorRow row) {
        RatingOutput.Published output;
        try {
            output = RatingOutput.fromGlobalVector(row.vector());
        } catch (IllegalArgumentException e) {
            metrics.inc(UNKNOWN_GLOBAL_LAYOUT, "");
            long n = metrics.total(UNKNOWN_GLOBAL_LAYOUT);
            if (n == 1 || n % 1000 == 0) {
                LOG.warn("ignoring the output layout of GLOBAL factor record v{} ({} so far): {}", row.modelVersion(), n,
                        e.getMessage());
            }
            index.setGlobal(row.bias(), row.modelVersion(), index.serving().output());
            return;
        }
        index.setGlobal(row.bias(), row.modelVersion(), output);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        if (first) {
            context.recordMetadata().ifPresent(m -> metrics.factorOffset(m.partition(), m.offset()));
        }
        if (record.key() == null) {
            guard.skip("NULL_KEY", "factor record without a key", context);
            return;
        }
        FactorKey key = guard.decode(KEYS::decode, record.key(), "factor key", context);
        if (key == null) {
            return;
        }
        if (record.value() == null) {
            store.delete(key);
            if (key.kind() == FactorKind.ITEM) {
                index.remove(key.id());
            }
            return;
        }
        FactorRow row = guard.decode(ROWS::decode, record.value(), "factor row", context);
        if (row == null) {
            return;
        }
        store.put(key, row);
        long now = context.currentSystemTimeMs();
        switch (key.kind()) {
            case ITEM -> index.upsert(key.id(), row);
            case GLOBAL -> applyGlobal(row);
            case USER -> {
                if (first) {
                    changed.mark(key.id(), now);
                }
            }
        }
        if (first) {
            metrics.factorApplied(key.kind().name().toLowerCase(java.util.Locale.ROOT), now);
        }
    }
}
