package dev.switchboard.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.DeliveryOutcome;
import dev.switchboard.core.testing.TestEvents;
import io.cloudevents.CloudEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class InProcessTargetTest {
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final DeliveryTimer timer =
            (delay, task) -> scheduler.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    @Test
    void shouldRetryAThrowingHandlerThenDeliver() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        InProcessTarget target = new InProcessTarget(
                "audit",
                event -> {
                    if (calls.incrementAndGet() < 3) {
                        throw new IllegalStateException("not yet");
                    }
                },
                Executors.newCachedThreadPool());
        RetryingSink sink = new RetryingSink(
                target,
                null,
                null,
                DeliverySpec.defaults().withRetry(5).withBackoff(BackoffPolicy.LINEAR, Duration.ofMillis(10)),
                ReplyPublisher.none(),
                timer,
                Clock.systemUTC());

        assertThat(sink.deliver(TestEvents.event("e")).toCompletableFuture().get(10, TimeUnit.SECONDS))
                .isEqualTo(DeliveryOutcome.delivered());
        assertThat(calls.get()).isEqualTo(3);
    }

    @Test
    void shouldDeadLetterWhatAHandlerKeepsRefusing() throws Exception {
        List<CloudEvent> letters = new CopyOnWriteArrayList<>();
        DeliveryTarget deadLetters = new DeliveryTarget() {
            @Override
            public CompletableFuture<AttemptResult> attempt(CloudEvent event) {
                letters.add(event);
                return CompletableFuture.completedFuture(AttemptResult.Accepted.withoutReply());
            }

            @Override
            public String address() {
                return "in-process:dead-letters";
            }
        };
        InProcessTarget target = new InProcessTarget(
                "audit",
                event -> {
                    throw new IllegalArgumentException("never");
                },
                Executors.newCachedThreadPool());
        RetryingSink sink = new RetryingSink(
                target,
                deadLetters,
                null,
                DeliverySpec.defaults().withRetry(2).withBackoff(BackoffPolicy.LINEAR, Duration.ofMillis(10)),
                ReplyPublisher.none(),
                timer,
                Clock.systemUTC());

        assertThat(sink.deliver(TestEvents.event("e")).toCompletableFuture().get(10, TimeUnit.SECONDS))
                .isInstanceOf(DeliveryOutcome.DeadLettered.class);
        assertThat(letters).singleElement().satisfies(letter -> {
            assertThat(letter.getExtension("knativeerrordest")).isEqualTo("in-process:audit");
            assertThat(letter.getExtension("knativeerrorcode")).isEqualTo("500");
        });
        assertThat(sink.stats().attempts()).isEqualTo(3);
    }
}
