package dev.switchboard.source.kafka;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.kafka.KafkaMessageFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Turns a Kafka record into a CloudEvent, as Knative's Kafka source does.
 *
 * <p>A record that already is a CloudEvent in the Kafka protocol binding (binary: {@code ce_*}
 * headers; structured: a {@code content-type} of {@code application/cloudevents...}) passes
 * through unchanged, read by the CloudEvents SDK. Any other record becomes an event of type
 * {@value #TYPE} whose id names its partition and offset, with the key, the headers and the value.
 * {@code ceOverrides} extensions are set on both kinds.
 */
public final class RecordMapper {
    public static final String TYPE = "dev.knative.kafka.event";
    private static final String SPEC_VERSION_HEADER = "ce_specversion";
    private static final String CONTENT_TYPE_HEADER = "content-type";

    private final String namespace;
    private final String name;
    private final KeyType keyType;
    private final Map<String, String> extensions;

    public RecordMapper(KafkaSourceSpec spec) {
        this.namespace = spec.namespace();
        this.name = spec.name();
        this.keyType = spec.keyType();
        this.extensions = spec.extensions();
    }

    /**
     * The record's event.
     *
     * @throws IllegalArgumentException when the record claims to be a CloudEvent but is not a valid
     *     one
     */
    public CloudEvent toCloudEvent(ConsumerRecord<byte[], byte[]> record) {
        return withOverrides(isCloudEvent(record) ? passThrough(record) : wrap(record));
    }

    /** The record as a plain record's event, even when it claims to be a CloudEvent. */
    public CloudEvent toPlainCloudEvent(ConsumerRecord<byte[], byte[]> record) {
        return withOverrides(wrap(record));
    }

    private CloudEvent withOverrides(CloudEvent event) {
        if (extensions.isEmpty()) {
            return event;
        }
        CloudEventBuilder builder = CloudEventBuilder.v1(event);
        extensions.forEach(builder::withExtension);
        return builder.build();
    }

    /** Whether the record carries a CloudEvent in binary or structured mode. */
    public static boolean isCloudEvent(ConsumerRecord<byte[], byte[]> record) {
        if (record.headers().lastHeader(SPEC_VERSION_HEADER) != null) {
            return true;
        }
        Header contentType = record.headers().lastHeader(CONTENT_TYPE_HEADER);
        return contentType != null
                && contentType.value() != null
                && new String(contentType.value(), StandardCharsets.UTF_8)
                        .toLowerCase(Locale.ROOT)
                        .startsWith("application/cloudevents");
    }

    private static CloudEvent passThrough(ConsumerRecord<byte[], byte[]> record) {
        try {
            return KafkaMessageFactory.createReader(record).toEvent();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a valid CloudEvent: " + e.getMessage(), e);
        }
    }

    /** A plain record, wrapped as Knative's Kafka source wraps it. */
    private CloudEvent wrap(ConsumerRecord<byte[], byte[]> record) {
        CloudEventBuilder builder = CloudEventBuilder.v1()
                .withId("partition:" + record.partition() + "/offset:" + record.offset())
                .withType(TYPE)
                .withSource(
                        URI.create("/apis/v1/namespaces/" + namespace + "/kafkasources/" + name + "#" + record.topic()))
                .withSubject("partition:" + record.partition() + "#" + record.offset());
        if (record.timestamp() >= 0) {
            builder.withTime(OffsetDateTime.ofInstant(Instant.ofEpochMilli(record.timestamp()), ZoneOffset.UTC));
        }
        if (record.key() != null) {
            String key = keyType.decode(record.key());
            builder.withExtension("key", key).withExtension("partitionkey", key);
        }
        for (Header header : record.headers()) {
            String extension = headerExtension(header.key());
            if (header.value() != null && !extension.equals("kafkaheader")) {
                builder.withExtension(extension, new String(header.value(), StandardCharsets.UTF_8));
            }
            if (header.key().equalsIgnoreCase(CONTENT_TYPE_HEADER) && header.value() != null) {
                builder.withDataContentType(new String(header.value(), StandardCharsets.UTF_8));
            }
        }
        if (record.value() != null) {
            builder.withData(record.value());
        }
        return builder.build();
    }

    /** {@code kafkaheader} + the header name lower-cased with everything but {@code [a-z0-9]} removed. */
    static String headerExtension(String header) {
        StringBuilder name = new StringBuilder("kafkaheader");
        for (char c : header.toLowerCase(Locale.ROOT).toCharArray()) {
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                name.append(c);
            }
        }
        return name.toString();
    }
}
