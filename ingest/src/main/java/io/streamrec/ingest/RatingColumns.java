package io.streamrec.ingest;

import io.streamrec.common.event.Rating;
import io.streamrec.ingest.sort.TimeOrder;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Ratings as four primitive columns of equal length: 28 bytes per event instead of a ~48-byte object plus a
 * pointer, and cache-friendly for learners that sweep them. Instances from {@link DatasetLoader} are sorted by event
 * time (stable: ties keep file order).
 *
 * <p>The column getters return the backing arrays without copying, for speed: treat them as read-only. Every array
 * is exactly {@link #size()} long. (Over 300 lines: the builder, the stable sort and the cursor work on the same four
 * arrays and read best beside them.)
 */
public final class RatingColumns implements RatingSource, Iterable<Rating> {

    private static final RatingColumns EMPTY = new RatingColumns(new long[0], new long[0], new float[0], new long[0]);

    private final long[] users;
    private final long[] items;
    private final float[] ratings;
    private final long[] timestampsMs;

    /** Wraps the arrays (not copied): they must all have the same length and not be modified afterwards. */
    public RatingColumns(long[] users, long[] items, float[] ratings, long[] timestampsMs) {
        Objects.requireNonNull(users, "users");
        Objects.requireNonNull(items, "items");
        Objects.requireNonNull(ratings, "ratings");
        Objects.requireNonNull(timestampsMs, "timestampsMs");
        int n = users.length;
        if (items.length != n || ratings.length != n || timestampsMs.length != n) {
            throw new IllegalArgumentException("columns differ in length: users=" + n + " items=" + items.length
                    + " ratings=" + ratings.length + " timestamps=" + timestampsMs.length);
        }
        this.users = users;
        this.items = items;
        this.ratings = ratings;
        this.timestampsMs = timestampsMs;
    }

    public static RatingColumns empty() {
        return EMPTY;
    }

    public static Builder builder() {
        return new Builder(1024);
    }

    public static Builder builder(int expectedSize) {
        return new Builder(expectedSize);
    }

    /** A builder whose arrays never grow beyond {@code maxCapacity} events (a memory budget); adding more fails. */
    public static Builder builder(int expectedSize, int maxCapacity) {
        Builder b = new Builder(Math.min(expectedSize, maxCapacity));
        b.maxCapacity = maxCapacity;
        return b;
    }

    /** Columns from records, in the given order (not sorted). */
    public static RatingColumns of(Iterable<Rating> ratings) {
        Builder b = builder();
        for (Rating r : ratings) {
            b.add(r.user(), r.item(), r.rating(), r.timestampMs());
        }
        return b.build();
    }

    public int sizeInt() {
        return users.length;
    }

    @Override
    public long size() {
        return users.length;
    }

    public boolean isEmpty() {
        return users.length == 0;
    }

    public long[] users() {
        return users;
    }

    public long[] items() {
        return items;
    }

    public float[] ratings() {
        return ratings;
    }

    public long[] timestampsMs() {
        return timestampsMs;
    }

    public long user(int i) {
        return users[i];
    }

    public long item(int i) {
        return items[i];
    }

    public float rating(int i) {
        return ratings[i];
    }

    public long timestampMs(int i) {
        return timestampsMs[i];
    }

    public Rating get(int i) {
        return new Rating(users[i], items[i], ratings[i], timestampsMs[i]);
    }

    public boolean isSortedByTime() {
        return TimeOrder.isSorted(timestampsMs, users.length);
    }

    /** These ratings in stable event-time order: {@code this} when already sorted, otherwise new columns. */
    public RatingColumns sortedByTime() {
        int n = users.length;
        if (TimeOrder.isSorted(timestampsMs, n)) {
            return this;
        }
        int[] order = TimeOrder.stableOrder(timestampsMs, n);
        return new RatingColumns(gather(users, order), gather(items, order), gather(ratings, order), gather(timestampsMs, order));
    }

    /** Events {@code [from, to)} as new columns (copies). */
    public RatingColumns slice(int from, int to) {
        Objects.checkFromToIndex(from, to, users.length);
        return new RatingColumns(Arrays.copyOfRange(users, from, to), Arrays.copyOfRange(items, from, to),
                Arrays.copyOfRange(ratings, from, to), Arrays.copyOfRange(timestampsMs, from, to));
    }

