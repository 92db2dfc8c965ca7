package io.streamrec.trainer.operator;

import io.streamrec.trainer.TrainerSettings;
import io.streamrec.trainer.exchange.ExchangeMessage;
import io.streamrec.trainer.io.FactorUpdate;
import io.streamrec.trainer.io.FeaturedRating;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/** The hybrid trainer at parallelism &gt; 1: ratings with their side features, and the exchange broadcast. */
public final class FeaturedExchangingTrainerOperator extends TrainerShell
        implements TwoInputStreamOperator<FeaturedRating, ExchangeMessage, FactorUpdate> {

    private static final long serialVersionUID = 1L;

    public FeaturedExchangingTrainerOperator(TrainerSettings settings) {
        super(settings);
    }

    @Override
    public void processElement1(StreamRecord<FeaturedRating> element) {
        addFeaturedRating(element);
    }

    @Override
    public void processElement2(StreamRecord<ExchangeMessage> element) {
        applyDelta(element.getValue());
    }
}
