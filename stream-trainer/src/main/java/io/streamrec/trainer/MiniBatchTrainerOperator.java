package io.streamrec.trainer;

import io.streamrec.common.event.Rating;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/** The trainer on its own: one keyed input of ratings, no item exchange (parallelism 1, or independent replicas). */
public final class MiniBatchTrainerOperator extends AbstractTrainerOperator implements OneInputStreamOperator<Rating, FactorUpdate> {

    private static final long serialVersionUID = 1L;

    public MiniBatchTrainerOperator(TrainerSettings settings) {
        super(settings);
    }

    @Override
    public void processElement(StreamRecord<Rating> element) throws Exception {
        addRating(element);
    }
}
