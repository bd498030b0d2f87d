package dev.switchboard.core.dispatch;

import dev.switchboard.core.RateLimit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A token bucket for one subscription's rate limit. Not thread-safe: owned by a drain loop, except
 * {@link #wakeScheduled}, which the timer that wakes the loop for the next token clears.
 */
final class TokenBucket {
    /** A timer is set to wake the drain loop when the next token is due. */
    final AtomicBoolean wakeScheduled = new AtomicBoolean();

    private final double perNano;
    private final double capacity;
    private double tokens;
    private long updatedNanos;

    TokenBucket(RateLimit limit, long nowNanos) {
        this.perNano = limit.eventsPerSecond() / 1e9;
        this.capacity = limit.burst();
        this.tokens = 1; // the first event goes at once; bursts build up while idle
        this.updatedNanos = nowNanos;
    }

    /** Takes a token if one is there. */
    boolean tryTake(long nowNanos) {
        refill(nowNanos);
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** Nanoseconds until the next token, from {@code nowNanos}. */
    long nanosUntilToken(long nowNanos) {
        refill(nowNanos);
        return tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) / perNano);
    }

    private void refill(long nowNanos) {
        long elapsed = nowNanos - updatedNanos;
        if (elapsed > 0) {
            tokens = Math.min(capacity, tokens + elapsed * perNano);
            updatedNanos = nowNanos;
        }
    }
}
