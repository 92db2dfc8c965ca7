package io.streamrec.common.topic;

import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TopicAdminTest {

    private final Topics topics = new Topics("t.");

    @Test
    void compactedTopicsAreCreatedCompactedWithTheConfiguredPartitions() {
        NewTopic factors = TopicAdmin.newTopic(topics.factors(), 4, (short) 3);
        assertThat(factors.name()).isEqualTo("t.factors");
        assertThat(factors.numPartitions()).isEqualTo(4);
        assertThat(factors.replicationFactor()).isEqualTo((short) 3);
        assertThat(factors.configs()).containsEntry("cleanup.policy", "compact");
        assertThat(TopicAdmin.newTopic(topics.ratings(), 4, (short) 1).configs()).isNull();
    }

    @Test
    void theItemExchangeHasOnePartitionAndShortRetentionWhateverTheDeploymentSays() {
        NewTopic exchange = TopicAdmin.newTopic(topics.itemExchange(), 8, (short) 1);
        assertThat(exchange.name()).isEqualTo("t.trainer-item-exchange");
        assertThat(exchange.numPartitions()).isEqualTo(1);
        assertThat(exchange.configs()).containsEntry("retention.ms", "3600000").containsKey("max.message.bytes")
                .doesNotContainKey("cleanup.policy");
        assertThat(topics.all()).extracting(Topic::name).doesNotContain(topics.itemExchange().name());
    }

    @Test
    void anUnreachableBrokerIsNamedInTheError() {
        try (TopicAdmin admin = TopicAdmin.connect(Map.of("bootstrap.servers", "127.0.0.1:1",
                "default.api.timeout.ms", 1500, "request.timeout.ms", 1000, "acks", "all"))) {
            assertThatThrownBy(() -> admin.create(java.util.List.of(new NewTopic("x", 1, (short) 1))))
                    .isInstanceOf(TopicAdmin.TopicAdminException.class)
                    .hasMessageContaining("cannot reach Kafka at 127.0.0.1:1")
                    .hasMessageContaining("streamrec broker");
        }
    }
}
