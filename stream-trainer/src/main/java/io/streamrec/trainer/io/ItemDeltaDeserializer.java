package io.streamrec.trainer.io;

import io.streamrec.common.serde.MalformedRecordException;
import io.streamrec.trainer.exchange.ExchangeMessage;
import io.streamrec.trainer.exchange.ItemDeltaSerde;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads the item-exchange topic: an undecodable message is logged and skipped (it is internal data, not user input). */
public final class ItemDeltaDeserializer implements KafkaRecordDeserializationSchema<ExchangeMessage> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ItemDeltaDeserializer.class);

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<ExchangeMessage> out) {
        if (record.value() == null) {
            return;
        }
        try {
            out.collect(ItemDeltaSerde.decode(record.value()));
        } catch (MalformedRecordException e) {
            LOG.warn("skipping undecodable exchange message at {}-{}@{}: {}", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
        }
    }

    @Override
    public TypeInformation<ExchangeMessage> getProducedType() {
        return ExchangeMessageTypeInfo.INSTANCE;
    }
}
