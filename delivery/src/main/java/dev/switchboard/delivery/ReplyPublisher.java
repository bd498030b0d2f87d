package dev.switchboard.delivery;

import io.cloudevents.CloudEvent;
import java.util.concurrent.CompletionStage;

/** Publishes a subscriber's reply event back into the broker; completes once it is durable. */
@FunctionalInterface
public interface ReplyPublisher {
    CompletionStage<?> publish(CloudEvent reply);

    /** For triggers whose replies go nowhere: they are counted and dropped. */
    static ReplyPublisher none() {
        return reply -> java.util.concurrent.CompletableFuture.failedFuture(
                new IllegalStateException("replies are not published for this subscriber"));
    }
}
