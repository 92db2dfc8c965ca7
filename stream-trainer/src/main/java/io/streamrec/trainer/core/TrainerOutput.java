package io.streamrec.trainer.core;

import io.streamrec.common.event.PrequentialMetrics;
import io.streamrec.trainer.exchange.ItemDelta;
import io.streamrec.trainer.io.FactorUpdate;

/** Where the trainer core's results go: the operator shell forwards them to Flink's outputs, tests collect them. */
public interface TrainerOutput {

    /** A changed user or item row, or the global record, for the {@code factors} topic. */
    void factor(FactorUpdate update);

    /** A prequential report for the {@code metrics} topic. */
    void metrics(PrequentialMetrics report);

    /** An item delta for the exchange topic. */
    void itemDelta(ItemDelta delta);
}
