package dev.switchboard.core;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a broker keeps events.
 *
 * <p>{@code maxBytes} only deletes events that every subscription has passed. {@code maxAge} is a hard
 * limit: events older than it are deleted even when a subscription has not delivered them yet; such
 * drops are counted per subscription and logged.
 *
 * @param maxAge events older than this are deleted; {@link #UNLIMITED_AGE} for no age limit
 * @param maxBytes the log is trimmed (oldest first) to at most about this many bytes; {@link
 *     Long#MAX_VALUE} for no size limit
 */
public record Retention(Duration maxAge, long maxBytes) {
    public static final Duration UNLIMITED_AGE = Duration.ofMillis(Long.MAX_VALUE);

    public Retention {
        Objects.requireNonNull(maxAge, "maxAge");
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("maxAge must be positive, was " + maxAge);
        }
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive, was " + maxBytes);
        }
    }

    /** Keeps events until every subscription has passed them, with no age or size limit. */
    public static Retention unlimited() {
        return new Retention(UNLIMITED_AGE, Long.MAX_VALUE);
    }

    public static Retention ofAge(Duration maxAge) {
        return new Retention(maxAge, Long.MAX_VALUE);
    }

    public static Retention ofBytes(long maxBytes) {
        return new Retention(UNLIMITED_AGE, maxBytes);
    }

    public boolean limitsAge() {
        return !maxAge.equals(UNLIMITED_AGE);
    }
}
