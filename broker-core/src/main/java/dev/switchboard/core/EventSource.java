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

    /**
     * What the source reports about itself for the admin API: a {@code state} and whatever else the
     * kind has (upstream lag, counts). Values are strings, numbers, lists and maps.
     */
    default java.util.Map<String, Object> status() {
        return java.util.Map.of();
    }

    /** Stops producing; events already accepted by the target stay accepted. */
    @Override
    void close();
}
