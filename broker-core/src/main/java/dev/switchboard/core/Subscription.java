package dev.switchboard.core;

/** A running subscription. Closing it stops delivery and keeps its durable cursor. */
public interface Subscription extends AutoCloseable {
    String name();

    String broker();

    SubscriptionStats stats();

    /** Stops handing new events to the sink; events in flight finish. The cursor stays where it is. */
    void pause();

    /** Continues after {@link #pause()}. */
    void resume();

    boolean isPaused();

    /** Stops delivering; events in flight may still finish. The cursor is kept for the next run. */
    @Override
    void close();
}
