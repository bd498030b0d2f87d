package dev.switchboard.core.dispatch;

import dev.switchboard.core.Counters;
import dev.switchboard.core.DeliveryOutcome;
import dev.switchboard.core.SubscriptionStats;

/**
 * A dispatcher's counters, readable from any thread. One array, not a LongAdder each: 10,000
 * subscriptions would pay 2.5 MB for eight adders apiece, and these see one writer at a time in the
 * common case (the dispatcher's pass; the fan-out counts filter errors).
 */
final class DispatchCounters {
    private static final int DELIVERED = 0;
    private static final int FILTERED = 1;
    private static final int FILTER_ERRORS = 2;
    private static final int REDELIVERIES = 3;
    private static final int DEAD_LETTERED = 4;
    private static final int DROPPED = 5;
    private static final int CORRUPT = 6;
    private static final int EXPIRED = 7;

    private final Counters counts = new Counters(8);

    void filtered(long events) {
        counts.add(FILTERED, events);
    }

    void filterError() {
        counts.increment(FILTER_ERRORS);
    }

    void redelivery() {
        counts.increment(REDELIVERIES);
    }

    void corrupt() {
        counts.increment(CORRUPT);
    }

    void expired(long events) {
        counts.add(EXPIRED, events);
    }

    void count(DeliveryOutcome outcome) {
        if (outcome instanceof DeliveryOutcome.Delivered) {
            counts.increment(DELIVERED);
        } else if (outcome instanceof DeliveryOutcome.DeadLettered) {
            counts.increment(DEAD_LETTERED);
        } else if (outcome instanceof DeliveryOutcome.Dropped) {
            counts.increment(DROPPED);
        } else {
            throw new IllegalArgumentException("not a final outcome: " + outcome);
        }
    }

    SubscriptionStats snapshot(
            long committed, long end, int inFlight, long passedOverUncounted, long oldestPendingArrival) {
        return new SubscriptionStats(
                committed,
                end,
                inFlight,
                counts.get(DELIVERED),
                counts.get(FILTERED) + passedOverUncounted,
                counts.get(FILTER_ERRORS),
                counts.get(REDELIVERIES),
                counts.get(DEAD_LETTERED),
                counts.get(DROPPED),
                counts.get(CORRUPT),
                counts.get(EXPIRED),
                oldestPendingArrival);
    }
}
