package io.streamrec.trainer.exchange;

/**
 * One message on the internal exchange topic: what a trainer subtask tells the others. {@link ItemDelta}: its
 * item-row changes and ratings since its previous delta; {@link DenseWeights}: its current copy of the model's dense
 * weights, which every other subtask averages into its own ({@link KafkaItemExchange}). Wire form:
 * {@link ItemDeltaSerde}.
 */
public sealed interface ExchangeMessage permits ItemDelta, DenseWeights {

    /** Which subtask incarnation sent it ({@code runId/attempt/subtask}, see {@link Incarnation#origin()}). */
    String origin();

    /** Per-origin, per-kind sequence number. */
    long sequence();
}
