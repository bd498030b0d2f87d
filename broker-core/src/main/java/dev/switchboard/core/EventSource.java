package dev.switchboard.core;

/**
 * Something that turns outside input into CloudEvents and sends them to an {@link EventTarget}: a
 * Kafka topic, a webhook, a queue, a schedule. Sources acknowledge upstream only after the target
 * accepted the event.
 */
public interface EventSource extends AutoCloseable {
    /** {@code namespace/name} of the source resource. */
    String name();

    /** Starts producing; returns once the source is running (or fails with why it cannot). */
    void start();

    /** Stops producing; events already accepted by the target stay accepted. */
    @Override
    void close();
}
