package dev.switchboard.core.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.core.Broker;
import dev.switchboard.core.EventFilter;
import dev.switchboard.core.FilterIndex;
import dev.switchboard.core.Ordering;
import dev.switchboard.core.StartPosition;
import dev.switchboard.core.Subscription;
import dev.switchboard.core.SubscriptionSpec;
import dev.switchboard.core.Switchboard;
import dev.switchboard.core.testing.RecordingSink;
import dev.switchboard.core.testing.Stores;
import dev.switchboard.core.testing.TestEvents;
import io.cloudevents.CloudEvent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Subscriptions that have caught up with the log are fed by the broker's fan-out: each event read once,
 * handed only to the subscriptions the index matches. These tests hold it to the same guarantees as a
 * subscription reading the log by itself: every matching event, once, in order, across pauses, late
 * joins and restarts.
 */
@Timeout(60)
class FanOutTest {
    @TempDir
    Path dir;

    /** Filters on one event type, and counts how often anyone asks it. */
    record TypeIs(String type, AtomicLong asked) implements EventFilter {
        @Override
        public boolean test(CloudEvent event) {
            asked.incrementAndGet();
            return type.equals(event.getType());
        }
    }

    /** Files {@link TypeIs} filters by type, as the triggers module's index files exact filters. */
    static final class TypeIndex<K> implements FilterIndex<K> {
        private final Map<String, Set<K>> byType = new HashMap<>();
        private final Map<K, EventFilter> others = new HashMap<>();

        @Override
        public void put(K key, EventFilter filter) {
            remove(key);
            if (filter instanceof TypeIs typeIs) {
                byType.computeIfAbsent(typeIs.type(), t -> new LinkedHashSet<>())
                        .add(key);
            } else {
                others.put(key, filter);
            }
        }

        @Override
        public void remove(K key) {
            byType.values().forEach(keys -> keys.remove(key));
            others.remove(key);
        }

        @Override
        public void match(CloudEvent event, Consumer<K> matched) {
            byType.getOrDefault(event.getType(), Set.of()).forEach(matched);
            others.forEach((key, filter) -> {
                if (filter.test(event)) {
                    matched.accept(key);
                }
            });
        }
    }

    private static Switchboard indexed(Path dir) {
        return Stores.builder(dir).filterIndex(TypeIndex::new).build();
    }

    private static CloudEvent typed(int i, String type) {
        return TestEvents.event("e-" + i, type, 16);
    }

