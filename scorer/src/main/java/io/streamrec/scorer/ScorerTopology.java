package io.streamrec.scorer;

import io.streamrec.common.config.StreamrecConfig;
import io.streamrec.common.event.FactorRow;
import io.streamrec.common.event.ItemMetadata;
import io.streamrec.common.event.PrequentialMetrics;
import io.streamrec.common.event.RatingValidator;
import io.streamrec.common.event.Recommendations;
import io.streamrec.common.event.UserMetadata;
import io.streamrec.common.serde.FactorKeySerde;
import io.streamrec.common.serde.FactorRowSerde;
import io.streamrec.common.serde.JsonSerde;
import io.streamrec.common.topic.ModelFamilies;
import io.streamrec.common.topic.Topic;
import io.streamrec.common.topic.Topics;
import io.streamrec.scorer.index.ItemIndex;
import io.streamrec.scorer.stream.ChangedUsers;
import io.streamrec.scorer.stream.CountingDeserializationHandler;
import io.streamrec.scorer.stream.FactorsProcessor;
import io.streamrec.scorer.stream.MetadataProcessor;
import io.streamrec.scorer.stream.MetricsHistory;
import io.streamrec.scorer.stream.MetricsProcessor;
import io.streamrec.scorer.stream.ModelsProcessor;
import io.streamrec.scorer.stream.PoisonGuard;
import io.streamrec.scorer.stream.SkippedRecordLog;
import io.streamrec.scorer.stream.StoreNames;
import io.streamrec.scorer.stream.ValidRatings;
import io.streamrec.scorer.stream.UserStateProcessor;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import java.util.Map;
import java.util.Properties;

/**
 * The scorer's Kafka Streams topology.
 *
 * <pre>
 * models  ──► [global] models store (family → dense weights) + the DL+ scorer in the ItemIndex (item shares)
 * factors ──► [global] factors store (users, items, μ) + in-memory ItemIndex of the items (every instance needs
 *             every item, and can answer for any user) + ChangedUsers for user rows
 * factors-&lt;family&gt; ──► [global] that family's factors store + its own ItemIndex (each family served beside the
 *             first, {@code --model mf,popular}; no pushes)
 * items   ──► [global] item-metadata          users ──► [global] user-metadata
 * metrics ──► [global, in-memory] metrics-latest + MetricsHistory
 * ratings (valid) ──► repartition by the value's user ("user-events") ─► UserStateProcessor ─► recommendations
 *                      stores: rated-items, item-fans, pushed-recommendations; punctuation drains ChangedUsers
 *
 * A topic can feed only one source of a topology, so the factors topic feeds the global store alone and user rows
 * reach the partitioned side through ChangedUsers and the global factors store.
 * </pre>
 */
public final class ScorerTopology {

    private ScorerTopology() {
    }

    public static Topology buildTopology(Topics topics, ScorerOptions options, ItemIndex index, ChangedUsers changed,
                                         MetricsHistory history, ScorerMetrics metrics) {
        return buildTopology(topics, options, index, Map.of(), changed, history, metrics);
    }

