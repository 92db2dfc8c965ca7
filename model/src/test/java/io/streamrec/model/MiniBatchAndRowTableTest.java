package io.streamrec.model;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MiniBatchAndRowTableTest {

    @Test
    void miniBatchIsBoundedReusableAndRejectsNonFiniteRatings() {
        MiniBatch b = new MiniBatch(2);
        b.add(1, 2, 3f, 10);
        assertThat(b.isFull()).isFalse();
        b.add(-5, 7, 4.5f, 20);
        assertThat(b.isFull()).isTrue();
        assertThat(b.user(1)).isEqualTo(-5);
        assertThat(b.maxTimestamp()).isEqualTo(20);
        assertThatThrownBy(() -> b.add(1, 1, 1f, 0)).isInstanceOf(IllegalStateException.class).hasMessageContaining("full");
        assertThatThrownBy(() -> b.user(2)).isInstanceOf(IndexOutOfBoundsException.class);
        b.clear();
        assertThat(b.isEmpty()).isTrue();
        assertThatThrownBy(() -> b.add(1, 1, Float.NaN, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.add(1, 1, Float.POSITIVE_INFINITY, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(b.size()).isZero();
        assertThatThrownBy(() -> new MiniBatch(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rowTableBehavesLikeAMapThroughGrowth() {
        RowTable t = new RowTable(4);
        Map<Long, float[]> reference = new HashMap<>();
        SplittableRandom rnd = new SplittableRandom(1);
        for (int i = 0; i < 20_000; i++) {
            long id = switch (i % 4) {
                case 0 -> rnd.nextLong();
                case 1 -> i;
                case 2 -> -i;
                default -> (long) i << 32;
            };
            float[] row = {i};
            t.put(id, row);
            reference.put(id, row);
        }
        t.put(Long.MIN_VALUE, new float[]{1});
        reference.put(Long.MIN_VALUE, t.get(Long.MIN_VALUE));
        assertThat(t.size()).isEqualTo(reference.size());
        reference.forEach((id, row) -> assertThat(t.get(id)).isSameAs(row));
        assertThat(t.get(123_456_789_012L)).isNull();
        int[] visited = {0};
        t.forEach((id, row) -> {
            assertThat(reference.get(id)).isSameAs(row);
            visited[0]++;
        });
        assertThat(visited[0]).isEqualTo(reference.size());
        assertThatThrownBy(() -> t.put(1, null)).isInstanceOf(IllegalArgumentException.class);
    }
}
