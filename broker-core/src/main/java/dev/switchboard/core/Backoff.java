package dev.switchboard.core;

import java.time.Duration;
import java.util.Objects;

/**
 * The dispatcher's own redelivery delay for events a sink did not take: exponential from {@code
 * initial}, doubling per attempt, capped at {@code max}. Sinks with a full delivery policy (retries,
 * dead letters) finish their events themselves; this is the safety net that keeps an event that no
 * policy has finished from being lost or retried in a hot loop.
 */
public record Backoff(Duration initial, Duration max) {
    public Backoff {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("initial backoff must be positive, was " + initial);
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("max backoff " + max + " is below initial " + initial);
        }
    }

    /** One instance: every subscription without a backoff of its own shares it. */
    private static final Backoff DEFAULTS = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(30));

    public static Backoff defaults() {
        return DEFAULTS;
    }

    /**
     * The delay before redelivery attempt {@code failures + 1}.
     *
     * @param failures how many attempts have failed so far, at least 1
     */
    public Duration delayAfter(int failures) {
        if (failures < 1) {
            throw new IllegalArgumentException("failures must be at least 1, was " + failures);
        }
        int doublings = Math.min(failures - 1, 62);
        long initialNanos = initial.toNanos();
        if (initialNanos > (max.toNanos() >> doublings)) {
            return max;
        }
        return Duration.ofNanos(initialNanos << doublings);
    }
}
