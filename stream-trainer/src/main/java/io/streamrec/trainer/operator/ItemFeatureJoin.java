package io.streamrec.trainer.operator;

import io.streamrec.trainer.io.FeaturedRating;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Joins each rating with its item's features: the {@code items} records are broadcast to every subtask and kept in
 * broadcast state (item id → packed features, checkpointed as operator state), and every rating leaves with its
 * item's features as they stood when it arrived. A rating of an item without metadata yet goes on without, counted
 * ({@code metadata.ratingsWithoutItemFeatures}); a tombstone forgets the item.
 */
public final class ItemFeatureJoin extends KeyedBroadcastProcessFunction<Long, FeaturedRating, Tuple2<Long, int[]>, FeaturedRating> {

    private static final long serialVersionUID = 1L;

    public static final MapStateDescriptor<Long, int[]> ITEMS = new MapStateDescriptor<>("item-features", Types.LONG,
            PrimitiveArrayTypeInfo.INT_PRIMITIVE_ARRAY_TYPE_INFO);

    private transient Counter without;
    private transient Counter updates;

    @Override
    public void open(OpenContext openContext) {
        var g = getRuntimeContext().getMetricGroup().addGroup("metadata");
        without = g.counter("ratingsWithoutItemFeatures");
        updates = g.counter("itemUpdates");
    }

    @Override
    public void processElement(FeaturedRating r, ReadOnlyContext ctx, Collector<FeaturedRating> out) throws Exception {
        int[] f = ctx.getBroadcastState(ITEMS).get(r.rating().item());
        if (f == null) {
            without.inc();
        }
        out.collect(new FeaturedRating(r.rating(), f, r.user()));
    }

    @Override
    public void processBroadcastElement(Tuple2<Long, int[]> item, Context ctx, Collector<FeaturedRating> out) throws Exception {
        updates.inc();
        if (item.f1.length == 0) {
            ctx.getBroadcastState(ITEMS).remove(item.f0);
        } else {
            ctx.getBroadcastState(ITEMS).put(item.f0, item.f1);
        }
    }
}
