package io.streamrec.trainer.io;

import io.streamrec.common.event.DeadLetter;
import io.streamrec.common.event.EventTimeBound;
import io.streamrec.common.event.Rating;
import io.streamrec.common.event.RatingScale;
import io.streamrec.common.event.RatingValidator;
import io.streamrec.common.event.RejectReason;
import io.streamrec.common.serde.MalformedRecordException;
import io.streamrec.common.serde.RatingSerde;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * Decodes (binary v1 or plain JSON) and validates each raw rating. Good ones go on; every bad one becomes a
 * {@link DeadLetter} on {@link #DEAD_LETTERS} with its reason and origin, and is counted per reason as a Flink metric
 * ({@code ratings.rejected.<REASON>}), so nothing is dropped silently and nothing crashes the job.
 */
public final class RatingParser extends ProcessFunction<RawRating, Rating> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RatingParser.class);

    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("ratings-dlq") {
    };

    /**
     * Dead letters keep at most this many original bytes: a 1 MB poison value must not make the DLQ record larger
     * than a broker accepts. Truncation is stated in the detail.
     */
    public static final int MAX_ORIGINAL_BYTES = 64 * 1024;

    private final float scaleMin;
    private final float scaleMax;
    private final float scaleStep;
    private final EventTimeBound eventTimeBound;

    private transient RatingSerde serde;
    private transient RatingValidator validator;
    private transient Counter accepted;
    private transient Map<RejectReason, Counter> rejected;

    public RatingParser(RatingScale scale) {
        this(scale, EventTimeBound.DEFAULT);
    }

    /**
     * @param eventTimeBound how far ahead of the task's wall clock an event time may be; later ones are refused
     *                       ({@link RejectReason#FUTURE_TIMESTAMP}) before they reach the model or an output timestamp
     */
    public RatingParser(RatingScale scale, EventTimeBound eventTimeBound) {
        // RatingScale is not Serializable: keep its numbers and rebuild it in open().
        this.scaleMin = scale.min();
        this.scaleMax = scale.max();
        this.scaleStep = scale.step();
        this.eventTimeBound = java.util.Objects.requireNonNull(eventTimeBound, "eventTimeBound");
    }

    @Override
    public void open(OpenContext openContext) {
        serde = new RatingSerde();
        validator = new RatingValidator(new RatingScale(scaleMin, scaleMax, scaleStep), eventTimeBound, System::currentTimeMillis);
        MetricGroup group = getRuntimeContext().getMetricGroup().addGroup("ratings");
        accepted = group.counter("accepted");
        rejected = new EnumMap<>(RejectReason.class);
        MetricGroup rejectedGroup = group.addGroup("rejected");
        for (RejectReason r : RejectReason.values()) {
            rejected.put(r, rejectedGroup.counter(r.name()));
        }
    }

    @Override
    public void processElement(RawRating raw, Context ctx, Collector<Rating> out) {
        Rating rating;
        try {
            rating = decode(raw.value());
        } catch (MalformedRecordException e) {
            reject(raw, e.reason(), e.getMessage(), ctx);
            return;
        } catch (RuntimeException e) {
            // A decoder bug must not take the job down with the record that triggered it.
            reject(raw, RejectReason.GARBAGE, "undecodable: " + e, ctx);
            return;
        }
        Optional<RejectReason> problem = validator.check(rating);
        if (problem.isPresent()) {
            reject(raw, problem.get(), describe(problem.get(), rating), ctx);
            return;
        }
        accepted.inc();
        out.collect(rating);
    }

    private Rating decode(byte[] value) {
        if (value == null || value.length == 0) {
            throw new MalformedRecordException(RejectReason.EMPTY, "empty or null rating value");
        }
        // Judge size before format: a huge value is refused as too large whatever its first byte looks like.
        if (value.length > RatingSerde.MAX_JSON_BYTES) {
            throw new MalformedRecordException(RejectReason.TOO_LARGE,
                    "rating value of " + value.length + " bytes (no rating exceeds " + RatingSerde.MAX_JSON_BYTES + ")");
        }
        return serde.decode(value);
    }

    private String describe(RejectReason reason, Rating r) {
        return switch (reason) {
            case BAD_ID -> "ids must be non-negative: user " + r.user() + ", item " + r.item();
            case BAD_RATING -> "rating " + r.rating() + " is not a finite number";
            case RATING_OUT_OF_SCALE -> "rating " + r.rating() + " outside scale " + validator.scale();
            case BAD_TIMESTAMP -> "negative timestamp " + r.timestampMs();
            case FUTURE_TIMESTAMP -> validator.eventTimeBound().describe(r.timestampMs(), validator.lastCheckedAtMs());
            default -> reason + ": " + r;
        };
    }

    private void reject(RawRating raw, RejectReason reason, String detail, Context ctx) {
        rejected.get(reason).inc();
        byte[] original = raw.value();
        String fullDetail = detail;
        if (original != null && original.length > MAX_ORIGINAL_BYTES) {
            fullDetail = detail + " [original truncated: " + original.length + " bytes, first " + MAX_ORIGINAL_BYTES + " kept]";
            original = Arrays.copyOf(original, MAX_ORIGINAL_BYTES);
        }
        LOG.debug("rejected {}/{}@{}: {}", raw.topic(), raw.partition(), raw.offset(), fullDetail);
        ctx.output(DEAD_LETTERS, new DeadLetter(reason, fullDetail, raw.topic(), raw.partition(), raw.offset(),
                raw.timestampMs(), original));
    }
}
