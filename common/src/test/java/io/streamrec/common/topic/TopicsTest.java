package io.streamrec.common.topic;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TopicsTest {

    @Test
    void everyTopicSharesThePrefixAndCompactionMatchesTheContract() {
        Topics t = new Topics("demo.");
        assertThat(t.all()).extracting(Topic::name).containsExactly("demo.ratings", "demo.items", "demo.users",
                "demo.ratings-dlq", "demo.factors", "demo.models", "demo.metrics", "demo.recommendations");
        assertThat(t.all()).filteredOn(Topic::compacted).extracting(Topic::name)
                .containsExactlyInAnyOrder("demo.items", "demo.users", "demo.factors", "demo.models");
    }

    @Test
    void prefixIsValidated() {
        assertThatThrownBy(() -> new Topics("a/b")).isInstanceOf(IllegalArgumentException.class);
        assertThat(new Topics(null).ratings().name()).isEqualTo("ratings");
    }
}
