package dev.switchboard.core;

/**
 * At most {@code eventsPerSecond} events handed to a subscription's sink per second on average, with
 * bursts of up to {@code burst} events after an idle spell (a token bucket).
 */
public record RateLimit(double eventsPerSecond, int burst) {
    public RateLimit {
        if (!(eventsPerSecond > 0) || Double.isInfinite(eventsPerSecond)) {
            throw new IllegalArgumentException("eventsPerSecond must be a positive number, was " + eventsPerSecond);
        }
        if (burst < 1) {
            throw new IllegalArgumentException("burst must be at least 1, was " + burst);
        }
    }

    /** A limit with a burst of one second's worth of events (at least one). */
    public static RateLimit perSecond(double eventsPerSecond) {
        return new RateLimit(eventsPerSecond, (int) Math.max(1, Math.min(Integer.MAX_VALUE, eventsPerSecond)));
    }
}
