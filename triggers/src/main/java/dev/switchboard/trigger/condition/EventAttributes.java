package dev.switchboard.trigger.condition;

import io.cloudevents.CloudEvent;
import io.cloudevents.types.Time;
import java.net.URI;
import java.time.OffsetDateTime;
import java.util.Base64;

/**
 * An event's attributes and extensions as the text filters compare: strings as they are, URIs and
 * numbers in their canonical form, {@code time} and timestamp extensions as RFC 3339 text, binary
 * extensions as Base64 (the CloudEvents string encodings).
 */
public final class EventAttributes {
    private EventAttributes() {}

    /** The attribute's text, or {@code null} if the event does not have it. */
    public static String text(CloudEvent event, String name) {
        Object value =
                switch (name) {
                    case "type" -> event.getType();
                    case "source" -> event.getSource();
                    case "subject" -> event.getSubject();
                    case "id" -> event.getId();
                    case "specversion" -> event.getSpecVersion().toString();
                    case "datacontenttype" -> event.getDataContentType();
                    case "dataschema" -> event.getDataSchema();
                    case "time" -> event.getTime();
                    default -> event.getExtension(name);
                };
        return value == null ? null : asText(value);
    }

    static String asText(Object value) {
        if (value instanceof String text) {
            return text;
        }
        if (value instanceof URI uri) {
            return uri.toString();
        }
        if (value instanceof OffsetDateTime time) {
            return Time.writeTime(time);
        }
        if (value instanceof byte[] bytes) {
            return Base64.getEncoder().encodeToString(bytes);
        }
        return String.valueOf(value);
    }
}
