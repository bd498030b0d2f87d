package dev.switchboard.delivery;

import dev.switchboard.core.EventHandler;
import io.cloudevents.CloudEvent;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * An in-process subscriber for the embedded library, under the same delivery policy as HTTP: returning
 * is delivered, a thrown exception is a failed attempt (retried, then dead-lettered).
 */
public final class InProcessTarget implements DeliveryTarget {
    private final String name;
    private final EventHandler handler;
    private final Executor executor;

    public InProcessTarget(String name, EventHandler handler, Executor executor) {
        this.name = Objects.requireNonNull(name, "name");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    @Override
    public CompletionStage<AttemptResult> attempt(CloudEvent event) {
        return CompletableFuture.supplyAsync(
                () -> {
                    try {
                        handler.handle(event);
                        return AttemptResult.Accepted.withoutReply();
                    } catch (Exception e) {
                        return new AttemptResult.Failed(e);
                    }
                },
                executor);
    }

    @Override
    public String address() {
        return "in-process:" + name;
    }
}