    /**
     * With the families of {@link ScorerOptions#families()} beyond the first: {@code others} holds each one's own
     * index, fed by its own factors topic into its own global store ({@link StoreNames#factorsOf}); user state,
     * pushes and metadata are shared and follow the first family.
     */
    public static Topology buildTopology(Topics topics, ScorerOptions options, ItemIndex index,
                                         Map<String, ItemIndex> others, ChangedUsers changed,
                                         MetricsHistory history, ScorerMetrics metrics) {
        StreamsBuilder b = new StreamsBuilder();
        SkippedRecordLog skipped = PoisonGuard.sharedLog();
        Consumed<byte[], byte[]> raw = Consumed.with(Serdes.ByteArray(), Serdes.ByteArray());

        String factorsTopic = topics.factors().name();
        b.addGlobalStore(global(StoreNames.FACTORS, new FactorKeySerde(), new FactorRowSerde()), factorsTopic,
                raw.withName("global-factors-source"),
                () -> new FactorsProcessor(StoreNames.FACTORS, new PoisonGuard(factorsTopic, metrics, skipped), index, changed, metrics));

        java.util.Optional<ModelFamilies> families = options.families();
        for (Map.Entry<String, ItemIndex> other : others.entrySet()) {
            String family = other.getKey();
            String topic = families.orElseThrow(() -> new IllegalArgumentException(
                    "indexes for families beside the first need the family list of the options")).factors(topics, family).name();
            String store = StoreNames.factorsOf(family);
            b.addGlobalStore(global(store, new FactorKeySerde(), new FactorRowSerde()), topic,
                    raw.withName("global-factors-source-" + family),
                    () -> FactorsProcessor.beside(store, new PoisonGuard(topic, metrics, skipped), other.getValue(), metrics));
        }
        // Each family's weights rank that family's rows only; a scorer without a family list applies whatever it gets.
        java.util.function.Function<String, ItemIndex> indexOf = families.isEmpty() ? f -> index
                : f -> f.equals(families.get().first()) ? index : others.get(f);

        String modelsTopic = topics.models().name();
        b.addGlobalStore(global(StoreNames.MODELS, Serdes.String(), Serdes.ByteArray()), modelsTopic,
                raw.withName("global-models-source"),
                () -> new ModelsProcessor(StoreNames.MODELS, new PoisonGuard(modelsTopic, metrics, skipped), indexOf, metrics));

        Topic<Long, ItemMetadata> items = topics.items();
        b.addGlobalStore(global(StoreNames.ITEM_METADATA, Serdes.Long(), items.valueSerde()), items.name(),
                raw.withName("global-item-metadata-source"),
                () -> new MetadataProcessor<>(StoreNames.ITEM_METADATA, new PoisonGuard(items.name(), metrics, skipped),
                        new JsonSerde<>(ItemMetadata.class), ItemMetadata::item, new MetadataProcessor.Listener<>() {
                    @Override
                    public void put(long id, ItemMetadata value) {
                        index.hybrid().itemMetadata(id, value);
                    }

                    @Override
                    public void remove(long id) {
                        index.hybrid().itemMetadata(id, null);
                    }
                }));

        Topic<Long, UserMetadata> users = topics.users();
        b.addGlobalStore(global(StoreNames.USER_METADATA, Serdes.Long(), users.valueSerde()), users.name(),
                raw.withName("global-user-metadata-source"),
                () -> new MetadataProcessor<>(StoreNames.USER_METADATA, new PoisonGuard(users.name(), metrics, skipped),
                        new JsonSerde<>(UserMetadata.class), UserMetadata::user, new MetadataProcessor.Listener<>() {
                    @Override
                    public void put(long id, UserMetadata value) {
                        index.hybrid().userMetadata(id, value);
                    }

                    @Override
                    public void remove(long id) {
                        index.hybrid().userMetadata(id, null);
                    }
                }));

        String metricsTopic = topics.metrics().name();
        b.addGlobalStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(StoreNames.METRICS), Serdes.String(),
                        new JsonSerde<>(PrequentialMetrics.class)).withLoggingDisabled(), metricsTopic,
                raw.withName("global-metrics-source"),
                () -> new MetricsProcessor(StoreNames.METRICS, new PoisonGuard(metricsTopic, metrics, skipped), history, metrics));

        String ratingsTopic = topics.ratings().name();
        b.addStateStore(logged(StoreNames.RATED, Serdes.Bytes(), Serdes.ByteArray()));
        b.addStateStore(logged(StoreNames.FANS, Serdes.Bytes(), Serdes.ByteArray()));
        b.addStateStore(logged(StoreNames.PUSHED, Serdes.Long(), new JsonSerde<>(Recommendations.class)));
        Topic<Long, Recommendations> recs = topics.recommendations();
        b.stream(ratingsTopic, Consumed.with(Serdes.ByteArray(), topics.ratings().valueSerde()).withName("ratings-source"))
                .process(() -> new ValidRatings(new PoisonGuard(ratingsTopic, metrics, skipped), new RatingValidator(options.ratingScale()), metrics),
                        Named.as("valid-ratings"))
                // Keyed by the user in the value (plain producers may send no key); a fixed partition count so every
                // instance computes the same owner for a user (ChangedUsers.partitionOf).
                .repartition(Repartitioned.with(Serdes.Long(), topics.ratings().valueSerde())
                        .withName("user-events").withNumberOfPartitions(options.userPartitions()))
                .process(() -> new UserStateProcessor(options, index, changed, metrics), Named.as("user-state"),
                        StoreNames.RATED, StoreNames.FANS, StoreNames.PUSHED)
                .to(recs.name(), Produced.with(recs.keySerde(), recs.valueSerde()).withName("recommendations-sink"));
        return b.build();
    }

    private static <K, V> StoreBuilder<?> global(String name, org.apache.kafka.common.serialization.Serde<K> k,
                                                 org.apache.kafka.common.serialization.Serde<V> v) {
        // Global stores restore from their source topic; a changelog would only duplicate it.
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), k, v).withLoggingDisabled();
    }

    private static <K, V> StoreBuilder<?> logged(String name, org.apache.kafka.common.serialization.Serde<K> k,
                                                 org.apache.kafka.common.serialization.Serde<V> v) {
        KeyValueBytesStoreSupplier supplier = Stores.persistentKeyValueStore(name);
        return Stores.keyValueStoreBuilder(supplier, k, v);
    }

    /** Streams configuration: committed trainer output only, poison skipped and counted, state under the data dir. */
    public static Properties config(StreamrecConfig config, ScorerOptions options, ScorerMetrics metrics) {
        Properties p = new Properties();
        p.putAll(config.kafkaOverrides());
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, options.applicationId());
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(StreamsConfig.STATE_DIR_CONFIG, options.stateDir().toAbsolutePath().toString());
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, options.streamThreads());
        p.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, options.standbyReplicas());
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) config.replicationFactor());
        CountingDeserializationHandler.install(p, metrics);
        // The trainer writes factors and metrics in Kafka transactions: never serve aborted or uncommitted rows.
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.ISOLATION_LEVEL_CONFIG), "read_committed");
        p.put(StreamsConfig.globalConsumerPrefix(ConsumerConfig.ISOLATION_LEVEL_CONFIG), "read_committed");
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // Freshness matters more than batching here: commit (and so forward) often.
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 200);
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 16L * 1024 * 1024);
        return p;
    }
}
