package io.streamrec.trainer.operator;

import io.streamrec.common.event.Rating;
import io.streamrec.trainer.TrainerSettings;
import io.streamrec.trainer.exchange.ExchangeMessage;
import io.streamrec.trainer.io.FactorUpdate;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * The trainer for parallelism &gt; 1: input 1 is the keyed rating stream, input 2 the broadcast stream of exchange
 * messages (item deltas, dense weights) every subtask publishes (through Kafka: Flink 2.x has no iterations).
 */
public final class ExchangingTrainerOperator extends TrainerShell
        implements TwoInputStreamOperator<Rating, ExchangeMessage, FactorUpdate> {

    private static final long serialVersionUID = 1L;

    public ExchangingTrainerOperator(TrainerSettings settings) {
        super(settings);
    }

    @Override
    public void processElement1(StreamRecord<Rating> element) {
        addRating(element);
    }

    @Override
    public void processElement2(StreamRecord<ExchangeMessage> element) {
        applyDelta(element.getValue());
    }
}
