package dev.switchboard.core;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A subscription to one broker: which events (filter), where to (sink), how (ordering and in-flight
 * limit) and, the first time its name is seen, where in the log to start.
 *
 * @param name unique within the broker; the durable cursor is stored under it
 * @param filter which events the subscription wants
 * @param sink where they go
 * @param ordering in log order one at a time, or in parallel
 * @param maxInFlight at most this many events handed to the sink and not yet final (1 when ordered)
 * @param start where a new subscription starts
 * @param backoff the dispatcher's redelivery delays for events the sink did not take
 * @param rateLimit at most this many events per second handed to the sink, if limited
 * @param startPaused whether the subscription starts {@link Subscription#pause() paused}
 */
public record SubscriptionSpec(
        String name,
        EventFilter filter,
        EventSink sink,
        Ordering ordering,
        int maxInFlight,
        StartPosition start,
        Backoff backoff,
        Optional<RateLimit> rateLimit,
        boolean startPaused) {

    public static final int DEFAULT_MAX_IN_FLIGHT = 64;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]{0,252}");

    public SubscriptionSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(sink, "sink");
        Objects.requireNonNull(ordering, "ordering");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(backoff, "backoff");
        Objects.requireNonNull(rateLimit, "rateLimit");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("subscription name '" + name + "' must match " + NAME.pattern());
        }
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be at least 1, was " + maxInFlight);
        }
        if (ordering == Ordering.ORDERED) {
            maxInFlight = 1;
        }
    }

    /** An unordered subscription to every event, starting with the events published from now on. */
    public static SubscriptionSpec of(String name, EventSink sink) {
        return new SubscriptionSpec(
                name,
                EventFilter.all(),
                sink,
                Ordering.UNORDERED,
                DEFAULT_MAX_IN_FLIGHT,
                StartPosition.latest(),
                Backoff.defaults(),
                Optional.empty(),
                false);
    }

    public SubscriptionSpec withFilter(EventFilter value) {
        return new SubscriptionSpec(name, value, sink, ordering, maxInFlight, start, backoff, rateLimit, startPaused);
    }

    public SubscriptionSpec withOrdering(Ordering value) {
        return new SubscriptionSpec(name, filter, sink, value, maxInFlight, start, backoff, rateLimit, startPaused);
    }

    public SubscriptionSpec withMaxInFlight(int value) {
        return new SubscriptionSpec(name, filter, sink, ordering, value, start, backoff, rateLimit, startPaused);
    }

    public SubscriptionSpec withStart(StartPosition value) {
        return new SubscriptionSpec(name, filter, sink, ordering, maxInFlight, value, backoff, rateLimit, startPaused);
    }

    public SubscriptionSpec withRateLimit(RateLimit value) {
        return new SubscriptionSpec(
                name, filter, sink, ordering, maxInFlight, start, backoff, Optional.of(value), startPaused);
    }

    public SubscriptionSpec withStartPaused(boolean value) {
        return new SubscriptionSpec(name, filter, sink, ordering, maxInFlight, start, backoff, rateLimit, value);
    }

    public SubscriptionSpec withBackoff(Backoff value) {
        return new SubscriptionSpec(name, filter, sink, ordering, maxInFlight, start, value, rateLimit, startPaused);
    }
}