    private static void publish(Broker broker, int from, int to, java.util.function.IntFunction<String> type) {
        List<CompletableFuture<Long>> acks = new ArrayList<>();
        for (int i = from; i < to; i++) {
            acks.add(broker.publish(typed(i, type.apply(i))).toCompletableFuture());
        }
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).join();
    }

    private static List<String> ids(IntStream indexes) {
        return indexes.mapToObj(i -> "e-" + i).toList();
    }

    @Test
    void shouldHandEachOfThousandsOfSubscriptionsOnlyItsOwnEventsWithoutAskingTheOthers() {
        int subscriptions = 2_000;
        int events = 4_000;
        AtomicLong asked = new AtomicLong();
        try (Switchboard sb = indexed(dir)) {
            Broker broker = sb.broker("tenants");
            List<RecordingSink> sinks = new ArrayList<>();
            List<Subscription> running = new ArrayList<>();
            for (int s = 0; s < subscriptions; s++) {
                RecordingSink sink = new RecordingSink();
                sinks.add(sink);
                running.add(broker.subscribe(SubscriptionSpec.of("t" + s, sink)
                        .withFilter(new TypeIs("type-" + s, asked))
                        .withOrdering(Ordering.ORDERED)));
            }
            // Events go to the first 20 subscriptions only: 1% of them.
            publish(broker, 0, events, i -> "type-" + (i % 20));

            await().untilAsserted(() -> assertThat(running)
                    .allSatisfy(s -> assertThat(s.stats().committedOffset()).isEqualTo(events)));
            for (int s = 0; s < subscriptions; s++) {
                int own = s;
                assertThat(sinks.get(s).delivered())
                        .as("subscription t%d", s)
                        .containsExactlyElementsOf(
                                ids(IntStream.range(0, events).filter(i -> i % 20 == own)));
                assertThat(running.get(s).stats().filtered())
                        .as("subscription t%d", s)
                        .isEqualTo(events - sinks.get(s).delivered().size());
            }
            // Asking every filter would have been 8 million calls; the index asks none of them.
            assertThat(asked).hasValueLessThan(events);
        }
    }

    @Test
    void shouldCatchUpAPausedSubscriptionFromTheLogWithoutLossOrReordering() {
        try (Switchboard sb = indexed(dir)) {
            Broker broker = sb.broker("orders");
            RecordingSink pausedSink = new RecordingSink();
            RecordingSink steadySink = new RecordingSink();
            Subscription paused =
                    broker.subscribe(SubscriptionSpec.of("paused", pausedSink).withOrdering(Ordering.ORDERED));
            Subscription steady = broker.subscribe(SubscriptionSpec.of("steady", steadySink));
            publish(broker, 0, 100, i -> TestEvents.TYPE);
            await().until(() -> paused.stats().committedOffset() == 100);

            paused.pause();
            // More than a member may hold queued: the fan-out lets it go, and it reads the log later.
            publish(broker, 100, 5_000, i -> TestEvents.TYPE);
            await().until(() -> steady.stats().committedOffset() == 5_000);
            assertThat(paused.stats().committedOffset()).isLessThan(5_000);

            paused.resume();
            publish(broker, 5_000, 6_000, i -> TestEvents.TYPE);

            await().until(() -> paused.stats().committedOffset() == 6_000);
            assertThat(pausedSink.delivered()).containsExactlyElementsOf(ids(IntStream.range(0, 6_000)));
            await().until(() -> steady.stats().committedOffset() == 6_000);
            assertThat(steadySink.delivered()).containsExactlyInAnyOrderElementsOf(ids(IntStream.range(0, 6_000)));
        }
    }

    @Test
    void shouldLetSubscriptionsJoinWhileEventsArrive() throws Exception {
        int events = 20_000;
        try (Switchboard sb = indexed(dir)) {
            Broker broker = sb.broker("orders");
            CompletableFuture<Void> publishing = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < events; i += 100) {
                    publish(broker, i, i + 100, n -> TestEvents.TYPE);
                }
            });
            List<RecordingSink> sinks = new ArrayList<>();
            List<Subscription> running = new ArrayList<>();
            for (int s = 0; s < 10; s++) {
                RecordingSink sink = new RecordingSink();
                sinks.add(sink);
                running.add(broker.subscribe(SubscriptionSpec.of("late-" + s, sink)
                        .withStart(StartPosition.earliest())
                        .withOrdering(Ordering.ORDERED)));
                await().until(() -> broker.stats().endOffset() >= (running.size()) * (events / 12L));
            }
            publishing.get();

            await().untilAsserted(() -> assertThat(running)
                    .allSatisfy(s -> assertThat(s.stats().committedOffset()).isEqualTo(events)));
            for (RecordingSink sink : sinks) {
                assertThat(sink.delivered()).containsExactlyElementsOf(ids(IntStream.range(0, events)));
            }
        }
    }

    @Test
    void shouldStillFeedTheOthersWhenOneFilterThrows() {
        try (Switchboard sb = Stores.open(dir)) {
            Broker broker = sb.broker("orders");
            RecordingSink fragileSink = new RecordingSink();
            RecordingSink plainSink = new RecordingSink();
            Subscription fragile =
                    broker.subscribe(SubscriptionSpec.of("fragile", fragileSink).withFilter(event -> {
                        if (event.getId().endsWith("3")) {
                            throw new IllegalStateException("cannot judge " + event.getId());
                        }
                        return true;
                    }));
            Subscription plain = broker.subscribe(SubscriptionSpec.of("plain", plainSink));

            publish(broker, 0, 100, i -> TestEvents.TYPE);

            await().until(() ->
                    fragile.stats().committedOffset() == 100 && plain.stats().committedOffset() == 100);
            assertThat(plainSink.delivered()).hasSize(100);
            assertThat(fragileSink.delivered())
                    .containsExactlyInAnyOrderElementsOf(
                            ids(IntStream.range(0, 100).filter(i -> i % 10 != 3)));
            assertThat(fragile.stats().filterErrors()).isEqualTo(10);
        }
    }

    @Test
    void shouldSaveTheCursorsOfSubscriptionsThatMatchedNothing() {
        AtomicLong asked = new AtomicLong();
        try (Switchboard sb = indexed(dir)) {
            Broker broker = sb.broker("orders");
            for (int s = 0; s < 50; s++) {
                broker.subscribe(SubscriptionSpec.of("idle-" + s, new RecordingSink())
                        .withFilter(new TypeIs("never-" + s, asked)));
            }
            publish(broker, 0, 1_000, i -> TestEvents.TYPE);
            await().until(() -> ((LocalBroker) broker).log().endOffset() == 1_000);
            await().until(() -> ((LocalBroker) broker).dispatcher("idle-0").committedOffset() == 1_000);
        }
        try (Switchboard sb = indexed(dir)) {
            Broker broker = sb.broker("orders");
            Subscription again = broker.subscribe(
                    SubscriptionSpec.of("idle-7", new RecordingSink()).withFilter(new TypeIs("never-7", asked)));

            // Resumes at the end: nothing to read again after the restart.
            assertThat(again.stats().committedOffset()).isEqualTo(1_000);
        }
        assertThat(asked).hasValue(0);
    }

    @Test
    void shouldReadTheBacklogOnceForEverySubscriptionThatComesBackAfterARestart() {
        AtomicLong asked = new AtomicLong();
        int subscriptions = 200;
        try (Switchboard sb = indexed(dir)) {
            Broker broker = sb.broker("orders");
            for (int s = 0; s < subscriptions; s++) {
                broker.subscribe(SubscriptionSpec.of("t" + s, new RecordingSink())
                                .withFilter(new TypeIs("type-" + s, asked)))
                        .close(); // keeps its cursor at 0, as a crash would leave it behind
            }
            publish(broker, 0, 2_000, i -> "type-" + (i % subscriptions));
        }
        try (Switchboard sb = indexed(dir)) {
            Broker broker = sb.broker("orders");
            List<RecordingSink> sinks = new ArrayList<>();
            List<Subscription> running = new ArrayList<>();
            for (int s = 0; s < subscriptions; s++) {
                RecordingSink sink = new RecordingSink();
                sinks.add(sink);
                running.add(broker.subscribe(SubscriptionSpec.of("t" + s, sink)
                        .withFilter(new TypeIs("type-" + s, asked))
                        .withOrdering(Ordering.ORDERED)));
            }

            await().untilAsserted(() -> assertThat(running)
                    .allSatisfy(s -> assertThat(s.stats().committedOffset()).isEqualTo(2_000)));
            for (int s = 0; s < subscriptions; s++) {
                int own = s;
                assertThat(sinks.get(s).delivered())
                        .containsExactlyElementsOf(
                                ids(IntStream.range(0, 2_000).filter(i -> i % subscriptions == own)));
            }
            // Each reading the backlog by itself would have asked its filter 2,000 times.
            assertThat(asked).hasValue(0);
        }
    }

    @Test
    void shouldStopWaitingForSubscriptionsThatDoNotComeBackOnceToldAllAreBack() {
        try (Switchboard sb = indexed(dir)) {
            Broker broker = sb.broker("orders");
            broker.subscribe(SubscriptionSpec.of("gone", new RecordingSink())).close();
            publish(broker, 0, 100, i -> TestEvents.TYPE);
        }
        try (Switchboard sb = indexed(dir)) {
            Broker broker = sb.broker("orders");
            RecordingSink sink = new RecordingSink();
            Subscription live = broker.subscribe(SubscriptionSpec.of("live", sink));
            broker.subscriptionsResumed();
            publish(broker, 100, 110, i -> TestEvents.TYPE);

            // Well within the ten seconds the broker would otherwise wait for "gone".
            await().atMost(java.time.Duration.ofSeconds(3))
                    .until(() -> live.stats().committedOffset() == 110);
            assertThat(sink.delivered()).containsExactlyInAnyOrderElementsOf(ids(IntStream.range(100, 110)));
        }
    }
}
