package io.streamrec.trainer.io;

import io.streamrec.common.config.StreamrecConfig;
import io.streamrec.common.event.DeadLetter;
import io.streamrec.common.event.PrequentialMetrics;
import io.streamrec.common.serde.FactorKeySerde;
import io.streamrec.common.serde.FactorRowSerde;
import io.streamrec.common.serde.JsonSerde;
import io.streamrec.common.topic.Topics;
import io.streamrec.trainer.exchange.ExchangeMessage;
import io.streamrec.trainer.exchange.ItemDeltaSerde;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The trainer's Kafka sources and sinks. Every sink is exactly-once (transactions committed on checkpoint), so
 * readers of {@code factors}, {@code metrics} and {@code ratings-dlq} must use {@code isolation.level=read_committed}.
 */
public final class KafkaIo {

    /** Brokers refuse transactions longer than transaction.max.timeout.ms (15 min by default); Flink's default is 1 h. */
    static final String TRANSACTION_TIMEOUT_MS = "600000";

    private final StreamrecConfig config;
    private final String transactionalIdPrefix;

    /**
     * @param transactionalIdPrefix unique per job deployment: two jobs sharing it would fence each other's producers
     */
    public KafkaIo(StreamrecConfig config, String transactionalIdPrefix) {
        this.config = config;
        this.transactionalIdPrefix = transactionalIdPrefix;
    }

    public Topics topics() {
        return config.topics();
    }

    /** Name of the internal topic through which subtasks exchange item-row deltas. */
    public String itemExchangeTopic() {
        return config.topics().itemExchange().name();
    }

    /** Raw records of {@code ratings} from the earliest offset (or the checkpointed ones); unbounded. */
    public KafkaSource<RawRating> ratingsSource(String groupId, boolean bounded) {
        var b = KafkaSource.<RawRating>builder()
                .setBootstrapServers(config.bootstrapServers())
                .setTopics(config.topics().ratings().name())
                .setGroupId(groupId)
                .setStartingOffsets(OffsetsInitializer.committedOffsets(org.apache.kafka.clients.consumer.OffsetResetStrategy.EARLIEST))
                .setDeserializer(new RawRatingDeserializer())
                .setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
                .setProperty("partition.discovery.interval.ms", "10000");
        overrides(b::setProperty);
        if (bounded) {
            b.setBounded(OffsetsInitializer.latest());
        }
        return b.build();
    }

    /**
     * Raw records of a compacted metadata topic ({@code items} or {@code users}) from the earliest offset (or the
     * checkpointed ones): every record the topic still holds, then new ones as they come.
     */
    public KafkaSource<RawRating> metadataSource(String topic, String groupId, boolean bounded) {
        var b = KafkaSource.<RawRating>builder()
                .setBootstrapServers(config.bootstrapServers())
                .setTopics(topic)
                .setGroupId(groupId)
                .setStartingOffsets(OffsetsInitializer.committedOffsets(org.apache.kafka.clients.consumer.OffsetResetStrategy.EARLIEST))
                .setDeserializer(new RawRatingDeserializer())
                .setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
                .setProperty("partition.discovery.interval.ms", "10000");
        overrides(b::setProperty);
        if (bounded) {
            b.setBounded(OffsetsInitializer.latest());
        }
        return b.build();
    }

    /**
     * Item deltas of this job's own run: starts at {@code startTimestampMs} on a fresh start, so deltas left in the
     * topic by earlier runs are never applied; after a restore the checkpointed offsets win.
     */
    public KafkaSource<ExchangeMessage> itemExchangeSource(long startTimestampMs, String groupId) {
        var b = KafkaSource.<ExchangeMessage>builder()
                .setBootstrapServers(config.bootstrapServers())
                .setTopics(itemExchangeTopic())
                .setGroupId(groupId)
                .setStartingOffsets(OffsetsInitializer.timestamp(startTimestampMs))
                .setDeserializer(new ItemDeltaDeserializer())
                // Written at-least-once and read uncommitted: deltas travel in milliseconds instead of waiting for the
                // next checkpoint commit; the trainer discards those of failed incarnations itself.
                .setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted")
                .setProperty(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "20")
                .setProperty(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(8 * 1024 * 1024));
        overrides(b::setProperty);
        return b.build();
    }

    public KafkaSink<FactorUpdate> factorsSink() {
        return factorsSink(config.topics().factors().name(), "factors");
    }

