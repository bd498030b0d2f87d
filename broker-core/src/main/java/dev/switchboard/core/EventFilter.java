package dev.switchboard.core;

import io.cloudevents.CloudEvent;

/**
 * Decides whether a subscription wants an event. Called on a dispatch thread for every event of the
 * broker's log that the subscription reaches, so it must be fast and must not block.
 *
 * <p>An exception thrown by a filter counts as "no match"; it is logged and counted, and never stops
 * the subscription.
 */
@FunctionalInterface
public interface EventFilter {
    boolean test(CloudEvent event);

    /** A filter that matches every event. */
    static EventFilter all() {
        return event -> true;
    }
}