    private static long[] gather(long[] col, int[] order) {
        long[] out = new long[order.length];
        for (int i = 0; i < order.length; i++) {
            out[i] = col[order[i]];
        }
        return out;
    }

    private static float[] gather(float[] col, int[] order) {
        float[] out = new float[order.length];
        for (int i = 0; i < order.length; i++) {
            out[i] = col[order[i]];
        }
        return out;
    }

    @Override
    public RatingCursor cursor(long from) {
        if (from < 0) {
            throw new IllegalArgumentException("cursor start must be >= 0, got " + from);
        }
        int start = (int) Math.min(from, users.length);
        return new RatingCursor() {
            private int i = start - 1;

            @Override
            public boolean advance() {
                if (i + 1 >= users.length) {
                    i = users.length;
                    return false;
                }
                i++;
                return true;
            }

            @Override
            public long user() {
                return users[i];
            }

            @Override
            public long item() {
                return items[i];
            }

            @Override
            public float rating() {
                return ratings[i];
            }

            @Override
            public long timestampMs() {
                return timestampsMs[i];
            }

            @Override
            public long position() {
                return i;
            }
        };
    }

    @Override
    public Iterator<Rating> iterator() {
        return new Iterator<>() {
            private int i;

            @Override
            public boolean hasNext() {
                return i < users.length;
            }

            @Override
            public Rating next() {
                if (i >= users.length) {
                    throw new NoSuchElementException();
                }
                return get(i++);
            }
        };
    }

    @Override
    public void forEach(Consumer<? super Rating> action) {
        for (int i = 0; i < users.length; i++) {
            action.accept(get(i));
        }
    }

    @Override
    public String toString() {
        return "RatingColumns{size=" + users.length + '}';
    }

    /** Appends events into growing arrays; not thread-safe. */
    public static final class Builder {
        private long[] users;
        private long[] items;
        private float[] ratings;
        private long[] timestamps;
        private int size;
        private int maxCapacity = Integer.MAX_VALUE - 16;

        private Builder(int expected) {
            int cap = Math.max(2, expected);
            users = new long[cap];
            items = new long[cap];
            ratings = new float[cap];
            timestamps = new long[cap];
        }

        public Builder add(long user, long item, float rating, long timestampMs) {
            if (size == users.length) {
                grow();
            }
            users[size] = user;
            items[size] = item;
            ratings[size] = rating;
            timestamps[size] = timestampMs;
            size++;
            return this;
        }

        public Builder add(Rating r) {
            return add(r.user(), r.item(), r.rating(), r.timestampMs());
        }

        public int size() {
            return size;
        }

        /** Forgets the events added so far but keeps the arrays, so a spilling sorter can reuse them. */
        public void clear() {
            size = 0;
        }

        private void grow() {
            long newCap = (long) users.length + (users.length >> 1) + 16;
            if (newCap > maxCapacity) {
                if (users.length >= maxCapacity) {
                    throw new IllegalStateException("more than " + maxCapacity
                            + " ratings do not fit in these memory columns; use a memory budget so the sorter spills to disk");
                }
                newCap = maxCapacity;
            }
            int cap = (int) newCap;
            users = Arrays.copyOf(users, cap);
            items = Arrays.copyOf(items, cap);
            ratings = Arrays.copyOf(ratings, cap);
            timestamps = Arrays.copyOf(timestamps, cap);
        }

        /** The events added so far, in insertion order, as exactly-sized columns. */
        public RatingColumns build() {
            return new RatingColumns(Arrays.copyOf(users, size), Arrays.copyOf(items, size),
                    Arrays.copyOf(ratings, size), Arrays.copyOf(timestamps, size));
        }

        /** The events added so far in stable event-time order, built without an intermediate unsorted copy. */
        public RatingColumns buildSortedByTime() {
            if (TimeOrder.isSorted(timestamps, size)) {
                return build();
            }
            int[] order = TimeOrder.stableOrder(timestamps, size);
            long[] u = new long[size];
            long[] it = new long[size];
            float[] r = new float[size];
            long[] t = new long[size];
            for (int i = 0; i < size; i++) {
                int o = order[i];
                u[i] = users[o];
                it[i] = items[o];
                r[i] = ratings[o];
                t[i] = timestamps[o];
            }
            return new RatingColumns(u, it, r, t);
        }
    }
}
