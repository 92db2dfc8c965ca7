package io.streamrec.trainer.exchange;

import io.streamrec.model.ChangedRows;
import io.streamrec.model.GlobalStats;
import io.streamrec.model.MiniBatch;
import io.streamrec.model.RowTable;
import io.streamrec.model.Rows;

import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/** The "no exchange" strategy: the item table is this subtask's alone, so the model writes it directly. */
final class NoItemExchange implements ItemExchange {

    private final RowTable items;

    NoItemExchange(RowTable items) {
        this.items = items;
    }

    @Override
    public Rows startBatch() {
        return items;
    }

    @Override
    public void batchLearned(MiniBatch batch, ChangedRows changed) {
    }

    @Override
    public void publishIfDue(LongSupplier nowMs, Consumer<ExchangeMessage> out) {
    }

    @Override
    public void publish(Consumer<ExchangeMessage> out) {
    }

    @Override
    public Outcome apply(ExchangeMessage message) {
        throw new IllegalStateException(message + " reached a trainer that does not exchange items");
    }

    @Override
    public Map<Long, float[]> rowsWithoutInFlight() {
        return Map.of();
    }

    @Override
    public GlobalStats globalWithoutInFlight(GlobalStats g) {
        return g;
    }

    @Override
    public long lastSequence() {
        return -1;
    }

    @Override
    public void restoreOrigins(Map<String, Long> lastSequenceByOrigin) {
    }
}
