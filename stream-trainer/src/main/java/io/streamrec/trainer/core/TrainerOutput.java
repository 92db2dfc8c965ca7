package io.streamrec.trainer.core;

import io.streamrec.common.event.PrequentialMetrics;
import io.streamrec.trainer.exchange.ExchangeMessage;
import io.streamrec.trainer.io.FactorUpdate;
import io.streamrec.trainer.io.ModelUpdate;

/** Where the trainer core's results go: the operator shell forwards them to Flink's outputs, tests collect them. */
public interface TrainerOutput {

    /** A changed user or item row, or the global record, for the {@code factors} topic. */
    void factor(FactorUpdate update);

    /** A prequential report for the {@code metrics} topic. */
    void metrics(PrequentialMetrics report);

    /** An item delta or this subtask's dense weights, for the exchange topic. */
    void exchange(ExchangeMessage message);

    /** The model's dense weights for the {@code models} topic (subtask 0, at a barrier, when they changed). */
    default void model(ModelUpdate update) {
    }
}
