package dev.switchboard.core;

import java.time.Duration;
import java.util.Objects;

/** What became of one delivery attempt. */
public sealed interface DeliveryOutcome
        permits DeliveryOutcome.Delivered,
                DeliveryOutcome.DeadLettered,
                DeliveryOutcome.Dropped,
                DeliveryOutcome.Retry {

    /** Whether the subscription's cursor may pass the event. */
    default boolean isFinal() {
        return !(this instanceof Retry);
    }

    static DeliveryOutcome delivered() {
        return Delivered.INSTANCE;
    }

    /** The subscriber took the event. */
    enum Delivered implements DeliveryOutcome {
        INSTANCE
    }

    /** The subscriber refused the event for good and it went to a dead-letter sink. */
    record DeadLettered(String reason) implements DeliveryOutcome {
        public DeadLettered {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** The event was dropped by an explicit policy (for example an exhausted TTL). */
    record Dropped(String reason) implements DeliveryOutcome {
        public Dropped {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * Not delivered; try again no sooner than {@code notBefore} from now (the dispatcher's own backoff
     * applies when it is longer).
     */
    record Retry(String reason, Duration notBefore) implements DeliveryOutcome {
        public Retry {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(notBefore, "notBefore");
        }
    }
}
