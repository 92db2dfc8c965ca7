package io.streamrec.model.eval;

import java.util.Arrays;
import java.util.HashMap;
import java.util.function.LongConsumer;

/**
 * Every user's rated items in memory, unbounded (offline evaluation: the whole dataset is in memory anyway). A
 * re-rated item is kept once.
 */
public final class InMemoryRatedItems implements RatedItems {

    private final HashMap<Long, Items> byUser = new HashMap<>();

    @Override
    public void forEach(long user, LongConsumer action) {
        Items items = byUser.get(user);
        if (items != null) {
            for (int k = 0; k < items.size; k++) {
                action.accept(items.ids[k]);
            }
        }
    }

    @Override
    public void add(long user, long item) {
        byUser.computeIfAbsent(user, u -> new Items()).add(item);
    }

    /** One user's items, in rating order, with a set beside them once there are many (re-ratings are rare). */
    private static final class Items {
        private long[] ids = new long[8];
        private int size;
        private java.util.HashSet<Long> index;

        void add(long item) {
            if (contains(item)) {
                return;
            }
            if (size == ids.length) {
                ids = Arrays.copyOf(ids, size * 2);
            }
            ids[size++] = item;
            if (index != null) {
                index.add(item);
            } else if (size > 32) {
                index = new java.util.HashSet<>();
                for (int k = 0; k < size; k++) {
                    index.add(ids[k]);
                }
            }
        }

        private boolean contains(long item) {
            if (index != null) {
                return index.contains(item);
            }
            for (int k = 0; k < size; k++) {
                if (ids[k] == item) {
                    return true;
                }
            }
            return false;
        }
    }
}
