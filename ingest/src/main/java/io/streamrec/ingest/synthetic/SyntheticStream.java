package io.streamrec.ingest.synthetic;

import io.streamrec.common.event.Rating;
import io.streamrec.common.event.RatingScale;
import io.streamrec.ingest.RatingColumns;
import io.streamrec.ingest.RatingCursor;
import io.streamrec.ingest.RatingSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A deterministic synthetic rating stream with planted structure: users and items get rank-k factors and biases,
 * users are drawn by a Zipf-skewed activity and items by Zipf-skewed popularity, each rating is
 * μ + b_u + b_i + p_u·q_i + Gaussian noise, clamped to the scale and rounded to its step. At the scheduled drift
 * point a share of users change taste and/or a share of items have their bias reversed.
 *
 * <p>Memory is proportional to users + items (factors and alias tables), never to the number of events, so a
 * 100 M-event stream walks in constant memory. Walk it with {@link #cursor(long)} (no object per event) or as an
 * {@link Iterable} of {@link Rating}. Every cursor replays the identical stream; skipping ahead is O(skipped).
 */
public final class SyntheticStream implements RatingSource, Iterable<Rating> {

    private static final long PURPOSE_USER = 1;
    private static final long PURPOSE_ITEM = 2;
    private static final long PURPOSE_EVENTS = 3;
    private static final long PURPOSE_DRIFT_USER = 4;
    private static final long PURPOSE_DRIFT_ITEM = 5;
    private static final long PURPOSE_POPULARITY = 6;
    private static final long PURPOSE_SELECT = 7;

    private final SyntheticConfig config;
    private final PlantedModel before;
    private final PlantedModel after;
    private final AliasTable userActivity;
    private final AliasTable itemPopularity;

    public SyntheticStream(SyntheticConfig config) {
        this.config = config;
        this.before = plant(config);
        this.after = config.driftKind() == DriftKind.NONE ? null : drift(config, before);
        this.userActivity = new AliasTable(zipfWeights(config.users(), config.userSkew(), config.seed(), PURPOSE_USER));
        this.itemPopularity = new AliasTable(zipfWeights(config.items(), config.itemSkew(), config.seed(), PURPOSE_ITEM));
    }

    /**
     * A small planted stream for tests and benchmarks, the one generator every module uses: rank-4 planted biased MF,
     * half-star ratings around μ = 3.5, uniform user activity and a long tail of item popularity, one event a second.
     */
    public static java.util.List<Rating> planted(int events, int users, int items, long seed) {
        int rank = 4;
        SyntheticConfig c = new SyntheticConfig(users, items, events, rank, 0.3, 0.0, 0.8, seed, 0.5, DriftKind.NONE, 0.5,
                RatingScale.MOVIELENS_HALF_STARS, 3.5, 0.45, SyntheticConfig.factorStdFor(0.8, rank),
                SyntheticConfig.DEFAULT_START_MS, 1000);
        java.util.List<Rating> out = new java.util.ArrayList<>(events);
        new SyntheticStream(c).forEach(out::add);
        return out;
    }

    public SyntheticConfig config() {
        return config;
    }

    public RatingScale scale() {
        return config.scale();
    }

    /** The planted parameters before and (when drifting) after the drift. */
    public SyntheticTruth truth() {
        return new SyntheticTruth(config.seed(), config.driftEvent(), before, after);
    }

    public void writeTruth(Path file) throws IOException {
        truth().write(file);
    }

    @Override
    public long size() {
        return config.events();
    }

    /** True for user ids whose taste changes at the drift (for USER_TASTE and BOTH). */
    public boolean isDriftedUser(long user) {
        return config.driftKind() != DriftKind.NONE && config.driftKind() != DriftKind.ITEM_BIAS
                && selected(config, 0, user);
    }

    /** True for item ids whose bias flips at the drift (for ITEM_BIAS and BOTH). */
    public boolean isDriftedItem(long item) {
        return config.driftKind() == DriftKind.ITEM_BIAS || config.driftKind() == DriftKind.BOTH
                ? selected(config, 1, item) : false;
    }

    /** All events as in-memory columns (already in time order); for small configs and tests. */
    public RatingColumns toColumns() {
        if (config.events() > Integer.MAX_VALUE - 16) {
            throw new IllegalStateException(config.events() + " events do not fit in memory columns; stream them with cursor()");
        }
        RatingColumns.Builder b = RatingColumns.builder((int) config.events());
        try (RatingCursor c = cursor(0)) {
            while (c.advance()) {
                b.add(c.user(), c.item(), c.rating(), c.timestampMs());
            }
        }
        return b.build();
    }

    @Override
    public RatingCursor cursor(long from) {
        if (from < 0) {
            throw new IllegalArgumentException("cursor start must be >= 0, got " + from);
        }
        Cursor c = new Cursor();
        for (long i = 0; i < from && c.advance(); i++) {
            // Skipping must consume the same random numbers to land on the same events.
        }
        return c;
    }

    @Override
    public Iterator<Rating> iterator() {
        RatingCursor c = cursor(0);
        return new Iterator<>() {
            private boolean ready;
            private boolean more = true;

            @Override
            public boolean hasNext() {
                if (!ready && more) {
                    more = c.advance();
                    ready = true;
                }
                return more;
            }

            @Override
            public Rating next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                ready = false;
                return c.current();
            }
        };
    }

    private final class Cursor implements RatingCursor {
        private final SplitMix rng = SplitMix.of(config.seed(), PURPOSE_EVENTS, 0);
        private final long driftEvent = config.driftEvent();
        private final int rank = config.rank();
        private final float min = config.scale().min();
        private final float max = config.scale().max();
        private final float step = config.scale().step();
        private long index = -1;
        private long user;
        private long item;
        private float rating;

        @Override
        public boolean advance() {
            if (index + 1 >= config.events()) {
                index = config.events();
                return false;
            }
            index++;
            int u = userActivity.sample(rng.nextDouble());
            int i = itemPopularity.sample(rng.nextDouble());
            double noise = config.noise() * rng.nextGaussian();
            PlantedModel m = driftEvent >= 0 && index >= driftEvent ? after : before;
            float[] pu = m.userFactorArray();
            float[] qi = m.itemFactorArray();
            double dot = 0;
            int uo = u * rank;
            int io = i * rank;
            for (int f = 0; f < rank; f++) {
                dot += pu[uo + f] * qi[io + f];
            }
            double r = m.globalMean() + m.userBiasArray()[u] + m.itemBiasArray()[i] + dot + noise;
            if (step > 0) {
                r = min + Math.rint((r - min) / step) * step;
            }
            rating = (float) Math.max(min, Math.min(max, r));
            user = u + 1L;
            item = i + 1L;
            return true;
        }

        @Override
        public long user() {
            return user;
        }

        @Override
        public long item() {
            return item;
        }

        @Override
        public float rating() {
            return rating;
        }

        @Override
        public long timestampMs() {
            return config.startMs() + index * config.intervalMs();
        }

        @Override
        public long position() {
            return index;
        }
    }

    private static PlantedModel plant(SyntheticConfig c) {
        int k = c.rank();
        float[] ub = new float[c.users()];
        float[] uf = new float[c.users() * k];
        for (int u = 0; u < c.users(); u++) {
            SplitMix r = SplitMix.of(c.seed(), PURPOSE_USER, u);
            ub[u] = (float) (c.biasStd() * r.nextGaussian());
            for (int f = 0; f < k; f++) {
                uf[u * k + f] = (float) (c.factorStd() * r.nextGaussian());
            }
        }
        float[] ib = new float[c.items()];
        float[] itf = new float[c.items() * k];
        for (int i = 0; i < c.items(); i++) {
            SplitMix r = SplitMix.of(c.seed(), PURPOSE_ITEM, i);
            ib[i] = (float) (c.biasStd() * r.nextGaussian());
            for (int f = 0; f < k; f++) {
                itf[i * k + f] = (float) (c.factorStd() * r.nextGaussian());
            }
        }
        return new PlantedModel(k, (float) c.globalMean(), ub, ib, uf, itf);
    }

    /** The model after the drift; arrays that do not change are shared with {@code before}. */
    private static PlantedModel drift(SyntheticConfig c, PlantedModel before) {
        int k = c.rank();
        float[] ub = before.userBiasArray();
        float[] uf = before.userFactorArray();
        float[] ib = before.itemBiasArray();
        boolean users = c.driftKind() == DriftKind.USER_TASTE || c.driftKind() == DriftKind.BOTH;
        boolean items = c.driftKind() == DriftKind.ITEM_BIAS || c.driftKind() == DriftKind.BOTH;
        if (users) {
            ub = ub.clone();
            uf = uf.clone();
            for (int u = 0; u < c.users(); u++) {
                if (selected(c, 0, u + 1L)) {
                    SplitMix r = SplitMix.of(c.seed(), PURPOSE_DRIFT_USER, u);
                    ub[u] = (float) (c.biasStd() * r.nextGaussian());
                    for (int f = 0; f < k; f++) {
                        uf[u * k + f] = (float) (c.factorStd() * r.nextGaussian());
                    }
                }
            }
        }
        if (items) {
            ib = ib.clone();
            for (int i = 0; i < c.items(); i++) {
                if (selected(c, 1, i + 1L)) {
                    SplitMix r = SplitMix.of(c.seed(), PURPOSE_DRIFT_ITEM, i);
                    ib[i] = (float) (-ib[i] + 0.5 * c.biasStd() * r.nextGaussian());
                }
            }
        }
        return new PlantedModel(k, before.globalMean(), ub, ib, uf, before.itemFactorArray());
    }

    private static boolean selected(SyntheticConfig c, int kind, long id) {
        return SplitMix.of(c.seed(), PURPOSE_SELECT, kind * 0x1_0000_0000L + id).nextDouble() < c.driftShare();
    }

    /** Zipf weights 1/(rank+1)^s, with ranks assigned to ids by a seeded shuffle so popularity is not id order. */
    private static double[] zipfWeights(int n, double skew, long seed, long purpose) {
        int[] rankOf = new int[n];
        for (int i = 0; i < n; i++) {
            rankOf[i] = i;
        }
        SplitMix r = SplitMix.of(seed, PURPOSE_POPULARITY, purpose);
        for (int i = n - 1; i > 0; i--) {
            int j = (int) Math.floorMod(r.nextLong(), (long) i + 1);
            int t = rankOf[i];
            rankOf[i] = rankOf[j];
            rankOf[j] = t;
        }
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = skew == 0 ? 1.0 : Math.pow(rankOf[i] + 1.0, -skew);
        }
        return w;
    }

    @Override
    public String toString() {
        return "SyntheticStream{" + config + '}';
    }
}
