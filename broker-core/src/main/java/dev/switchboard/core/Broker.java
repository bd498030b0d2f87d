package dev.switchboard.core;

import io.cloudevents.CloudEvent;
import java.util.concurrent.CompletionStage;

/** One broker: a durable, append-only log of CloudEvents and the subscriptions that read it. */
public interface Broker {
    String name();

    BrokerConfig config();

    /**
     * Appends an event to the log.
     *
     * <p>The stage completes with the event's offset only after the event is durable as the broker's
     * {@link Durability} says. It fails with a {@link BrokerException} of kind {@code BUFFER_FULL} (at
     * once, nothing written) when the broker holds more undelivered bytes than its buffer limit, or for
     * a share of publishes between {@link BrokerConfig#pushBackStartBytes()} and that limit, {@code
     * CLOSED} after close, {@code INVALID_EVENT} when the event cannot be encoded, or {@code STORAGE}.
     *
     * <p>The stage completes on one of the store's threads, which commit everyone's events: attach
     * continuations that block or take time with an {@code ...Async} method and an executor of yours.
     *
     * <p>Subscriptions that keep up may be handed this very object rather than a copy decoded from the
     * log: like every SDK {@code CloudEvent}, it must not change after it is published (do not reuse
     * the byte array its data wraps).
     */
    CompletionStage<Long> publish(CloudEvent event);

    /**
     * Appends several events atomically: all are durable at consecutive offsets, or none is written.
     * Completes with the first event's offset; fails as {@link #publish} does.
     */
    CompletionStage<Long> publishAll(java.util.List<CloudEvent> events);

    /**
     * As {@link #publishAll(java.util.List)}, written by the calling thread with the rest of its turn's
     * publishes ({@link PublishGroup}); the stage may complete on the calling thread, after this
     * method has returned.
     *
     * @throws IllegalArgumentException if {@code group} is of another {@link Switchboard}
     */
    CompletionStage<Long> publishAll(java.util.List<CloudEvent> events, PublishGroup group);

    /**
     * Starts delivering to a subscription. A name seen before resumes from its durable cursor; a new
     * name starts at {@link SubscriptionSpec#start()}.
     *
     * @throws BrokerException of kind {@code DUPLICATE_SUBSCRIPTION} if that name is already running
     */
    Subscription subscribe(SubscriptionSpec spec);

    /**
     * Moves a running subscription to {@code position} and delivers from there again: replay from an
     * offset or a time, or skip ahead. Returns the offset it now starts at.
     *
     * @throws IllegalArgumentException if no subscription of that name is running
     */
    long rewind(String subscription, StartPosition position);

    /**
     * Says that every subscription that will resume after a restart has subscribed again. Until then,
     * for at most ten seconds after the broker opened, the broker holds its shared reader back at the
     * cursors of subscriptions not back yet, so that a backlog is read once for all of them; calling
     * this ends the wait for subscriptions that are not coming back.
     */
    default void subscriptionsResumed() {}

    /** Stops the subscription if it runs and forgets its cursor, so it no longer holds back retention. */
    void deleteSubscription(String name);

    /**
     * The names of the subscriptions that have a durable cursor here, running or not (one that has
     * not come back since a restart still holds back retention until it is deleted).
     */
    java.util.Set<String> subscriptionNames();

    /**
     * Reads up to {@code max} retained events from {@code fromOffset} on, for inspection (the admin
     * API, tools). Unreadable records are left out; dispatch reports them.
     */
    java.util.List<StoredEvent> read(long fromOffset, int max);

    /** A snapshot of the log's offsets, sizes and retention counters. */
    BrokerStats stats();
}
