package dev.switchboard.delivery.retry;

import dev.switchboard.delivery.BackoffPolicy;
import dev.switchboard.delivery.DeliverySpec;
import java.time.Duration;
import java.util.Optional;

/** The pure rules of a {@link DeliverySpec}: what to retry and how long to wait. */
public final class DeliveryPolicy {
    private DeliveryPolicy() {}

    /**
     * Whether an HTTP status is worth another attempt: 5xx, and the 4xx that say "not now" (404 Not
     * Found while a subscriber starts, 408, 409, 429). Other 4xx will not get better by retrying.
     */
    public static boolean isRetryable(int status) {
        return status >= 500 || status == 404 || status == 408 || status == 409 || status == 429;
    }

    /** Whether the status may carry a {@code Retry-After} we honour. */
    public static boolean honoursRetryAfter(int status) {
        return status == 429 || status == 503;
    }

    /**
     * The backoff before retry {@code n} (1-based): {@code delay × n} (linear) or {@code delay × 2^n}
     * (exponential), capped by {@code backoffMax}; as the Knative Kafka broker's data plane computes it.
     */
    public static Duration backoff(DeliverySpec spec, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("retry number must be at least 1, was " + n);
        }
        long delayNanos = spec.backoffDelay().toNanos();
        long factor = spec.backoffPolicy() == BackoffPolicy.LINEAR ? n : (n >= 62 ? Long.MAX_VALUE : 1L << n);
        long nanos =
                delayNanos == 0 ? 0 : (factor > Long.MAX_VALUE / delayNanos ? Long.MAX_VALUE : delayNanos * factor);
        Duration delay = Duration.ofNanos(nanos);
        return spec.backoffMax().filter(max -> delay.compareTo(max) > 0).orElse(delay);
    }

    /**
     * The wait before retry {@code n} after an answer: the backoff, or for 429 and 503 with a {@code
     * Retry-After}, the longer of the backoff and the Retry-After (itself capped by {@code
     * retryAfterMax} when set).
     */
    public static Duration delayBeforeRetry(DeliverySpec spec, int n, int status, Optional<Duration> retryAfter) {
        Duration backoff = backoff(spec, n);
        if (!honoursRetryAfter(status) || retryAfter.isEmpty()) {
            return backoff;
        }
        Duration asked = spec.retryAfterMax()
                .filter(max -> retryAfter.get().compareTo(max) > 0)
                .orElse(retryAfter.get());
        return asked.compareTo(backoff) > 0 ? asked : backoff;
    }
}
