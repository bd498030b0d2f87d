package dev.switchboard.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.core.testing.RecordingSink;
import dev.switchboard.core.testing.Stores;
import dev.switchboard.core.testing.TestEvents;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class FlowControlTest {
    @TempDir
    Path dir;

    private static void publish(Broker broker, int count) {
        List<CompletableFuture<Long>> acks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            acks.add(broker.publish(TestEvents.event("e-" + i)).toCompletableFuture());
        }
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).join();
    }

    @Test
    void shouldHoldDeliveryToTheRateLimit() {
        List<Long> arrivals = new CopyOnWriteArrayList<>();
        try (Switchboard sb = Stores.open(dir)) {
            Broker broker = sb.broker("orders");
            publish(broker, 30);
            long start = System.nanoTime();
            Subscription limited = broker.subscribe(SubscriptionSpec.of("limited", event -> {
                        arrivals.add(System.nanoTime() - start);
                        return CompletableFuture.completedFuture(DeliveryOutcome.delivered());
                    })
                    .withStart(StartPosition.earliest())
                    .withRateLimit(new RateLimit(50, 1)));

            await().untilAsserted(
                            () -> assertThat(limited.stats().committedOffset()).isEqualTo(30));
            // 30 events at 50/s with no burst: the last one no sooner than 29 / 50 s after the first.
            Duration spread = Duration.ofNanos(arrivals.get(29) - arrivals.get(0));
            assertThat(spread).isBetween(Duration.ofMillis(560), Duration.ofSeconds(5));
        }
    }

    @Test
    void shouldNotCountFilteredEventsAgainstTheRate() {
        try (Switchboard sb = Stores.open(dir)) {
            Broker broker = sb.broker("orders");
            publish(broker, 200);
            RecordingSink sink = new RecordingSink();
            Subscription limited = broker.subscribe(SubscriptionSpec.of("limited", sink)
                    .withFilter(e -> e.getId().equals("e-199"))
                    .withStart(StartPosition.earliest())
                    .withRateLimit(new RateLimit(1, 1)));

            await().atMost(Duration.ofSeconds(5))
                    .untilAsserted(
                            () -> assertThat(limited.stats().committedOffset()).isEqualTo(200));
            assertThat(sink.delivered()).containsExactly("e-199");
        }
    }

    @Test
    void shouldReplayFromAnOffsetAndFollowTheSameHandle() {
        RecordingSink sink = new RecordingSink();
        try (Switchboard sb = Stores.open(dir)) {
            Broker broker = sb.broker("orders");
            Subscription subscription =
                    broker.subscribe(SubscriptionSpec.of("replayed", sink).withStart(StartPosition.earliest()));
            publish(broker, 10);
            await().untilAsserted(() ->
                    assertThat(subscription.stats().committedOffset()).isEqualTo(10));

            assertThat(broker.rewind("replayed", StartPosition.offset(7))).isEqualTo(7);

            await().untilAsserted(() -> assertThat(sink.delivered()).hasSize(13));
            assertThat(sink.delivered().subList(10, 13)).containsExactlyInAnyOrder("e-7", "e-8", "e-9");
            await().untilAsserted(() ->
                    assertThat(subscription.stats().committedOffset()).isEqualTo(10));
        }
    }

    @Test
    void shouldPauseAndResume() {
        RecordingSink sink = new RecordingSink();
        try (Switchboard sb = Stores.open(dir)) {
            Broker broker = sb.broker("orders");
            Subscription subscription = broker.subscribe(SubscriptionSpec.of("pausable", sink));
            subscription.pause();
            publish(broker, 20);

            await().during(Duration.ofMillis(200))
                    .untilAsserted(() -> assertThat(sink.delivered()).isEmpty());
            assertThat(subscription.isPaused()).isTrue();
            assertThat(subscription.stats().lag()).isEqualTo(20);

            subscription.resume();
            await().untilAsserted(() ->
                    assertThat(subscription.stats().committedOffset()).isEqualTo(20));
            assertThat(sink.delivered()).hasSize(20);
        }
    }
}
