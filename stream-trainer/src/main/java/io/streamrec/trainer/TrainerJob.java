package io.streamrec.trainer;

import io.streamrec.common.event.DeadLetter;
import io.streamrec.common.event.PrequentialMetrics;
import io.streamrec.common.event.Rating;
import io.streamrec.trainer.exchange.ExchangeMessage;
import io.streamrec.trainer.io.FactorUpdate;
import io.streamrec.trainer.io.FeaturedRating;
import io.streamrec.trainer.io.MetadataParser;
import io.streamrec.trainer.operator.FeaturedExchangingTrainerOperator;
import io.streamrec.trainer.operator.FeaturedTrainerOperator;
import io.streamrec.trainer.operator.ItemFeatureJoin;
import io.streamrec.trainer.operator.UserFeatureJoin;
import io.streamrec.trainer.io.ModelUpdate;
import io.streamrec.trainer.io.RatingParser;
import io.streamrec.trainer.io.RawRating;
import io.streamrec.trainer.operator.ExchangingTrainerOperator;
import io.streamrec.trainer.operator.MiniBatchTrainerOperator;
import io.streamrec.trainer.operator.TrainerShell;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.util.Objects;

/**
 * The trainer pipeline, built from the source and sinks it is given (Kafka in production, in-memory in tests):
 *
 * <pre>
 *   ratings (raw bytes) ─► parse + validate ─► keyBy(user) ─► mini-batch trainer ─► factors
 *                               └─► ratings-dlq                 ├─► metrics
 *                                                               ├─► models (subtask 0, dense weights at barriers)
 *                                                               └─► item deltas, dense weights ─► (Kafka) ─► every trainer subtask
 * </pre>
 *
 * Every stateful operator has a fixed uid, so savepoints survive code changes and rescaling.
 *
 * <p>With several families ({@link #withFamily}) the parsed stream fans out to one keyed trainer branch per family,
 * each with its own uid ({@code mf-trainer-<family>}), state, factors sink (its own topic and transactional ids) and
 * run id; their metrics and model updates are merged into the one metrics and models sink. One job, so one
 * checkpoint covers every family and the ratings are read and parsed once.
 */
public final class TrainerJob {

    public static final String SOURCE_UID = "ratings-source";
    public static final String PARSER_UID = "parse-validate";
    public static final String TRAINER_UID = "mf-trainer";
    public static final String EXCHANGE_SOURCE_UID = "item-exchange-source";
    public static final String ITEMS_SOURCE_UID = "items-source";
    public static final String USERS_SOURCE_UID = "users-source";

    /** Where subtasks exchange item-row deltas: a source every subtask reads in full, and a sink they all write. */
    public record ItemExchange(Source<ExchangeMessage, ?, ?> source, Sink<ExchangeMessage> sink) {
        public ItemExchange {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(sink, "sink");
        }
    }

    private final TrainerSettings settings;
    private final Source<RawRating, ?, ?> ratings;
    private final Sink<FactorUpdate> factors;
    private final Sink<PrequentialMetrics> metrics;
    private final Sink<DeadLetter> deadLetters;
    private final ItemExchange exchange;
    private Sink<ModelUpdate> models;
    private final java.util.List<Family> others = new java.util.ArrayList<>();

    /** A family trained beside the first one: its settings and where its factor rows go. */
    public record Family(TrainerSettings settings, Sink<FactorUpdate> factors) {
        public Family {
            Objects.requireNonNull(settings, "settings");
            Objects.requireNonNull(factors, "factors sink");
        }
    }

    private Metadata metadata;

    /** The hybrid family's metadata topics (raw records, parsed in the job) and the feature shape to encode them in. */
    public record Metadata(Source<RawRating, ?, ?> items, Source<RawRating, ?, ?> users,
                           io.streamrec.model.features.FeatureSpec spec) {
        public Metadata {
            Objects.requireNonNull(items, "items source");
            Objects.requireNonNull(users, "users source");
            Objects.requireNonNull(spec, "spec");
        }
    }

