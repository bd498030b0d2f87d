package dev.switchboard.delivery;

import io.cloudevents.CloudEvent;
import java.util.concurrent.CompletionStage;

/**
 * Where a trigger keeps events it could not deliver when it has no dead-letter sink, so that an
 * operator can list and redrive them instead of losing them (Knative drops them).
 */
@FunctionalInterface
public interface ParkingLot {
    /**
     * Stores the event (which carries the {@code knativeerror*} extensions); completes once it is
     * durable.
     */
    CompletionStage<?> park(CloudEvent event);
}
