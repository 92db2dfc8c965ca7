package io.streamrec.trainer.exchange;

import io.streamrec.model.ChangedRows;
import io.streamrec.model.GlobalStats;
import io.streamrec.model.MiniBatch;
import io.streamrec.model.OnlineModel;
import io.streamrec.model.RowTable;
import io.streamrec.model.Rows;

import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * How one trainer subtask's copy of the item table keeps up with the others': the strategy the trainer core is
 * composed with. {@link #none()} trains alone (parallelism 1, or independent replicas); {@link KafkaItemExchange}
 * publishes this subtask's item-row changes as {@link ItemDelta}s and adds everyone else's, and, for a model
 * with dense parameters, averages its weights with the other subtasks' ({@link DenseWeights}). Flink-free: the operator
 * shell only carries the deltas between the strategy and its input and side output.
 */
public interface ItemExchange {

    /** What became of one delta handed to {@link #apply}. */
    enum Outcome {
        /** Another subtask's change, added to this copy. */
        APPLIED,
        /** Of a failed incarnation, or past what a restored snapshot covered: it is recomputed, so it is dropped. */
        DISCARDED,
        /** This subtask's own delta coming back: settled, no longer in flight. */
        OWN
    }

    /** The item rows the model reads and writes during the next batch (a view that may remember before-images). */
    Rows startBatch();

    /** After the model learned {@code batch}: notes what it changed in the item table. */
    void batchLearned(MiniBatch batch, ChangedRows changed);

    /** After each batch: publishes what is pending when the exchange interval passed or too much is pending. */
    void publishIfDue(LongSupplier nowMs, Consumer<ExchangeMessage> out);

    /** Publishes everything not yet published (at a barrier or the end of input). */
    void publish(Consumer<ExchangeMessage> out);

    /** Handles a message read from the exchange: an item delta, or another subtask's dense weights to average in. */
    Outcome apply(ExchangeMessage message);

    /** Copies of the item rows our in-flight deltas changed, with those deltas subtracted (see {@link KafkaItemExchange}). */
    Map<Long, float[]> rowsWithoutInFlight();

    /** {@code g} without the ratings our in-flight deltas carry. */
    GlobalStats globalWithoutInFlight(GlobalStats g);

    /** Sequence number of the last delta published (−1 when none). */
    long lastSequence();

    /** After a restore: the last sequence a restored snapshot covered, per origin of an earlier incarnation. */
    void restoreOrigins(Map<String, Long> lastSequenceByOrigin);

    /** Trains alone: the model writes straight into the item table, nothing is published or applied. */
    static ItemExchange none(RowTable items) {
        return new NoItemExchange(items);
    }

    /** The strategy the settings ask for. */
    static ItemExchange create(boolean exchange, Incarnation self, long intervalMs, int maxUnpublishedRows,
                               RowTable items, OnlineModel model) {
        return exchange ? new KafkaItemExchange(self, intervalMs, maxUnpublishedRows, items, model) : none(items);
    }
}
