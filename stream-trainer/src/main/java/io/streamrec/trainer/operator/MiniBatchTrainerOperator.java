package io.streamrec.trainer.operator;

import io.streamrec.common.event.Rating;
import io.streamrec.trainer.TrainerSettings;
import io.streamrec.trainer.io.FactorUpdate;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/** The trainer on its own: one keyed input of ratings, no item exchange (parallelism 1, or independent replicas). */
public final class MiniBatchTrainerOperator extends TrainerShell implements OneInputStreamOperator<Rating, FactorUpdate> {

    private static final long serialVersionUID = 1L;

    public MiniBatchTrainerOperator(TrainerSettings settings) {
        super(settings);
    }

    @Override
    public void processElement(StreamRecord<Rating> element) {
        addRating(element);
    }
}
