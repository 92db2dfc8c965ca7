package io.streamrec.trainer.io;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Keeps every Kafka record, whatever its bytes: the source must never fail on poison input. */
public final class RawRatingDeserializer implements KafkaRecordDeserializationSchema<RawRating> {

    private static final long serialVersionUID = 1L;

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RawRating> out) {
        out.collect(new RawRating(record.topic(), record.partition(), record.offset(), record.timestamp(),
                record.key(), record.value()));
    }

    @Override
    public TypeInformation<RawRating> getProducedType() {
        return TypeInformation.of(RawRating.class);
    }
}
