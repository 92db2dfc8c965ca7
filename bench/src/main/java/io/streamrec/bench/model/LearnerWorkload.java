package io.streamrec.bench.model;

import io.streamrec.common.event.FactorKind;
import io.streamrec.model.MiniBatch;
import io.streamrec.model.RowLayout;
import io.streamrec.model.RowTable;

import java.util.SplittableRandom;

/**
 * The data the learner-step benchmarks train on, the same for every family so their figures compare: seeded initial
 * rows for every user and item, and pre-built batches of uniform users and popularity-skewed items.
 */
record LearnerWorkload(RowTable users, RowTable items, MiniBatch[] batches) {

    static LearnerWorkload of(RowLayout layout, int users, int items, int batches, int batchSize) {
        RowTable userTable = new RowTable(users);
        RowTable itemTable = new RowTable(items);
        for (int u = 0; u < users; u++) {
            userTable.put(u, layout.newRow(FactorKind.USER, u));
        }
        for (int i = 0; i < items; i++) {
            itemTable.put(i, layout.newRow(FactorKind.ITEM, i));
        }
        SplittableRandom rnd = new SplittableRandom(1);
        MiniBatch[] out = new MiniBatch[batches];
        for (int b = 0; b < batches; b++) {
            out[b] = new MiniBatch(batchSize);
            for (int e = 0; e < batchSize; e++) {
                // Squaring a uniform skews item popularity toward low ids, like a long tail.
                double x = rnd.nextDouble();
                out[b].add(rnd.nextInt(users), (long) (x * x * items), 1 + rnd.nextInt(5), e);
            }
        }
        return new LearnerWorkload(userTable, itemTable, out);
    }
}
