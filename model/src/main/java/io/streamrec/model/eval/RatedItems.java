package io.streamrec.model.eval;

import java.util.function.LongConsumer;

/**
 * Each user's rated items, for excluding them from the user's ranking: in memory offline ({@link InMemoryRatedItems}),
 * in keyed state in the trainer.
 */
public interface RatedItems {

    /** Calls {@code action} with every item {@code user} rated so far (as far as this store remembers). */
    void forEach(long user, LongConsumer action);

    /** Notes that {@code user} rated {@code item}. */
    void add(long user, long item);
}
