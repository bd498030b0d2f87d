package dev.switchboard.core;

import io.cloudevents.CloudEvent;
import java.util.concurrent.CompletionStage;

/**
 * Where a source sends its events: a broker (publish) or any CloudEvents HTTP endpoint (a Knative
 * {@code sink} with a {@code uri}).
 */
@FunctionalInterface
public interface EventTarget {
    /**
     * Sends one event. The stage completes once the target has accepted it (for a broker: durable); a
     * source acknowledges upstream only then. It fails when the event was not accepted.
     */
    CompletionStage<?> send(CloudEvent event);
}
