package dev.switchboard.delivery;

/** How the delay between retries grows, as Knative's {@code backoffPolicy}. */
public enum BackoffPolicy {
    /** {@code backoffDelay × n} before retry n. */
    LINEAR,
    /** {@code backoffDelay × 2^n} before retry n. */
    EXPONENTIAL
}
