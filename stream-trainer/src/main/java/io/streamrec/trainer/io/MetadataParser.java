package io.streamrec.trainer.io;

import io.streamrec.common.event.DeadLetter;
import io.streamrec.common.event.ItemMetadata;
import io.streamrec.common.event.RejectReason;
import io.streamrec.common.event.UserMetadata;
import io.streamrec.common.serde.JsonSerde;
import io.streamrec.common.serde.MalformedRecordException;
import io.streamrec.model.features.FeatureEncoder;
import io.streamrec.model.features.FeatureSpec;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

/**
 * Decodes and checks the records of the {@code items} or {@code users} topic for a hybrid trainer: each good one
 * becomes (id, packed features) through the one {@link FeatureEncoder}; a tombstone becomes (id, empty); every bad
 * one (not JSON, an unknown version, over 64 KiB, an absurd year, thousands of genres, a huge title) is a
 * {@link DeadLetter} on {@link RatingParser#DEAD_LETTERS} with its reason and origin, counted per reason as
 * {@code metadata.<items|users>.rejected.<REASON>}. Nothing here can fail the job.
 */
public final class MetadataParser extends ProcessFunction<RawRating, Tuple2<Long, int[]>> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(MetadataParser.class);
    /** No metadata record is this large; a bigger one is refused before parsing. */
    public static final int MAX_BYTES = 64 * 1024;

    /** Which topic this parser reads. */
    public enum Kind { ITEMS, USERS }

    private final Kind kind;
    private final String specFingerprint;

    private transient FeatureEncoder encoder;
    private transient JsonSerde<ItemMetadata> items;
    private transient JsonSerde<UserMetadata> users;
    private transient Counter accepted;
    private transient Map<RejectReason, Counter> rejected;

    public MetadataParser(Kind kind, FeatureSpec spec) {
        this.kind = java.util.Objects.requireNonNull(kind, "kind");
        // FeatureSpec is not Serializable: keep its description and rebuild it in open().
        this.specFingerprint = spec.describe();
    }

    @Override
    public void open(OpenContext openContext) {
        encoder = new FeatureEncoder(FeatureSpec.parse(specFingerprint));
        items = new JsonSerde<>(ItemMetadata.class);
        users = new JsonSerde<>(UserMetadata.class);
        MetricGroup g = getRuntimeContext().getMetricGroup().addGroup("metadata").addGroup(kind.name().toLowerCase(java.util.Locale.ROOT));
        accepted = g.counter("accepted");
        rejected = new EnumMap<>(RejectReason.class);
        MetricGroup r = g.addGroup("rejected");
        for (RejectReason reason : RejectReason.values()) {
            rejected.put(reason, r.counter(reason.name()));
        }
    }

    @Override
    public void processElement(RawRating raw, Context ctx, Collector<Tuple2<Long, int[]>> out) {
        try {
            out.collect(parse(raw));
            accepted.inc();
        } catch (MalformedRecordException e) {
            reject(raw, e.reason(), e.getMessage(), ctx);
        } catch (RuntimeException e) {
            reject(raw, RejectReason.MALFORMED_JSON, "undecodable: " + e.getMessage(), ctx);
        }
    }

    /** (id, packed features), or (id, empty) for a tombstone; throws with the reason otherwise. */
    Tuple2<Long, int[]> parse(RawRating raw) {
        byte[] v = raw.value();
        if (v == null) {
            byte[] k = raw.key();
            if (k == null || k.length != Long.BYTES) {
                throw new MalformedRecordException(RejectReason.EMPTY, "tombstone without an 8-byte id key");
            }
            return Tuple2.of(ByteBuffer.wrap(k).getLong(), new int[0]);
        }
        if (v.length > MAX_BYTES) {
            throw new MalformedRecordException(RejectReason.TOO_LARGE, kind.name().toLowerCase(java.util.Locale.ROOT)
                    + " record of " + v.length + " bytes (at most " + MAX_BYTES + ")");
        }
        if (kind == Kind.ITEMS) {
            ItemMetadata m = items.decode(v);
            return Tuple2.of(m.item(), encoder.encode(m).pack());
        }
        UserMetadata m = users.decode(v);
        return Tuple2.of(m.user(), encoder.encode(m).pack());
    }

    private void reject(RawRating raw, RejectReason reason, String detail, Context ctx) {
        rejected.get(reason).inc();
        byte[] original = raw.value();
        if (original != null && original.length > RatingParser.MAX_ORIGINAL_BYTES) {
            detail = detail + " [original truncated: " + original.length + " bytes]";
            original = Arrays.copyOf(original, RatingParser.MAX_ORIGINAL_BYTES);
        }
        LOG.debug("rejected {}/{}@{}: {}", raw.topic(), raw.partition(), raw.offset(), detail);
        ctx.output(RatingParser.DEAD_LETTERS, new DeadLetter(reason, detail, raw.topic(), raw.partition(), raw.offset(),
                raw.timestampMs(), original));
    }
}
