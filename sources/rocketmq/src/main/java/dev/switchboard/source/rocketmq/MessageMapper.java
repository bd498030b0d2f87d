package dev.switchboard.source.rocketmq;

import io.cloudevents.CloudEvent;
import io.cloudevents.SpecVersion;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.data.BytesCloudEventData;
import io.cloudevents.core.message.impl.BaseGenericBinaryMessageReaderImpl;
import io.cloudevents.core.message.impl.GenericStructuredMessageReader;
import io.cloudevents.core.message.impl.MessageUtils;
import io.cloudevents.rw.CloudEventRWException;
import java.net.URI;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.rocketmq.common.message.MessageExt;

/**
 * Turns a RocketMQ message into a CloudEvent.
 *
 * <p>A message in the CloudEvents RocketMQ binding passes through: binary mode carries the
 * attributes as {@code CE_*} user properties ({@code CE_id}, {@code CE_type}, ... and {@code
 * CE_contenttype} for {@code datacontenttype}), structured mode has a {@code CE_contenttype} of
 * {@code application/cloudevents+json}. The SDK's generic readers do the decoding. Any other
 * message becomes an event as Alibaba Cloud EventBridge's RocketMQ source shapes it: type {@value
 * #TYPE}, the message id, the topic as subject, the born time, keys and tags as extensions.
 */
public final class MessageMapper {
    public static final String TYPE = "mq:Topic:SendMessage";
    static final String PREFIX = "CE_";
    static final String CONTENT_TYPE = "CE_contenttype";

    private MessageMapper() {}

    /**
     * The message's event.
     *
     * @throws IllegalArgumentException when the message claims to be a CloudEvent but is not a valid
     *     one
     */
    public static CloudEvent toCloudEvent(MessageExt message) {
        Map<String, String> properties = message.getProperties();
        if (!isCloudEvent(properties)) {
            return plain(message);
        }
        byte[] body = message.getBody() == null ? new byte[0] : message.getBody();
        String contentType = properties.get(CONTENT_TYPE);
        try {
            return MessageUtils.parseStructuredOrBinaryMessage(
                            () -> contentType,
                            format -> new GenericStructuredMessageReader(format, body),
                            () -> properties.get(PREFIX + "specversion"),
                            version -> new BinaryReader(version, properties, body))
                    .toEvent();
        } catch (CloudEventRWException | IllegalStateException e) {
            throw new IllegalArgumentException("not a valid CloudEvent: " + e.getMessage(), e);
        }
    }

    static boolean isCloudEvent(Map<String, String> properties) {
        String contentType = properties.get(CONTENT_TYPE);
        return properties.containsKey(PREFIX + "specversion")
                || (contentType != null && contentType.startsWith("application/cloudevents"));
    }

    /** A message that is not a CloudEvent. */
    public static CloudEvent plain(MessageExt message) {
        CloudEventBuilder builder = CloudEventBuilder.v1()
                .withId(message.getMsgId())
                .withType(TYPE)
                .withSource(URI.create("rocketmq://" + message.getTopic()))
                .withSubject(message.getTopic())
                .withTime(OffsetDateTime.ofInstant(Instant.ofEpochMilli(message.getBornTimestamp()), ZoneOffset.UTC));
        if (message.getKeys() != null && !message.getKeys().isEmpty()) {
            builder.withExtension("keys", message.getKeys());
        }
        if (message.getTags() != null && !message.getTags().isEmpty()) {
            builder.withExtension("tags", message.getTags());
        }
        if (message.getBody() != null && message.getBody().length > 0) {
            builder.withData(message.getBody());
        }
        return builder.build();
    }

    /** Binary mode: attributes and extensions from the {@code CE_*} user properties. */
    private static final class BinaryReader extends BaseGenericBinaryMessageReaderImpl<String, String> {
        private final Map<String, String> properties;

        BinaryReader(SpecVersion version, Map<String, String> properties, byte[] body) {
            super(version, body.length == 0 ? null : BytesCloudEventData.wrap(body));
            this.properties = properties;
        }

        @Override
        protected boolean isContentTypeHeader(String key) {
            return CONTENT_TYPE.equals(key);
        }

        @Override
        protected boolean isCloudEventsHeader(String key) {
            return key.length() > PREFIX.length() && key.startsWith(PREFIX);
        }

        @Override
        protected String toCloudEventsKey(String key) {
            return key.substring(PREFIX.length()).toLowerCase(java.util.Locale.ROOT);
        }

        @Override
        protected void forEachHeader(BiConsumer<String, String> fn) {
            properties.forEach(fn);
        }

        @Override
        protected String toCloudEventsValue(String value) {
            return value;
        }
    }
}
