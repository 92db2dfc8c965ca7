package io.streamrec.scorer.stream;

import io.streamrec.common.event.Rating;
import io.streamrec.common.event.RatingValidator;
import io.streamrec.common.event.RejectReason;
import io.streamrec.scorer.ScorerMetrics;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

import java.util.Optional;

/**
 * Passes valid ratings on, keyed by the user in the value (plain producers may send no key); invalid ones are counted
 * by reason, as the trainer rejects them too. Undecodable bytes never get here: the deserialization handler counts and
 * skips them ({@link CountingDeserializationHandler}); a record without a value is poison, counted through the
 * {@link PoisonGuard}.
 */
public final class ValidRatings implements Processor<byte[], Rating, Long, Rating> {

    private final PoisonGuard guard;
    private final RatingValidator validator;
    private final ScorerMetrics metrics;
    private ProcessorContext<Long, Rating> context;

    public ValidRatings(PoisonGuard guard, RatingValidator validator, ScorerMetrics metrics) {
        this.guard = guard;
        this.validator = validator;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<Long, Rating> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], Rating> record) {
        Rating r = record.value();
        if (r == null) {
            guard.skip(RejectReason.EMPTY.name(), "rating record without a value", context);
            return;
        }
        Optional<RejectReason> bad = validator.check(r);
        if (bad.isPresent()) {
            metrics.inc("streamrec_scorer_rejected_ratings_total", "reason=\"" + bad.get() + "\"");
            return;
        }
        context.forward(record.withKey(r.user()));
    }
}
