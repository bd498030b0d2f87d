package dev.switchboard.delivery;

/**
 * A sink's counters since it was created.
 *
 * @param attempts attempts at the subscriber, first tries and retries
 * @param retries attempts beyond the first
 * @param delivered events the subscriber took
 * @param deadLettered events the dead-letter sink took
 * @param dropped events dropped after their last retry because neither a dead-letter sink nor a
 *     parking lot is set
 * @param parked events kept in the trigger's parking lot after their last retry
 * @param deadLetterFailures failed attempts at the dead-letter sink (each is retried, never dropped)
 * @param replies reply events published back into the broker
 * @param repliesDroppedByTtl replies dropped by the loop guard
 */
public record DeliveryStats(
        long attempts,
        long retries,
        long delivered,
        long deadLettered,
        long dropped,
        long parked,
        long deadLetterFailures,
        long replies,
        long repliesDroppedByTtl) {}
