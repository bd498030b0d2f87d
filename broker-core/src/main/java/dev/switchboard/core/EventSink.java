package dev.switchboard.core;

import io.cloudevents.CloudEvent;
import java.util.concurrent.CompletionStage;

/**
 * Where a subscription delivers its events.
 *
 * <p>The returned stage completes with the event's outcome once the sink is done with it. A {@link
 * DeliveryOutcome#isFinal() final} outcome lets the subscription's cursor pass the event. A {@link
 * DeliveryOutcome.Retry} outcome, an exceptionally completed stage, or an exception thrown by {@code
 * deliver} itself means "not delivered": the dispatcher delivers the event again after a backoff, and
 * the cursor does not pass it until it is final, so a crash in between redelivers it.
 */
@FunctionalInterface
public interface EventSink {
    CompletionStage<DeliveryOutcome> deliver(CloudEvent event);
}