    /**
     * The factor rows of one family of several: to {@code topic} ({@link io.streamrec.common.topic.ModelFamilies#factors}),
     * with transactional ids of their own ({@code <prefix>-factors-<family>}), so the families' sinks never fence
     * each other. The first family keeps the single-family ids: a restart that adds families aborts what a killed
     * single-family run left open on {@code factors}, instead of readers waiting out its transaction timeout.
     */
    public KafkaSink<FactorUpdate> factorsSink(io.streamrec.common.topic.ModelFamilies families, String family) {
        return factorsSink(families.factors(config.topics(), family).name(),
                family.equals(families.first()) ? "factors" : "factors-" + family);
    }

    private KafkaSink<FactorUpdate> factorsSink(String topic, String transactionName) {
        return sink(transactionName, (KafkaRecordSerializationSchema<FactorUpdate>) (u, ctx, ts) -> new ProducerRecord<>(topic, null,
                recordTimestamp(u.row().eventTimeMs(), System.currentTimeMillis()),
                new FactorKeySerde().encode(u.key()), new FactorRowSerde().encode(u.row())));
    }

    /**
     * The compacted {@code models} topic: key the family id, value the DenseCodec weights; exactly-once, so the
     * weights of a checkpoint become visible with its factor rows.
     */
    public KafkaSink<ModelUpdate> modelsSink() {
        String topic = config.topics().models().name();
        return sink("models", (KafkaRecordSerializationSchema<ModelUpdate>) (m, ctx, ts) -> new ProducerRecord<>(topic,
                m.family().getBytes(StandardCharsets.UTF_8), m.weights()));
    }

    public KafkaSink<PrequentialMetrics> metricsSink() {
        String topic = config.topics().metrics().name();
        return sink("metrics", (KafkaRecordSerializationSchema<PrequentialMetrics>) (m, ctx, ts) -> new ProducerRecord<>(topic,
                m.source().getBytes(StandardCharsets.UTF_8), new JsonSerde<>(PrequentialMetrics.class).encode(m)));
    }

    public KafkaSink<DeadLetter> deadLetterSink() {
        String topic = config.topics().ratingsDlq().name();
        return sink("dlq", (KafkaRecordSerializationSchema<DeadLetter>) (d, ctx, ts) -> new ProducerRecord<>(topic,
                null, new JsonSerde<>(DeadLetter.class).encode(d)));
    }

    /**
     * The Kafka timestamp of a factor record: the row's event time, so the topic reads in event time, but never later
     * than now. The broker refuses records more than {@code log.message.timestamp.after.max.ms} (1 h by default) ahead
     * of its clock, and one refused record fails the transaction and, restart after restart, the job. Event times
     * are bounded by the parser ({@link io.streamrec.common.event.EventTimeBound}); this is the second line.
     *
     * @return null (the producer's clock) when the row carries no event time
     */
    public static Long recordTimestamp(long eventTimeMs, long nowMs) {
        return eventTimeMs > 0 ? Math.min(eventTimeMs, nowMs) : null;
    }

    /** At-least-once: see {@link #itemExchangeSource}. */
    public KafkaSink<ExchangeMessage> itemExchangeSink() {
        String topic = itemExchangeTopic();
        return sink("items", DeliveryGuarantee.AT_LEAST_ONCE, (KafkaRecordSerializationSchema<ExchangeMessage>) (d, ctx, ts) ->
                new ProducerRecord<>(topic, null, ItemDeltaSerde.encode(d)));
    }

    private <T> KafkaSink<T> sink(String name, KafkaRecordSerializationSchema<T> schema) {
        return sink(name, DeliveryGuarantee.EXACTLY_ONCE, schema);
    }

    private <T> KafkaSink<T> sink(String name, DeliveryGuarantee guarantee, KafkaRecordSerializationSchema<T> schema) {
        var b = KafkaSink.<T>builder()
                .setBootstrapServers(config.bootstrapServers())
                .setRecordSerializer(schema)
                .setDeliveryGuarantee(guarantee);
        if (guarantee == DeliveryGuarantee.EXACTLY_ONCE) {
            b.setTransactionalIdPrefix(transactionalIdPrefix + "-" + name)
                    .setProperty(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, TRANSACTION_TIMEOUT_MS);
        }
        b.setProperty(ProducerConfig.LINGER_MS_CONFIG, "5")
                .setProperty(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024))
                .setProperty(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4")
                .setProperty(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(2 * 1024 * 1024));
        overrides(b::setProperty);
        return b.build();
    }

    private void overrides(java.util.function.BiConsumer<String, String> set) {
        for (Map.Entry<String, String> e : config.kafkaOverrides().entrySet()) {
            set.accept(e.getKey(), e.getValue());
        }
    }
}
