package dev.switchboard.core;

/**
 * A snapshot of one subscription's counters since it was opened in this process.
 *
 * @param committedOffset every event below this offset is final; the durable cursor trails it by at
 *     most one flush interval
 * @param endOffset the broker's next offset
 * @param inFlight events handed to the sink and not yet final
 * @param delivered events the sink took
 * @param filtered events the filter did not match (including filter errors)
 * @param filterErrors events whose filter threw
 * @param redeliveries attempts beyond the first
 * @param deadLettered events the sink dead-lettered
 * @param dropped events the sink dropped by policy
 * @param corrupt unreadable records passed over (each one logged with broker and offset)
 * @param expired events deleted by the broker's age limit before this subscription delivered them
 * @param oldestPendingArrivalMillis when the oldest event not yet final arrived (epoch ms), 0 when
 *     there is none
 */
public record SubscriptionStats(
        long committedOffset,
        long endOffset,
        int inFlight,
        long delivered,
        long filtered,
        long filterErrors,
        long redeliveries,
        long deadLettered,
        long dropped,
        long corrupt,
        long expired,
        long oldestPendingArrivalMillis) {

    /** How long the oldest event not yet final has waited, as of {@code nowMillis}. */
    public java.time.Duration lagTime(long nowMillis) {
        return oldestPendingArrivalMillis == 0
                ? java.time.Duration.ZERO
                : java.time.Duration.ofMillis(Math.max(0, nowMillis - oldestPendingArrivalMillis));
    }

    /** Events at or above the committed offset: not yet final for this subscription. */
    public long lag() {
        return Math.max(0, endOffset - committedOffset);
    }
}
