package io.streamrec.trainer.operator;

import io.streamrec.common.event.Rating;
import io.streamrec.trainer.io.FeaturedRating;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Joins each rating with its user's demographics: the {@code users} records, keyed by user like the ratings, live in
 * keyed state (RocksDB in production, checkpointed with the user's row), and every rating leaves with the features
 * its user had when it arrived. A rating whose user has no metadata yet goes on without, counted
 * ({@code metadata.ratingsWithoutUserFeatures}); a tombstone forgets the user's features.
 */
public final class UserFeatureJoin extends KeyedCoProcessFunction<Long, Rating, Tuple2<Long, int[]>, FeaturedRating> {

    private static final long serialVersionUID = 1L;
    static final String STATE = "user-features";

    private transient ValueState<int[]> features;
    private transient Counter without;
    private transient Counter updates;

    @Override
    public void open(OpenContext openContext) {
        features = getRuntimeContext().getState(new ValueStateDescriptor<>(STATE, PrimitiveArrayTypeInfo.INT_PRIMITIVE_ARRAY_TYPE_INFO));
        var g = getRuntimeContext().getMetricGroup().addGroup("metadata");
        without = g.counter("ratingsWithoutUserFeatures");
        updates = g.counter("userUpdates");
    }

    @Override
    public void processElement1(Rating rating, Context ctx, Collector<FeaturedRating> out) throws Exception {
        int[] f = features.value();
        if (f == null) {
            without.inc();
        }
        out.collect(new FeaturedRating(rating, null, f));
    }

    @Override
    public void processElement2(Tuple2<Long, int[]> user, Context ctx, Collector<FeaturedRating> out) throws Exception {
        updates.inc();
        if (user.f1.length == 0) {
            features.clear();
        } else {
            features.update(user.f1);
        }
    }
}
