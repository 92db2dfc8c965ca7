package io.streamrec.model.eval;

import io.streamrec.common.event.PrequentialMetrics;
import io.streamrec.common.event.RankingMetrics;
import io.streamrec.model.MiniBatch;
import io.streamrec.model.OnlineModel;
import io.streamrec.model.RowTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Drives an {@link OnlineModel} over ratings held in memory, with the trainer's mini-batching (a batch closes every
 * {@code batchSize} events: offline there is no wall-clock timeout) and the trainer's calls
 * ({@link OnlineModel#process} per batch, rows in {@link RowTable}s). This is what {@code streamrec evaluate} runs.
 */
public final class OfflineEvaluation {

    private static final Logger LOG = LoggerFactory.getLogger(OfflineEvaluation.class);

    /**
     * What a run measured. {@code events} counts the scored events (all for prequential, the test part for holdout);
     * {@code ranking} the ranked samples ({@link RankingMetrics#none} when ranking was off), of which
     * {@code rankingUnknownItems} had an item the model did not know (counted as misses); {@code coldStartRmse} the
     * RMSE over the {@code coldStartEvents} scored events whose item had fewer than 5 earlier ratings
     * ({@link ColdStartRmse}; NaN when there were none).
     */
    public record Result(String protocol, long events, long trainEvents, double rmse, double mae, double coldStartShare,
                         double eventsPerSecond, double seconds, long driftEvents, RankingMetrics ranking,
                         long rankingUnknownItems, double coldStartRmse, long coldStartEvents) {
    }

    /**
     * Which events are ranked: one in {@code every} (seeded position in each block), or none when {@code every} is 0.
     */
    public record RankingSampling(int every, long seed) {
        public static final RankingSampling OFF = new RankingSampling(0, 0);

        public RankingSampling {
            if (every < 0) {
                throw new IllegalArgumentException("ranking sample interval must be >= 0 (0 = off), got " + every);
            }
        }

        public boolean on() {
            return every > 0;
        }

        PrequentialRanking start(OnlineModel model) {
            return on() ? new PrequentialRanking(model, new RankingEvaluator(every, seed, RankingEvaluator.DEFAULT_WINDOW))
                    : null;
        }
    }

    /** Ratings as equal-length columns; the order given is the order events are replayed in. */
    public record Columns(long[] users, long[] items, float[] ratings, long[] timestampsMs) {
        public Columns {
            Objects.requireNonNull(users, "users");
            Objects.requireNonNull(items, "items");
            Objects.requireNonNull(ratings, "ratings");
            Objects.requireNonNull(timestampsMs, "timestampsMs");
            if (items.length != users.length || ratings.length != users.length || timestampsMs.length != users.length) {
                throw new IllegalArgumentException("columns differ in length: users=" + users.length + " items="
                        + items.length + " ratings=" + ratings.length + " timestamps=" + timestampsMs.length);
            }
        }

        public int size() {
            return users.length;
        }
    }

    private OfflineEvaluation() {
    }

    /**
     * Test-then-train, single pass, in the given (event-time) order: every event is scored with the model as it stood
     * before the batch holding it, then learned from.
     *
     * @param every called with a metrics snapshot every {@code reportEvery} events (and at the end); may be null
     */
    public static Result prequential(OnlineModel model, Columns data, int reportEvery, Consumer<PrequentialMetrics> every) {
        return prequential(model, data, reportEvery, every, RankingSampling.OFF);
    }

    /**
     * {@link #prequential(OnlineModel, Columns, int, Consumer)} that also ranks the sampled events before each batch is
     * learned ({@link PrequentialRanking}), excluding every item the user rated earlier in the stream.
     */
    public static Result prequential(OnlineModel model, Columns data, int reportEvery, Consumer<PrequentialMetrics> every,
                                     RankingSampling sampling) {
        PrequentialRanking ranking = sampling.start(model);
        InMemoryRatedItems rated = new InMemoryRatedItems();
        PrequentialEvaluator evaluator = new PrequentialEvaluator("evaluate");
        ColdStartRmse cold = new ColdStartRmse();
        RowTable users = new RowTable(1 << 12);
        RowTable items = new RowTable(1 << 12);
        MiniBatch batch = new MiniBatch(model.hyperParameters().batchSize());
        int n = data.size();
        long start = System.nanoTime();
        long nextReport = reportEvery > 0 ? reportEvery : Long.MAX_VALUE;
        for (int e = 0; e < n; e++) {
            batch.add(data.users()[e], data.items()[e], data.ratings()[e], data.timestampsMs()[e]);
            if (batch.isFull() || e == n - 1) {
                if (ranking != null) {
                    ranking.rankBefore(batch, users, items, rated);
                }
                model.process(batch, users, items);
                evaluator.record(batch);
                for (int k = 0; k < batch.size(); k++) {
                    cold.record(batch.item(k), batch.prediction(k), batch.rating(k));
                    cold.seen(batch.item(k));
                }
                batch.clear();
                if (every != null && evaluator.count() >= nextReport) {
                    every.accept(evaluator.snapshot());
                    nextReport += reportEvery;
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (every != null && evaluator.count() != nextReport - reportEvery) {
            every.accept(evaluator.snapshot());
        }
        LOG.info("prequential: {} events, RMSE {}, MAE {}, cold-start {}, {} s", n, evaluator.cumulativeRmse(),
                evaluator.cumulativeMae(), evaluator.coldStartShare(), seconds);
        return new Result("prequential", n, n, evaluator.cumulativeRmse(), evaluator.cumulativeMae(),
                evaluator.coldStartShare(), seconds > 0 ? n / seconds : 0, seconds, evaluator.driftEvents(),
                ranking == null ? RankingMetrics.none(1, 0) : ranking.snapshot(), ranking == null ? 0 : ranking.unknownItems(),
                cold.rmse(), cold.events());
    }

    /**
     * Batch-comparable holdout: a seeded random {@code testFraction} of the events is held out; the model learns the
     * rest for {@code epochs} passes (each pass in a fresh seeded shuffle, as batch SGD libraries do), then scores the
     * held-out events without learning from them.
     */
    public static Result holdout(OnlineModel model, Columns data, double testFraction, int epochs, long seed) {
        return holdout(model, data, testFraction, epochs, seed, RankingSampling.OFF);
    }

    /**
     * {@link #holdout(OnlineModel, Columns, double, int, long)} that also ranks the sampled held-out ratings: each
     * held-out (u, i) is ranked among every item the model knows that u rated in neither part (u's other held-out
     * items are excluded too, so one held-out item does not count against another), after training.
     */
    public static Result holdout(OnlineModel model, Columns data, double testFraction, int epochs, long seed,
                                 RankingSampling sampling) {
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("test fraction must be in (0, 1), got " + testFraction);
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        Split split = split(data, testFraction, rnd);
        int[] train = split.train();
        int[] test = split.test();
        int trainSize = train.length;
        int testSize = test.length;

        RowTable users = new RowTable(1 << 12);
        RowTable items = new RowTable(1 << 12);
        MiniBatch batch = new MiniBatch(model.hyperParameters().batchSize());
        long start = System.nanoTime();
        for (int epoch = 0; epoch < epochs; epoch++) {
            shuffle(train, trainSize, rnd);
            for (int k = 0; k < trainSize; k++) {
                int e = train[k];
                batch.add(data.users()[e], data.items()[e], data.ratings()[e], data.timestampsMs()[e]);
                if (batch.isFull() || k == trainSize - 1) {
                    model.learn(batch, users, items);
                    batch.clear();
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        PrequentialEvaluator evaluator = new PrequentialEvaluator("holdout");
        ColdStartRmse cold = coldAfterTraining(data, train);
        PrequentialRanking ranking = sampling.start(model);
        InMemoryRatedItems rated = new InMemoryRatedItems();
        if (ranking != null) {
            for (int e = 0; e < data.size(); e++) {
                rated.add(data.users()[e], data.items()[e]);
            }
        }
        for (int k = 0; k < testSize; k++) {
            int e = test[k];
            batch.add(data.users()[e], data.items()[e], data.ratings()[e], data.timestampsMs()[e]);
            if (batch.isFull() || k == testSize - 1) {
                model.predict(batch, users, items);
                evaluator.record(batch);
                for (int j = 0; j < batch.size(); j++) {
                    cold.record(batch.item(j), batch.prediction(j), batch.rating(j));
                }
                if (ranking != null) {
                    ranking.rankHeldOut(batch, users, items, rated);
                }
                batch.clear();
            }
        }
        long trained = (long) trainSize * epochs;
        LOG.info("holdout: trained {} events ({} epochs), scored {}: RMSE {}, MAE {}", trained, epochs, testSize,
                evaluator.cumulativeRmse(), evaluator.cumulativeMae());
        return new Result("holdout", testSize, trained, evaluator.cumulativeRmse(), evaluator.cumulativeMae(),
                evaluator.coldStartShare(), seconds > 0 ? trained / seconds : 0, seconds, evaluator.driftEvents(),
                ranking == null ? RankingMetrics.none(1, 0) : ranking.snapshot(), ranking == null ? 0 : ranking.unknownItems(),
                cold.rmse(), cold.events());
    }

    /** Items counted by their ratings in the training part: what a holdout model has seen of each. */
    private static ColdStartRmse coldAfterTraining(Columns data, int[] train) {
        ColdStartRmse cold = new ColdStartRmse();
        for (int e : train) {
            cold.seen(data.items()[e]);
        }
        return cold;
    }

    /**
     * The same holdout for a model trained on the whole training part at once ({@link BatchTrainedModel}, e.g.
     * I-AutoRec): the same seeded split as {@link #holdout(OnlineModel, Columns, double, int, long)} for the same
     * seed, so figures are comparable; the model sets its own epochs.
     */
    public static Result holdout(BatchTrainedModel model, Columns data, double testFraction, long seed) {
        Split split = split(data, testFraction, new SplittableRandom(seed));
        int[] train = split.train();
        long[] tu = new long[train.length];
        long[] ti = new long[train.length];
        float[] tr = new float[train.length];
        for (int k = 0; k < train.length; k++) {
            tu[k] = data.users()[train[k]];
            ti[k] = data.items()[train[k]];
            tr[k] = data.ratings()[train[k]];
        }
        long start = System.nanoTime();
        model.fit(tu, ti, tr);
        double seconds = (System.nanoTime() - start) / 1e9;
        PrequentialEvaluator evaluator = new PrequentialEvaluator("holdout");
        ColdStartRmse cold = coldAfterTraining(data, train);
        for (int e : split.test()) {
            BatchTrainedModel.Prediction p = model.predict(data.users()[e], data.items()[e]);
            evaluator.record(p.rating(), data.ratings()[e], p.coldStart(), data.timestampsMs()[e]);
            cold.record(data.items()[e], p.rating(), data.ratings()[e]);
        }
        LOG.info("holdout ({}): trained on {} ratings in {} s, scored {}: RMSE {}, MAE {}", model.kind().id(),
                train.length, seconds, split.test().length, evaluator.cumulativeRmse(), evaluator.cumulativeMae());
        return new Result("holdout", split.test().length, train.length, evaluator.cumulativeRmse(),
                evaluator.cumulativeMae(), evaluator.coldStartShare(), seconds > 0 ? train.length / seconds : 0, seconds,
                evaluator.driftEvents(), RankingMetrics.none(1, 0), 0, cold.rmse(), cold.events());
    }

    private record Split(int[] train, int[] test) {
    }

    /** A seeded random split: the first shuffle of {@code rnd} decides it, so both holdouts split alike. */
    private static Split split(Columns data, double testFraction, SplittableRandom rnd) {
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("test fraction must be in (0, 1), got " + testFraction);
        }
        int n = data.size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        shuffle(order, n, rnd);
        int testSize = (int) Math.round(n * testFraction);
        int trainSize = n - testSize;
        return new Split(java.util.Arrays.copyOfRange(order, 0, trainSize), java.util.Arrays.copyOfRange(order, trainSize, n));
    }

    private static void shuffle(int[] a, int n, SplittableRandom rnd) {
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
