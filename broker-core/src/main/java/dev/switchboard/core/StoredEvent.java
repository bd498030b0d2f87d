package dev.switchboard.core;

import io.cloudevents.CloudEvent;
import java.time.Instant;
import java.util.Objects;

/**
 * An event as it sits in a broker's log.
 *
 * @param offset its offset
 * @param arrival when the broker accepted it
 * @param event the event
 */
public record StoredEvent(long offset, Instant arrival, CloudEvent event) {
    public StoredEvent {
        Objects.requireNonNull(arrival, "arrival");
        Objects.requireNonNull(event, "event");
    }
}
