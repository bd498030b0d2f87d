package dev.switchboard.core.testing;

import dev.switchboard.core.EventTarget;
import io.cloudevents.CloudEvent;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A source's target for tests that records the events it accepts, answering on another thread after a short random
 * delay (as a broker or an HTTP sink would); it refuses events while a predicate says so.
 */
public final class RecordingTarget implements EventTarget, AutoCloseable {
    private final ScheduledExecutorService answers = Executors.newScheduledThreadPool(4);
    private final ConcurrentLinkedQueue<CloudEvent> accepted = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final AtomicInteger refusals = new AtomicInteger();
    private volatile Predicate<CloudEvent> refuse = e -> false;
    private volatile int maxDelayMillis;

    public RecordingTarget withMaxDelayMillis(int millis) {
        this.maxDelayMillis = millis;
        return this;
    }

    public void refuseWhile(Predicate<CloudEvent> predicate) {
        this.refuse = predicate;
    }

    public List<CloudEvent> accepted() {
        return List.copyOf(accepted);
    }

    public int refusals() {
        return refusals.get();
    }

    /** The most events this target held unanswered at once. */
    public int maxInFlight() {
        return maxInFlight.get();
    }

    @Override
    public CompletionStage<?> send(CloudEvent event) {
        CompletableFuture<Void> answer = new CompletableFuture<>();
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        int delay = maxDelayMillis == 0 ? 0 : ThreadLocalRandom.current().nextInt(maxDelayMillis + 1);
        answers.schedule(
                () -> {
                    inFlight.decrementAndGet();
                    if (refuse.test(event)) {
                        refusals.incrementAndGet();
                        answer.completeExceptionally(new IllegalStateException("refused on purpose"));
                    } else {
                        accepted.add(event);
                        answer.complete(null);
                    }
                },
                delay,
                TimeUnit.MILLISECONDS);
        return answer;
    }

    @Override
    public void close() {
        answers.shutdownNow();
    }
}
