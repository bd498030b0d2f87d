package dev.switchboard.core.testing;

import dev.switchboard.core.DeliveryOutcome;
import dev.switchboard.core.EventSink;
import io.cloudevents.CloudEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;

/** A sink that records the ids it is given and delivers, or fails events that {@code fails} picks. */
public final class RecordingSink implements EventSink {
    private final List<String> attempts = new ArrayList<>();
    private final List<String> delivered = new ArrayList<>();
    private volatile Predicate<CloudEvent> fails = event -> false;

    public void failWhen(Predicate<CloudEvent> predicate) {
        this.fails = predicate;
    }

    @Override
    public synchronized CompletionStage<DeliveryOutcome> deliver(CloudEvent event) {
        attempts.add(event.getId());
        if (fails.test(event)) {
            return CompletableFuture.failedFuture(new IllegalStateException("refused " + event.getId()));
        }
        delivered.add(event.getId());
        return CompletableFuture.completedFuture(DeliveryOutcome.delivered());
    }

    public synchronized List<String> delivered() {
        return List.copyOf(delivered);
    }

    public synchronized List<String> attempts() {
        return List.copyOf(attempts);
    }
}