    /**
     * @param exchange null to train without exchanging item rows (parallelism 1, or independent replicas)
     */
    public TrainerJob(TrainerSettings settings, Source<RawRating, ?, ?> ratings, Sink<FactorUpdate> factors,
                      Sink<PrequentialMetrics> metrics, Sink<DeadLetter> deadLetters, ItemExchange exchange) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.ratings = Objects.requireNonNull(ratings, "ratings source");
        this.factors = Objects.requireNonNull(factors, "factors sink");
        this.metrics = Objects.requireNonNull(metrics, "metrics sink");
        this.deadLetters = Objects.requireNonNull(deadLetters, "dead-letter sink");
        this.exchange = exchange;
    }

    /**
     * Where the model's dense weights go (the {@code models} topic): without it they are not published (MF has none
     * anyway).
     */
    public TrainerJob withModels(Sink<ModelUpdate> models) {
        this.models = Objects.requireNonNull(models, "models sink");
        return this;
    }

    /**
     * Trains {@code settings}' family too, beside the first one, from the same parsed stream. Every family's settings
     * must name the same family set ({@link TrainerSettings#inFamilySet}).
     */
    public TrainerJob withFamily(TrainerSettings settings, Sink<FactorUpdate> factors) {
        Family f = new Family(settings, factors);
        if (!settings.familySet().equals(this.settings.familySet()) || !this.settings.familySet().several()) {
            throw new IllegalArgumentException("family " + settings.family() + " names the family set "
                    + settings.familySet().csv() + ", the first family " + this.settings.familySet().csv());
        }
        others.add(f);
        return this;
    }

    /**
     * Joins item and user metadata with the ratings before the trainer (the hybrid family): item features as
     * broadcast state, user features as keyed state; their bad records go to the same DLQ as bad ratings.
     */
    public TrainerJob withMetadata(Metadata metadata) {
        this.metadata = Objects.requireNonNull(metadata, "metadata");
        return this;
    }

    /** Builds the pipeline into {@code env} and runs it to completion (forever, for an unbounded source). */
    public JobExecutionResult execute(StreamExecutionEnvironment env) throws Exception {
        build(env);
        return env.execute("streamrec-trainer");
    }

    /** Builds the pipeline into {@code env} without running it. */
    public void build(StreamExecutionEnvironment env) {
        DataStream<RawRating> raw = env.fromSource(ratings, WatermarkStrategy.noWatermarks(), "ratings")
                .uid(SOURCE_UID).name("ratings");

        SingleOutputStreamOperator<Rating> parsed = raw
                .process(new RatingParser(settings.hyperParameters().ratingScale(), settings.eventTimeBound()), TypeInformation.of(Rating.class))
                .uid(PARSER_UID).name("parse + validate");
        DataStream<DeadLetter> dlq = parsed.getSideOutput(RatingParser.DEAD_LETTERS);

        KeyedStream<Rating, Long> byUser = parsed.keyBy(Rating::user, Types.LONG);
        // One reader of the exchange topic, fanned out to every trainer subtask of every family (each family's run id
        // makes it discard the other families' messages).
        DataStream<ExchangeMessage> deltas = exchange == null ? null
                : env.fromSource(exchange.source(), WatermarkStrategy.noWatermarks(), "item exchange")
                .uid(EXCHANGE_SOURCE_UID).name("item exchange").setParallelism(1);
        // The hybrid family's input: ratings joined with user features (keyed state) and item features (broadcast).
        KeyedStream<FeaturedRating, Long> joined = null;
        if (metadata != null) {
            TypeInformation<org.apache.flink.api.java.tuple.Tuple2<Long, int[]>> featureType = Types.TUPLE(Types.LONG,
                    org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo.INT_PRIMITIVE_ARRAY_TYPE_INFO);
            TypeInformation<FeaturedRating> featuredType = TypeInformation.of(FeaturedRating.class);
            SingleOutputStreamOperator<org.apache.flink.api.java.tuple.Tuple2<Long, int[]>> items = env
                    .fromSource(metadata.items(), WatermarkStrategy.noWatermarks(), "items").uid(ITEMS_SOURCE_UID).name("items")
                    .setParallelism(1)
                    .process(new MetadataParser(MetadataParser.Kind.ITEMS, metadata.spec()), featureType)
                    .uid("parse-items").name("parse items").setParallelism(1);
            SingleOutputStreamOperator<org.apache.flink.api.java.tuple.Tuple2<Long, int[]>> users = env
                    .fromSource(metadata.users(), WatermarkStrategy.noWatermarks(), "users").uid(USERS_SOURCE_UID).name("users")
                    .process(new MetadataParser(MetadataParser.Kind.USERS, metadata.spec()), featureType)
                    .uid("parse-users").name("parse users");
            dlq = dlq.union(items.getSideOutput(RatingParser.DEAD_LETTERS), users.getSideOutput(RatingParser.DEAD_LETTERS));
            DataStream<FeaturedRating> withUser = byUser.connect(users.keyBy(t -> t.f0, Types.LONG))
                    .process(new UserFeatureJoin(), featuredType).uid("join-user-features").name("join user features");
            joined = withUser.keyBy(FeaturedRating::userId, Types.LONG)
                    .connect(items.broadcast(ItemFeatureJoin.ITEMS))
                    .process(new ItemFeatureJoin(), featuredType).uid("join-item-features").name("join item features")
                    .keyBy(FeaturedRating::userId, Types.LONG);
        }
        dlq.sinkTo(deadLetters).uid("dlq-sink").name("ratings-dlq");
        java.util.List<Family> families = new java.util.ArrayList<>();
        families.add(new Family(settings, factors));
        families.addAll(others);
        boolean several = families.size() > 1;
        DataStream<PrequentialMetrics> allMetrics = null;
        DataStream<ModelUpdate> allModels = null;
        DataStream<ExchangeMessage> allExchange = null;
        for (Family f : families) {
            String suffix = several ? "-" + f.settings().family() : "";
            String label = several ? " (" + f.settings().family() + ")" : "";
            SingleOutputStreamOperator<FactorUpdate> trained = joined != null && f.settings().featured()
                    ? featuredBranch(joined, deltas, f.settings(), label) : branch(byUser, deltas, f.settings(), label);
            trained.uid(TRAINER_UID + suffix);
            trained.sinkTo(f.factors()).uid("factors-sink" + suffix).name("factors" + label);
            allMetrics = union(allMetrics, trained.getSideOutput(TrainerShell.METRICS));
            allModels = union(allModels, trained.getSideOutput(TrainerShell.MODELS));
            if (deltas != null) {
                allExchange = union(allExchange, trained.getSideOutput(TrainerShell.ITEM_DELTAS));
            }
        }
        if (allExchange != null) {
            allExchange.sinkTo(exchange.sink()).uid("item-exchange-sink").name("item exchange sink");
        }
        allMetrics.sinkTo(metrics).uid("metrics-sink").name("metrics");
        if (models != null) {
            allModels.sinkTo(models).uid("models-sink").name("models");
        }
    }

    private static SingleOutputStreamOperator<FactorUpdate> branch(KeyedStream<Rating, Long> byUser,
                                                                   DataStream<ExchangeMessage> deltas,
                                                                   TrainerSettings settings, String label) {
        TypeInformation<FactorUpdate> outType = TypeInformation.of(FactorUpdate.class);
        if (deltas == null) {
            return byUser.transform("mini-batch MF trainer" + label, outType, new MiniBatchTrainerOperator(settings.withExchange(false)));
        }
        return byUser.connect(deltas.broadcast())
                .transform("mini-batch MF trainer" + label, outType, new ExchangingTrainerOperator(settings.withExchange(true)));
    }

    /** The hybrid family's trainer over ratings joined with their features. */
    private static SingleOutputStreamOperator<FactorUpdate> featuredBranch(KeyedStream<FeaturedRating, Long> joined,
                                                                           DataStream<ExchangeMessage> deltas,
                                                                           TrainerSettings settings, String label) {
        TypeInformation<FactorUpdate> outType = TypeInformation.of(FactorUpdate.class);
        if (deltas == null) {
            return joined.transform("mini-batch hybrid trainer" + label, outType, new FeaturedTrainerOperator(settings.withExchange(false)));
        }
        return joined.connect(deltas.broadcast())
                .transform("mini-batch hybrid trainer" + label, outType, new FeaturedExchangingTrainerOperator(settings.withExchange(true)));
    }

    private static <T> DataStream<T> union(DataStream<T> all, DataStream<T> more) {
        return all == null ? more : all.union(more);
    }
}
