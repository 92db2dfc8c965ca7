package io.streamrec.scorer.index;

import io.streamrec.common.event.ScoredItem;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

class CoalescingTopKTest {

    @Test
    void concurrentRequestsGetExactlyTheirOwnAnswers() throws Exception {
        Random rnd = new Random(9);
        long[] ids = new long[3000];
        ItemIndex index = ItemIndexTest.randomIndex(rnd, ids.length, 16, ids);
        CoalescingTopK coalescer = new CoalescingTopK(index, 2, 16);
        int n = 200;
        float[][] users = new float[n][];
        long[][] excluded = new long[n][];
        for (int i = 0; i < n; i++) {
            users[i] = ItemIndexTest.gaussian(rnd, 16);
            excluded[i] = new long[]{ids[i], ids[i + 1]};
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<List<ScoredItem>>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int u = i;
                futures.add(pool.submit(() -> coalescer.topK(users[u], u, 1 + u % 7, excluded[u])));
            }
            for (int i = 0; i < n; i++) {
                // different k per request share batches: each must still get its own k, offset and exclusions
                assertThat(futures.get(i).get()).isEqualTo(index.topK(users[i], 1f, i, 1 + i % 7, excluded[i]));
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
