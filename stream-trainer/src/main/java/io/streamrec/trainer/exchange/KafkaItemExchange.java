package io.streamrec.trainer.exchange;

import io.streamrec.common.event.FactorKind;
import io.streamrec.model.ChangedRows;
import io.streamrec.model.GlobalStats;
import io.streamrec.model.MiniBatch;
import io.streamrec.model.OnlineModel;
import io.streamrec.model.RowLayout;
import io.streamrec.model.RowTable;
import io.streamrec.model.Rows;
import io.streamrec.model.dense.DenseParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The "Kafka deltas" strategy (parallelism &gt; 1): publishes what this subtask changed in its copy of the item table
 * as {@link ItemDelta}s (every {@code intervalMs}, or sooner when many rows are pending), adds everyone else's
 * (filtered by {@link OriginFilter}), and keeps its own published deltas "in flight" until they come back, so a
 * snapshot can record the table as it will be once they are applied everywhere (see {@link #rowsWithoutInFlight}).
 *
 * <p>Dense weights (a model with {@link OnlineModel#denseParameters()}, e.g. DL+): each subtask learns its own copy
 * of the network from its own users. Whenever it publishes item deltas and has learned since its previous weights
 * message, it also publishes its current weights ({@link DenseWeights}, no optimizer state); on receiving another
 * live subtask's weights it remembers them as that subtask's latest and sets its own weights to the average of its
 * own and the latest copy of every other live subtask ({@link DenseParameters#average}, then
 * {@link OnlineModel#restoreDense}: DL+ keeps its own Adam state when given weights only). "Live" means of this
 * incarnation of the job: after a restore the snapshots' copies were already averaged, so weights a failed attempt
 * left in the topic are discarded. Averaging only marks the weights changed for the models topic, not for the next
 * weights message, so idle subtasks do not echo each other's weights forever.
 */
public final class KafkaItemExchange implements ItemExchange {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaItemExchange.class);

    private final Incarnation self;
    private final long intervalMs;
    private final int maxUnpublishedRows;
    private final RowTable items;
    private final RowLayout layout;
    private final OnlineModel model;
    private final TrackedItemRows view;
    private final DeltaAccumulator unpublished = new DeltaAccumulator();
    /** Own deltas published but not yet seen coming back. */
    private final ArrayDeque<ItemDelta> inFlight = new ArrayDeque<>();
    private final OriginFilter filter;
    private long nextSequence;
    private long nextPublishAt;
    /** Whether the model has dense weights to exchange. */
    private final boolean dense;
    /** Learned since the last weights message. */
    private boolean denseLearned;
    private long nextDenseSequence;
    /** The latest weights of every other live subtask, by origin. */
    private final Map<String, DenseParameters> latestWeights = new HashMap<>();
    private long averages;

    public KafkaItemExchange(Incarnation self, long intervalMs, int maxUnpublishedRows, RowTable items, OnlineModel model) {
        this.self = self;
        this.intervalMs = intervalMs;
        this.maxUnpublishedRows = maxUnpublishedRows;
        this.items = items;
        this.model = model;
        this.layout = model.layout();
        this.view = new TrackedItemRows(items, layout);
        this.filter = new OriginFilter(self);
        this.dense = model.denseParameters().isPresent();
    }

    @Override
    public Rows startBatch() {
        view.startBatch();
        return view;
    }

    @Override
    public void batchLearned(MiniBatch batch, ChangedRows changed) {
        for (int k = 0; k < changed.itemCount(); k++) {
            long id = changed.itemId(k);
            unpublished.addChange(id, view.before(id), changed.itemRow(k));
        }
        unpublished.addRatings(batch);
        denseLearned = dense;
    }

    @Override
    public void publishIfDue(LongSupplier nowMs, Consumer<ExchangeMessage> out) {
        long now = nowMs.getAsLong();
        if (now >= nextPublishAt || unpublished.rowCount() >= maxUnpublishedRows) {
            publish(out);
            nextPublishAt = now + intervalMs;
        }
    }

    @Override
    public void publish(Consumer<ExchangeMessage> out) {
        publishWeights(out);
        if (unpublished.isEmpty()) {
            return;
        }
        var deltas = unpublished.drain(self.origin(), nextSequence, layout.width());
        nextSequence += deltas.size();
        for (ItemDelta d : deltas) {
            inFlight.add(d);
            out.accept(d);
        }
        LOG.debug("{} published {} item deltas, {} in flight", self.origin(), deltas.size(), inFlight.size());
    }

    private void publishWeights(Consumer<ExchangeMessage> out) {
        if (!denseLearned) {
            return;
        }
        denseLearned = false;
        model.denseParameters().ifPresent(p -> out.accept(DenseWeights.of(self.origin(), nextDenseSequence++, p)));
    }

    @Override
    public Outcome apply(ExchangeMessage message) {
        if (message instanceof ItemDelta d) {
            return applyDelta(d);
        }
        return applyWeights((DenseWeights) message);
    }

    private Outcome applyWeights(DenseWeights w) {
        if (w.origin().equals(self.origin())) {
            return Outcome.OWN;
        }
        if (!w.origin().startsWith(self.prefix())) {
            return Outcome.DISCARDED;
        }
        if (!dense) {
            throw new IllegalStateException("dense weights from " + w.origin() + " reached a trainer whose model "
                    + model.fingerprint() + " has no dense parameters: subtasks disagree on model settings");
        }
        // Refuses another model's weights naming both fingerprints.
        latestWeights.put(w.origin(), w.parameters(model.fingerprint()));
        List<DenseParameters> copies = new ArrayList<>(latestWeights.size() + 1);
        copies.add(model.denseParameters().orElseThrow().weightsOnly());
        copies.addAll(latestWeights.values());
        model.restoreDense(DenseParameters.average(copies));
        averages++;
        LOG.debug("{} averaged its dense weights with {} other subtasks' (after weights {} of {})", self.origin(),
                latestWeights.size(), w.sequence(), w.origin());
        return Outcome.APPLIED;
    }

    private Outcome applyDelta(ItemDelta delta) {
        if (delta.origin().equals(self.origin())) {
            // Our own change came back: it is in every copy now (or will be, at the same offset), no longer in flight.
            inFlight.removeIf(d -> d.sequence() == delta.sequence());
            return Outcome.OWN;
        }
        if (!filter.accepts(delta)) {
            return Outcome.DISCARDED;
        }
        if (delta.width() != layout.width()) {
            throw new IllegalStateException("item delta from " + delta.origin() + " has rows of " + delta.width()
                    + " floats, this trainer's layout needs " + layout.width() + ": subtasks disagree on model settings");
        }
        int w = delta.width();
        float[] d = delta.deltas();
        for (int i = 0; i < delta.size(); i++) {
            long id = delta.items()[i];
            float[] row = items.get(id);
            if (row == null) {
                row = layout.newRow(FactorKind.ITEM, id);
                items.put(id, row);
            }
            for (int j = 0, base = i * w; j < w; j++) {
                row[j] += d[base + j];
            }
        }
        if (delta.ratingCount() > 0) {
            model.restoreGlobal(delta.ratings().addTo(model.global()));
        }
        return Outcome.APPLIED;
    }

    /**
     * Our own deltas still in flight are subtracted: after a restore they are read back from Kafka (the checkpointed
     * offsets precede them) and applied by every subtask, including the new incarnation of this one.
     */
    @Override
    public Map<Long, float[]> rowsWithoutInFlight() {
        HashMap<Long, float[]> adjusted = new HashMap<>();
        for (ItemDelta d : inFlight) {
            int w = d.width();
            for (int i = 0; i < d.size(); i++) {
                float[] row = adjusted.computeIfAbsent(d.items()[i], x -> items.get(x).clone());
                for (int j = 0; j < w; j++) {
                    row[j] -= d.deltas()[i * w + j];
                }
            }
        }
        return adjusted;
    }

    @Override
    public GlobalStats globalWithoutInFlight(GlobalStats g) {
        long count = 0;
        double sum = 0;
        for (ItemDelta d : inFlight) {
            count += d.ratingCount();
            sum += d.ratingSum();
        }
        return g.minus(count, sum);
    }

    @Override
    public long lastSequence() {
        return nextSequence - 1;
    }

    @Override
    public void restoreOrigins(Map<String, Long> lastSequenceByOrigin) {
        filter.restore(lastSequenceByOrigin);
        LOG.info("{} accepts deltas of {} restored origins up to their snapshot's sequence, and of run {}",
                self.origin(), filter.restoredOrigins(), self.prefix());
    }

    /** How many times this subtask averaged its dense weights with others' (for tests). */
    long averages() {
        return averages;
    }

    /** Own deltas published and not yet seen coming back (for tests). */
    int inFlightCount() {
        return inFlight.size();
    }
}
