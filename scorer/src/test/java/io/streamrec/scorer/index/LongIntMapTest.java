package io.streamrec.scorer.index;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class LongIntMapTest {

    @Test
    void behavesLikeAHashMapUnderRandomPutsAndRemoves() {
        Random rnd = new Random(3);
        LongIntMap map = new LongIntMap(4);
        Map<Long, Integer> ref = new HashMap<>();
        for (int step = 0; step < 200_000; step++) {
            long key = rnd.nextInt(5000) * 1_000_003L; // clustered hashes exercise probing and backward shift
            if (rnd.nextInt(3) == 0) {
                Integer expected = ref.remove(key);
                assertThat(map.remove(key)).isEqualTo(expected == null ? -1 : expected);
            } else {
                int v = rnd.nextInt(1 << 20);
                map.put(key, v);
                ref.put(key, v);
            }
        }
        assertThat(map.size()).isEqualTo(ref.size());
        for (long k = 0; k < 5000; k++) {
            Integer expected = ref.get(k * 1_000_003L);
            assertThat(map.get(k * 1_000_003L)).isEqualTo(expected == null ? -1 : expected);
        }
    }
}
