package dev.switchboard.delivery;

import io.cloudevents.CloudEvent;
import java.util.concurrent.CompletionStage;

/** Publishes a subscriber's reply event back into the broker; completes once it is durable. */
@FunctionalInterface
public interface ReplyPublisher {
    CompletionStage<?> publish(CloudEvent reply);

    /** Replies go into this broker (Knative: replies go back to the trigger's broker). */
    static ReplyPublisher to(dev.switchboard.core.Broker broker) {
        return broker::publish;
    }

    /** For subscribers whose replies mean nothing (a source's sink): taken and forgotten at once. */
    static ReplyPublisher discard() {
        return reply -> java.util.concurrent.CompletableFuture.completedFuture(null);
    }

    /** For triggers whose replies go nowhere: they are counted and dropped. */
    static ReplyPublisher none() {
        return reply -> java.util.concurrent.CompletableFuture.failedFuture(
                new IllegalStateException("replies are not published for this subscriber"));
    }
}
