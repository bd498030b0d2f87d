package dev.switchboard.delivery;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Knative's DeliverySpec, with its field names and meaning, plus two fields Knative users have asked
 * for ({@code backoffMax}, {@code maxEventAge}).
 *
 * @param retry retries after the first attempt
 * @param backoffPolicy how the delay grows
 * @param backoffDelay the base delay
 * @param timeout the limit of one attempt, if any
 * @param retryAfterMax the longest a {@code Retry-After} answer may make us wait, if capped
 * @param deadLetterSink where events go when retries are exhausted or the answer is final, if
 *     anywhere; without one such events are dropped (and counted), as in Knative
 * @param backoffMax the longest single delay, if capped
 * @param maxEventAge no retry starts after an event has been in delivery this long, if limited
 */
public record DeliverySpec(
        int retry,
        BackoffPolicy backoffPolicy,
        Duration backoffDelay,
        Optional<Duration> timeout,
        Optional<Duration> retryAfterMax,
        Optional<URI> deadLetterSink,
        Optional<Duration> backoffMax,
        Optional<Duration> maxEventAge) {

    public DeliverySpec {
        Objects.requireNonNull(backoffPolicy, "backoffPolicy");
        Objects.requireNonNull(backoffDelay, "backoffDelay");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(retryAfterMax, "retryAfterMax");
        Objects.requireNonNull(deadLetterSink, "deadLetterSink");
        Objects.requireNonNull(backoffMax, "backoffMax");
        Objects.requireNonNull(maxEventAge, "maxEventAge");
        if (retry < 0) {
            throw new IllegalArgumentException("retry must not be negative, was " + retry);
        }
        requireNotNegative("backoffDelay", backoffDelay);
        timeout.ifPresent(d -> requirePositive("timeout", d));
        retryAfterMax.ifPresent(d -> requireNotNegative("retryAfterMax", d));
        backoffMax.ifPresent(d -> requireNotNegative("backoffMax", d));
        maxEventAge.ifPresent(d -> requirePositive("maxEventAge", d));
    }

    /**
     * What a broker without a delivery section gets: Knative's shipped broker defaults (10 retries,
     * exponential from 200 ms), capped at one minute per delay, no dead-letter sink.
     */
    public static DeliverySpec defaults() {
        return DEFAULTS;
    }

    /** One instance (a record, so immutable): the triggers without a delivery section share it. */
    private static final DeliverySpec DEFAULTS = new DeliverySpec(
            10,
            BackoffPolicy.EXPONENTIAL,
            Duration.ofMillis(200),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.of(Duration.ofMinutes(1)),
            Optional.empty());

    /**
     * The spec a trigger delivers with: its own when it has one, else its broker's, else the defaults.
     * As in Knative, a trigger's spec replaces its broker's as a whole; fields are not merged.
     */
    public static DeliverySpec effective(Optional<DeliverySpec> trigger, Optional<DeliverySpec> broker) {
        return trigger.or(() -> broker).orElseGet(DeliverySpec::defaults);
    }

    public DeliverySpec withRetry(int value) {
        return new DeliverySpec(
                value, backoffPolicy, backoffDelay, timeout, retryAfterMax, deadLetterSink, backoffMax, maxEventAge);
    }

    public DeliverySpec withBackoff(BackoffPolicy policy, Duration delay) {
        return new DeliverySpec(retry, policy, delay, timeout, retryAfterMax, deadLetterSink, backoffMax, maxEventAge);
    }

    public DeliverySpec withTimeout(Duration value) {
        return new DeliverySpec(
                retry,
                backoffPolicy,
                backoffDelay,
                Optional.of(value),
                retryAfterMax,
                deadLetterSink,
                backoffMax,
                maxEventAge);
    }

    public DeliverySpec withRetryAfterMax(Duration value) {
        return new DeliverySpec(
                retry,
                backoffPolicy,
                backoffDelay,
                timeout,
                Optional.of(value),
                deadLetterSink,
                backoffMax,
                maxEventAge);
    }

    public DeliverySpec withDeadLetterSink(URI value) {
        return new DeliverySpec(
                retry,
                backoffPolicy,
                backoffDelay,
                timeout,
                retryAfterMax,
                Optional.of(value),
                backoffMax,
                maxEventAge);
    }

    public DeliverySpec withBackoffMax(Duration value) {
        return new DeliverySpec(
                retry,
                backoffPolicy,
                backoffDelay,
                timeout,
                retryAfterMax,
                deadLetterSink,
                Optional.of(value),
                maxEventAge);
    }

    public DeliverySpec withMaxEventAge(Duration value) {
        return new DeliverySpec(
                retry,
                backoffPolicy,
                backoffDelay,
                timeout,
                retryAfterMax,
                deadLetterSink,
                backoffMax,
                Optional.of(value));
    }

    private static void requireNotNegative(String field, Duration value) {
        if (value.isNegative()) {
            throw new IllegalArgumentException(field + " must not be negative, was " + value);
        }
    }

    private static void requirePositive(String field, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(field + " must be positive, was " + value);
        }
    }
}
