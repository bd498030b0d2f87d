package dev.switchboard.core.dispatch;

import dev.switchboard.core.DeliveryOutcome;
import dev.switchboard.core.SubscriptionStats;
import java.util.concurrent.atomic.LongAdder;

/** A dispatcher's counters, readable from any thread. */
final class DispatchCounters {
    final LongAdder delivered = new LongAdder();
    final LongAdder filtered = new LongAdder();
    final LongAdder filterErrors = new LongAdder();
    final LongAdder redeliveries = new LongAdder();
    final LongAdder deadLettered = new LongAdder();
    final LongAdder dropped = new LongAdder();
    final LongAdder corrupt = new LongAdder();
    final LongAdder expired = new LongAdder();

    void count(DeliveryOutcome outcome) {
        if (outcome instanceof DeliveryOutcome.Delivered) {
            delivered.increment();
        } else if (outcome instanceof DeliveryOutcome.DeadLettered) {
            deadLettered.increment();
        } else if (outcome instanceof DeliveryOutcome.Dropped) {
            dropped.increment();
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
                delivered.sum(),
                filtered.sum() + passedOverUncounted,
                filterErrors.sum(),
                redeliveries.sum(),
                deadLettered.sum(),
                dropped.sum(),
                corrupt.sum(),
                expired.sum(),
                oldestPendingArrival);
    }
}
