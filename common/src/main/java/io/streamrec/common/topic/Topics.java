package io.streamrec.common.topic;

import io.streamrec.common.event.DeadLetter;
import io.streamrec.common.event.FactorKey;
import io.streamrec.common.event.FactorRow;
import io.streamrec.common.event.ItemMetadata;
import io.streamrec.common.event.PrequentialMetrics;
import io.streamrec.common.event.Rating;
import io.streamrec.common.event.Recommendations;
import io.streamrec.common.event.UserMetadata;
import io.streamrec.common.serde.FactorKeySerde;
import io.streamrec.common.serde.FactorRowSerde;
import io.streamrec.common.serde.JsonSerde;
import io.streamrec.common.serde.RatingSerde;
import org.apache.kafka.common.serialization.Serdes;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The topic contracts of docs/ARCHITECTURE.md, all names under one configurable prefix. The ratings key is the user id; readers
 * must not rely on it (plain producers may send no key) and take the user from the value.
 */
public record Topics(String prefix) {

    public Topics {
        if (prefix == null) {
            prefix = "";
        }
        if (!prefix.matches("[A-Za-z0-9._-]*")) {
            throw new IllegalArgumentException("topic prefix may only hold letters, digits, '.', '_' and '-': '" + prefix + "'");
        }
    }

    public static Topics defaults() {
        return new Topics("");
    }

    public Topic<Long, Rating> ratings() {
        return new Topic<>(prefix + "ratings", Serdes.Long(), new RatingSerde(), false);
    }

    public Topic<Long, ItemMetadata> items() {
        return new Topic<>(prefix + "items", Serdes.Long(), new JsonSerde<>(ItemMetadata.class), true);
    }

    public Topic<Long, UserMetadata> users() {
        return new Topic<>(prefix + "users", Serdes.Long(), new JsonSerde<>(UserMetadata.class), true);
    }

    /** Key: the original key bytes (may be null). */
    public Topic<byte[], DeadLetter> ratingsDlq() {
        return new Topic<>(prefix + "ratings-dlq", Serdes.ByteArray(), new JsonSerde<>(DeadLetter.class), false);
    }

    public Topic<FactorKey, FactorRow> factors() {
        return new Topic<>(prefix + "factors", new FactorKeySerde(), new FactorRowSerde(), true);
    }

    /**
     * The factor rows of a family trained beside the first one ({@link ModelFamilies}): same key and value contract
     * as {@link #factors()}, one compacted topic per family so each family's rows stay its own.
     */
    public Topic<FactorKey, FactorRow> factorsOf(String family) {
        return new Topic<>(prefix + "factors-" + family, new FactorKeySerde(), new FactorRowSerde(), true);
    }

    /** Key: the reporting source ("trainer-0"; with several families "mf/trainer-0", see {@link ModelFamilies}). */
    public Topic<String, PrequentialMetrics> metrics() {
        return new Topic<>(prefix + "metrics", Serdes.String(), new JsonSerde<>(PrequentialMetrics.class), false);
    }

    /**
     * The dense shared parameters of the deep model families (network weights), compacted: key the family id
     * (UTF-8, e.g. {@code dlplus}), value the model's {@code DenseCodec} encoding (version, fingerprint, CRC; weights
     * only, no optimizer state). Published by the trainer with the factor rows of the same checkpoint, so a reader
     * scores with the weights the trainer used for those rows.
     */
    public Topic<String, byte[]> models() {
        return new Topic<>(prefix + "models", Serdes.String(), Serdes.ByteArray(), true);
    }

    public Topic<Long, Recommendations> recommendations() {
        return new Topic<>(prefix + "recommendations", Serdes.Long(), new JsonSerde<>(Recommendations.class), false);
    }

    /**
     * The trainer's internal exchange of item-row deltas between subtasks (values encoded by the trainer). One
     * partition, so every subtask reads all of it; deltas matter only until every subtask applied them, hence the short
     * retention.
     */
    public Topic<byte[], byte[]> itemExchange() {
        return new Topic<>(prefix + "trainer-item-exchange", Serdes.ByteArray(), Serdes.ByteArray(), false, 1, Map.of(
                "retention.ms", Long.toString(TimeUnit.HOURS.toMillis(1)),
                "segment.ms", Long.toString(TimeUnit.MINUTES.toMillis(10)),
                "max.message.bytes", Integer.toString(2 * 1024 * 1024)));
    }

    /** The topics of the data contract (not the trainer's internal exchange). */
    public List<Topic<?, ?>> all() {
        return List.of(ratings(), items(), users(), ratingsDlq(), factors(), models(), metrics(), recommendations());
    }
}
