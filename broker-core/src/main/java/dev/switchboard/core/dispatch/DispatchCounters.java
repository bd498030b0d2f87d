package dev.switchboard.core.dispatch;

import dev.switchboard.core.Counters;
import dev.switchboard.core.DeliveryOutcome;
import dev.switchboard.core.SubscriptionStats;

/** A dispatcher's counters, readable from any thread; no memory until the first count. */
final class DispatchCounters {
    private enum Figure {
        DELIVERED,
        FILTERED,
        FILTER_ERRORS,
        REDELIVERIES,
        DEAD_LETTERED,
        DROPPED,
        CORRUPT,
        EXPIRED
    }

    private final Counters<Figure> counts = new Counters<>(Figure.class);

    void filtered(long events) {
        counts.add(Figure.FILTERED, events);
    }

    void filterError() {
        counts.increment(Figure.FILTER_ERRORS);
    }

    void redelivery() {
        counts.increment(Figure.REDELIVERIES);
    }

    void corrupt() {
        counts.increment(Figure.CORRUPT);
    }

    void expired(long events) {
        counts.add(Figure.EXPIRED, events);
    }

    void count(DeliveryOutcome outcome) {
        if (outcome instanceof DeliveryOutcome.Delivered) {
            counts.increment(Figure.DELIVERED);
        } else if (outcome instanceof DeliveryOutcome.DeadLettered) {
            counts.increment(Figure.DEAD_LETTERED);
        } else if (outcome instanceof DeliveryOutcome.Dropped) {
            counts.increment(Figure.DROPPED);
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
                counts.get(Figure.DELIVERED),
                counts.get(Figure.FILTERED) + passedOverUncounted,
                counts.get(Figure.FILTER_ERRORS),
                counts.get(Figure.REDELIVERIES),
                counts.get(Figure.DEAD_LETTERED),
                counts.get(Figure.DROPPED),
                counts.get(Figure.CORRUPT),
                counts.get(Figure.EXPIRED),
                oldestPendingArrival);
    }
}
