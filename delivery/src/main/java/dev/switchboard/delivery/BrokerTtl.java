package dev.switchboard.delivery;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;

/**
 * Knative's loop guard, the {@code knativebrokerttl} extension: set to 255 on events that lack it,
 * hidden from subscribers, decremented on each reply, and a reply at 0 is dropped.
 */
public final class BrokerTtl {
    public static final String EXTENSION = "knativebrokerttl";
    public static final int DEFAULT = 255;

    private BrokerTtl() {}

    /** The event's TTL, or the default when it has none or an unreadable one. */
    public static int of(CloudEvent event) {
        return parse(event.getExtension(EXTENSION));
    }

    /** A TTL extension's value as a number: the default when it is missing or unreadable. */
    public static int parse(Object value) {
        if (value instanceof Integer ttl) {
            return ttl;
        }
        if (value instanceof String text) {
            try {
                return Integer.parseInt(text.trim());
            } catch (NumberFormatException e) {
                return DEFAULT;
            }
        }
        return DEFAULT;
    }

    /** The event as a subscriber sees it: without the TTL. */
    public static CloudEvent hide(CloudEvent event) {
        if (event.getExtension(EXTENSION) == null) {
            return event;
        }
        return CloudEventBuilder.v1(event).withoutExtension(EXTENSION).build();
    }

    public static CloudEvent with(CloudEvent event, int ttl) {
        return CloudEventBuilder.v1(event).withExtension(EXTENSION, ttl).build();
    }
}
