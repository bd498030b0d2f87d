package dev.switchboard.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.core.broker.LocalBroker;
import dev.switchboard.core.testing.RecordingSink;
import dev.switchboard.core.testing.Stores;
import dev.switchboard.core.testing.TestEvents;
import io.cloudevents.CloudEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class SubscriptionTest {
    private static final Backoff QUICK = new Backoff(Duration.ofMillis(5), Duration.ofMillis(50));

    @TempDir
    Path dir;

    private final ScheduledExecutorService delays = Executors.newScheduledThreadPool(2);

    @AfterEach
    void stopDelays() {
        delays.shutdownNow();
    }

    private static void publish(Broker broker, int from, int to) {
        List<CompletableFuture<Long>> acks = new ArrayList<>();
        for (int i = from; i < to; i++) {
            acks.add(broker.publish(TestEvents.event("e-" + i)).toCompletableFuture());
        }
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).join();
    }

    private static List<String> ids(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> "e-" + i).toList();
    }

    @Test
    void shouldDeliverOnlyWhatTheFilterMatches() {
        try (Switchboard sb = Stores.open(dir)) {
            Broker broker = sb.broker("orders");
            RecordingSink sink = new RecordingSink();
            Subscription subscription = broker.subscribe(SubscriptionSpec.of("even", sink)
                    .withStart(StartPosition.earliest())
                    .withFilter(e -> Integer.parseInt(e.getId().substring(2)) % 2 == 0));
            publish(broker, 0, 100);

            await().untilAsserted(() ->
                    assertThat(subscription.stats().committedOffset()).isEqualTo(100));
            assertThat(sink.delivered())
                    .containsExactlyInAnyOrderElementsOf(IntStream.range(0, 100)
                            .filter(i -> i % 2 == 0)
                            .mapToObj(i -> "e-" + i)
                            .toList());
            assertThat(subscription.stats().filtered()).isEqualTo(50);
            assertThat(subscription.stats().delivered()).isEqualTo(50);
        }
    }

    @Test
    void shouldCountAThrowingFilterAsNoMatchAndGoOn() {
        try (Switchboard sb = Stores.open(dir)) {
            Broker broker = sb.broker("orders");
            RecordingSink sink = new RecordingSink();
            Subscription subscription = broker.subscribe(SubscriptionSpec.of("picky", sink)
                    .withStart(StartPosition.earliest())
                    .withFilter(e -> {
                        if (e.getId().equals("e-3")) {
                            throw new IllegalStateException("cannot evaluate");
                        }
                        return true;
                    }));
            publish(broker, 0, 6);

            await().untilAsserted(() ->
                    assertThat(subscription.stats().committedOffset()).isEqualTo(6));
            assertThat(sink.delivered()).containsExactlyInAnyOrder("e-0", "e-1", "e-2", "e-4", "e-5");
            assertThat(subscription.stats().filterErrors()).isEqualTo(1);
        }
    }

    @Test
    void shouldKeepLogOrderWhenOrderedEvenWithSlowAndFailingDeliveries() {
        Random random = new Random(7);
        List<String> delivered = new CopyOnWriteArrayList<>();
        AtomicInteger concurrent = new AtomicInteger();
        AtomicInteger maxConcurrent = new AtomicInteger();
        EventSink sink = event -> {
            int now = concurrent.incrementAndGet();
            maxConcurrent.accumulateAndGet(now, Math::max);
            CompletableFuture<DeliveryOutcome> outcome = new CompletableFuture<>();
            boolean fail = random.nextInt(5) == 0;
            delays.schedule(
                    () -> {
                        concurrent.decrementAndGet();
                        if (fail) {
                            outcome.completeExceptionally(new IllegalStateException("flaky"));
                        } else {
                            delivered.add(event.getId());
                            outcome.complete(DeliveryOutcome.delivered());
                        }
                    },
                    random.nextInt(3),
                    TimeUnit.MILLISECONDS);
            return outcome;
        };
        try (Switchboard sb = Stores.open(dir)) {
            Broker broker = sb.broker("orders");
            Subscription subscription = broker.subscribe(SubscriptionSpec.of("ordered", sink)
                    .withOrdering(Ordering.ORDERED)
                    .withStart(StartPosition.earliest())
                    .withBackoff(QUICK));
            publish(broker, 0, 200);

            await().untilAsserted(() ->
                    assertThat(subscription.stats().committedOffset()).isEqualTo(200));
            assertThat(delivered).containsExactlyElementsOf(ids(0, 200));
            assertThat(maxConcurrent.get()).isEqualTo(1);
            assertThat(subscription.stats().redeliveries()).isPositive();
        }
    }

    @Test
    void shouldAdvanceTheCursorCorrectlyWhenCompletionsComeBackOutOfOrder() {
        List<CompletableFuture<DeliveryOutcome>> pending = new CopyOnWriteArrayList<>();
        List<String> received = new CopyOnWriteArrayList<>();
        EventSink sink = event -> {
            CompletableFuture<DeliveryOutcome> outcome = new CompletableFuture<>();
            received.add(event.getId());
            pending.add(outcome);
            return outcome;
        };
        try (Switchboard sb = Stores.open(dir)) {
            Broker broker = sb.broker("orders");
            Subscription subscription = broker.subscribe(
                    SubscriptionSpec.of("parallel", sink).withMaxInFlight(10).withStart(StartPosition.earliest()));
            publish(broker, 0, 30);

            await().untilAsserted(() -> assertThat(pending).hasSize(10));
            assertThat(subscription.stats().inFlight()).isEqualTo(10);
            // Finish 9..1 (everything but the head): the cursor must not move past offset 0.
            for (int i = 9; i >= 1; i--) {
                pending.get(i).complete(DeliveryOutcome.delivered());
            }
            await().untilAsserted(() -> assertThat(pending).hasSize(19));
            assertThat(subscription.stats().committedOffset()).isZero();

            pending.get(0).complete(DeliveryOutcome.delivered());
            await().untilAsserted(() ->
                    assertThat(subscription.stats().committedOffset()).isEqualTo(10));

            List<CompletableFuture<DeliveryOutcome>> rest = new ArrayList<>(pending.subList(10, 19));
            Collections.shuffle(rest, new Random(1));
            rest.forEach(f -> f.complete(DeliveryOutcome.delivered()));
            await().untilAsserted(() -> assertThat(pending).hasSize(29));
            pending.subList(19, 29).forEach(f -> f.complete(DeliveryOutcome.delivered()));
            await().untilAsserted(() -> assertThat(pending).hasSize(30));
            pending.get(29).complete(DeliveryOutcome.delivered());

            await().untilAsserted(() ->
                    assertThat(subscription.stats().committedOffset()).isEqualTo(30));
            assertThat(received).containsExactlyInAnyOrderElementsOf(ids(0, 30));
        }
    }

    @Test
    void shouldNotLetAFailingEventHoldBackTheRestWhenUnordered() {
        RecordingSink sink = new RecordingSink();
        sink.failWhen(e -> e.getId().equals("e-0"));
        try (Switchboard sb = Stores.open(dir)) {
            Broker broker = sb.broker("orders");
            Subscription subscription = broker.subscribe(SubscriptionSpec.of("unordered", sink)
                    .withStart(StartPosition.earliest())
                    .withBackoff(QUICK));
            publish(broker, 0, 50);

            await().untilAsserted(() -> assertThat(sink.delivered()).containsExactlyInAnyOrderElementsOf(ids(1, 50)));
            assertThat(subscription.stats().committedOffset()).isZero();

            sink.failWhen(e -> false);
            await().untilAsserted(() ->
                    assertThat(subscription.stats().committedOffset()).isEqualTo(50));
            assertThat(sink.delivered()).contains("e-0");
        }
    }

    @Test
    void shouldNotLetAStalledSubscriptionStallAnother() {
        RecordingSink healthy = new RecordingSink();
        try (Switchboard sb = Stores.open(dir)) {
            Broker broker = sb.broker("orders");
            broker.subscribe(SubscriptionSpec.of("stalled", event -> new CompletableFuture<>())
                    .withStart(StartPosition.earliest()));
            CountDownLatch never = new CountDownLatch(1);
            sb.subscribe("orders", "blocking-handler", EventFilter.all(), event -> never.await());
            Subscription fine =
                    broker.subscribe(SubscriptionSpec.of("healthy", healthy).withStart(StartPosition.earliest()));
            publish(broker, 0, 500);

            await().untilAsserted(
                            () -> assertThat(fine.stats().committedOffset()).isEqualTo(500));
            assertThat(healthy.delivered()).hasSize(500);
        }
    }

    @Test
    void shouldResumeFromItsCursorAfterARestart() {
        RecordingSink first = new RecordingSink();
        first.failWhen(e -> Integer.parseInt(e.getId().substring(2)) >= 50);
        try (Switchboard sb = Stores.open(dir)) {
            Broker broker = sb.broker("orders");
            publish(broker, 0, 100);
            Subscription subscription = broker.subscribe(SubscriptionSpec.of("audit", first)
                    .withOrdering(Ordering.ORDERED)
                    .withStart(StartPosition.earliest())
                    .withBackoff(QUICK));
            await().untilAsserted(() ->
                    assertThat(subscription.stats().committedOffset()).isEqualTo(50));
        }
        assertThat(first.delivered()).containsExactlyElementsOf(ids(0, 50));

        RecordingSink second = new RecordingSink();
        try (Switchboard sb = Stores.open(dir)) {
            Subscription subscription = sb.broker("orders")
                    .subscribe(SubscriptionSpec.of("audit", second)
                            .withOrdering(Ordering.ORDERED)
                            .withStart(StartPosition.earliest()));
            await().untilAsserted(() ->
                    assertThat(subscription.stats().committedOffset()).isEqualTo(100));
        }
        assertThat(second.delivered()).containsExactlyElementsOf(ids(50, 100));
    }

    @Test
    void shouldStartFromEarliestLatestOffsetOrTime() {
        try (Switchboard sb = Stores.open(dir)) {
            Broker broker = sb.broker("orders");
            publish(broker, 0, 10);
            Instant mark = Instant.now().plusMillis(2);
            await().pollInterval(Duration.ofMillis(1)).until(() -> Instant.now().isAfter(mark));
            publish(broker, 10, 20);

            RecordingSink earliest = new RecordingSink();
            RecordingSink latest = new RecordingSink();
            RecordingSink byTime = new RecordingSink();
            RecordingSink byOffset = new RecordingSink();
            broker.subscribe(SubscriptionSpec.of("earliest", earliest).withStart(StartPosition.earliest()));
            broker.subscribe(SubscriptionSpec.of("latest", latest).withStart(StartPosition.latest()));
            broker.subscribe(SubscriptionSpec.of("time", byTime).withStart(StartPosition.at(mark)));
            broker.subscribe(SubscriptionSpec.of("offset", byOffset).withStart(StartPosition.offset(15)));
            publish(broker, 20, 22);

            await().untilAsserted(() -> {
                assertThat(earliest.delivered()).containsExactlyInAnyOrderElementsOf(ids(0, 22));
                assertThat(latest.delivered()).containsExactlyInAnyOrderElementsOf(ids(20, 22));
                assertThat(byTime.delivered()).containsExactlyInAnyOrderElementsOf(ids(10, 22));
                assertThat(byOffset.delivered()).containsExactlyInAnyOrderElementsOf(ids(15, 22));
            });
        }
    }

    @Test
    void shouldRefuseTheSameSubscriptionTwiceAndForgetADeletedOne() {
        try (Switchboard sb = Stores.open(dir)) {
            Broker broker = sb.broker("orders");
            broker.subscribe(SubscriptionSpec.of("audit", new RecordingSink()));
            assertThatThrownBy(() -> broker.subscribe(SubscriptionSpec.of("audit", new RecordingSink())))
                    .isInstanceOfSatisfying(BrokerException.class, e -> assertThat(e.kind())
                            .isEqualTo(BrokerException.Kind.DUPLICATE_SUBSCRIPTION));

            publish(broker, 0, 5);
            broker.deleteSubscription("audit");
            RecordingSink fresh = new RecordingSink();
            broker.subscribe(SubscriptionSpec.of("audit", fresh).withStart(StartPosition.latest()));
            publish(broker, 5, 6);
            await().untilAsserted(() -> assertThat(fresh.delivered()).containsExactly("e-5"));
        }
    }

    @Test
    void shouldRedeliverWhenAnInProcessHandlerThrows() {
        ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
        AtomicInteger failuresLeft = new AtomicInteger(2);
        try (Switchboard sb = Stores.open(dir)) {
            Subscription subscription = sb.subscribe(
                    "orders",
                    SubscriptionSpec.of("handler", sb.handlerSink((CloudEvent event) -> {
                                seen.add(event.getId());
                                if (failuresLeft.getAndDecrement() > 0) {
                                    throw new Exception("not yet");
                                }
                            }))
                            .withBackoff(QUICK));
            sb.broker("orders")
                    .publish(TestEvents.event("only"))
                    .toCompletableFuture()
                    .join();

            await().untilAsserted(
                            () -> assertThat(subscription.stats().delivered()).isEqualTo(1));
            assertThat(seen).containsExactly("only", "only", "only");
            assertThat(subscription.stats().redeliveries()).isEqualTo(2);
            assertThat(((LocalBroker) sb.broker("orders")).dispatcher("handler").committedOffset())
                    .isEqualTo(1);
        }
    }
}
