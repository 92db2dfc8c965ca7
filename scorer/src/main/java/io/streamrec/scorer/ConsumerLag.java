package io.streamrec.scorer;

import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;

import java.util.Map;

/**
 * Reads the consumers' lag out of Kafka Streams' client metrics: the global consumer's records-lag on the factors
 * topic (in total, or per partition for {@link FactorProgress}) and the stream consumer's max lag over its inputs.
 */
final class ConsumerLag {

    private static final String GLOBAL_CONSUMER = "global-consumer";

    private final KafkaStreams streams;

    ConsumerLag(KafkaStreams streams) {
        this.streams = streams;
    }

    /** The global consumer's records-lag summed over {@code topic}'s partitions; NaN before any is reported. */
    double globalLag(String topic) {
        double lag = 0;
        boolean seen = false;
        for (Map.Entry<MetricName, ? extends Metric> e : streams.metrics().entrySet()) {
            MetricName n = e.getKey();
            if (n.name().equals("records-lag") && topic.equals(n.tags().get("topic")) && isGlobal(n)) {
                Object v = e.getValue().metricValue();
                if (v instanceof Number num && !Double.isNaN(num.doubleValue())) {
                    lag += num.doubleValue();
                    seen = true;
                }
            }
        }
        return seen ? lag : Double.NaN;
    }

    /** The global consumer's records-lag on one partition, NaN when not known yet. */
    double partitionLag(String topic, int partition) {
        for (Map.Entry<MetricName, ? extends Metric> e : streams.metrics().entrySet()) {
            MetricName n = e.getKey();
            if (n.name().equals("records-lag") && topic.equals(n.tags().get("topic"))
                    && String.valueOf(partition).equals(n.tags().get("partition")) && isGlobal(n)
                    && e.getValue().metricValue() instanceof Number num) {
                return num.doubleValue();
            }
        }
        return Double.NaN;
    }

    /** Max records-lag of the stream consumer over its input partitions (ratings, user events). */
    double inputLag() {
        double max = 0;
        for (Map.Entry<MetricName, ? extends Metric> e : streams.metrics().entrySet()) {
            MetricName n = e.getKey();
            if (n.name().equals("records-lag-max") && n.group().equals("consumer-fetch-manager-metrics")
                    && !isGlobal(n) && !n.tags().containsKey("topic")) {
                Object v = e.getValue().metricValue();
                if (v instanceof Number num && Double.isFinite(num.doubleValue())) {
                    max = Math.max(max, num.doubleValue());
                }
            }
        }
        return max;
    }

    private static boolean isGlobal(MetricName n) {
        return String.valueOf(n.tags().get("client-id")).endsWith(GLOBAL_CONSUMER);
    }
}
