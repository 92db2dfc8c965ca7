package io.streamrec.trainer.operator;

import io.streamrec.trainer.TrainerSettings;
import io.streamrec.trainer.io.FactorUpdate;
import io.streamrec.trainer.io.FeaturedRating;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/** The hybrid trainer on its own: ratings with their joined side features, no item exchange. */
public final class FeaturedTrainerOperator extends TrainerShell implements OneInputStreamOperator<FeaturedRating, FactorUpdate> {

    private static final long serialVersionUID = 1L;

    public FeaturedTrainerOperator(TrainerSettings settings) {
        super(settings);
    }

    @Override
    public void processElement(StreamRecord<FeaturedRating> element) {
        addFeaturedRating(element);
    }
}
