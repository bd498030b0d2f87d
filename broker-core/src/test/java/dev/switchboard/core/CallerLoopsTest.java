package dev.switchboard.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.core.broker.BrokerTimings;
import dev.switchboard.core.log.StoreOptions;
import dev.switchboard.core.testing.Stores;
import dev.switchboard.core.testing.TestEvents;
import io.cloudevents.CloudEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Passes that a quiet event loop signals run on it, without a dispatch thread; a pass that would read
 * the store moves to the dispatch pool. A one-thread executor stands in for the loop.
 */
class CallerLoopsTest {
    // No cursor checkpoints during a test: they queue work for the writer thread, which would then
    // write the loop's publish groups itself.
    private static final BrokerTimings NO_CHECKPOINTS = new BrokerTimings(Duration.ofHours(1), Duration.ofHours(1));

    @TempDir
    Path dir;

    private final ScheduledExecutorService loop =
            Executors.newSingleThreadScheduledExecutor(task -> new Thread(task, "loop"));
    private final CallerLoops onTheLoop = () -> Thread.currentThread().getName().equals("loop") ? loop : null;

    @AfterEach
    void stop() {
        loop.shutdownNow();
    }

    @Test
    void shouldDeliverOnTheLoopThatWroteTheEvents() throws Exception {
        List<Delivery> delivered = twentyPublishedOnTheLoop(StoreOptions.defaults());

        // Written on the loop, handed out and delivered there: no dispatch thread on the way.
        assertThat(delivered).extracting(Delivery::thread).containsOnly("loop");
    }

    @Test
    void shouldMoveAFanOutPassThatWouldReadTheStoreToThePool() throws Exception {
        // Without a tail cache every record is read from RocksDB.
        List<Delivery> delivered =
                twentyPublishedOnTheLoop(StoreOptions.defaults().withTailCacheBytes(0));

        assertThat(delivered)
                .extracting(Delivery::thread)
                .allMatch(thread -> thread.startsWith("switchboard-dispatch"));
    }

    /** Publishes 20 events on the loop to a subscription that has joined the fan-out; how they arrived. */
    private List<Delivery> twentyPublishedOnTheLoop(StoreOptions options) throws Exception {
        try (Switchboard sb = open(options)) {
            Broker broker = sb.broker("orders");
            ThreadsSink sink = new ThreadsSink(false);
            broker.subscribe(SubscriptionSpec.of("audit", sink));
            joined(broker, sink);

            publishOnTheLoop(sb, broker, "e-", 20);

            await().until(() -> sink.delivered().size() == 21);
            List<Delivery> delivered = sink.delivered().subList(1, 21);
            assertThat(delivered).extracting(Delivery::id).containsExactlyInAnyOrderElementsOf(ids("e-", 20));
            return delivered;
        }
    }

    @Test
    void shouldReadABacklogOnThePoolWhenTheLoopSignalsForMore() throws Exception {
        try (Switchboard sb = open(StoreOptions.defaults().withTailCacheBytes(0))) {
            Broker broker = sb.broker("orders");
            // A member keeps the fan-out at the end of the log: a subscription starting behind it
            // reads the log by itself.
            ThreadsSink tail = new ThreadsSink(false);
            broker.subscribe(SubscriptionSpec.of("tail", tail));
            joined(broker, tail);
            List<String> backlog = ids("b-", 600);
            for (String id : backlog) {
                broker.publish(TestEvents.event(id)).toCompletableFuture().join();
            }
            // Answers on the loop: each answer signals the next pass there; the subscription reads the
            // backlog by itself, from the store, 256 records at a time.
            ThreadsSink sink = new ThreadsSink(true);
            broker.subscribe(SubscriptionSpec.of("replay", sink)
                    .withOrdering(Ordering.ORDERED)
                    .withStart(StartPosition.earliest()));

            await().until(() -> sink.delivered().size() == 601);
            assertThat(sink.delivered().subList(1, 601))
                    .extracting(Delivery::id)
                    .containsExactlyElementsOf(backlog);
            // Sent from what was read ahead while on the loop; each read from the store (256 records
            // from offsets 0, 256 and 512: "first", b-255, b-511) ran on the pool, which sent the
            // first event it read.
            assertThat(sink.delivered()).extracting(Delivery::thread).contains("loop");
            assertThat(sink.delivered())
                    .filteredOn(delivery -> List.of("first", "b-255", "b-511").contains(delivery.id()))
                    .extracting(Delivery::thread)
                    .hasSize(3)
                    .allMatch(thread -> thread.startsWith("switchboard-dispatch"));
        }
    }

    @Test
    void shouldRunThePassASinksAnswerSignalsOnTheAnsweringLoopEvenWhenItIsBusy() throws Exception {
        CallerLoops alwaysBusy = new CallerLoops() {
            @Override
            public Executor quietLoopOfCaller() {
                return null;
            }

            @Override
            public Executor loopOfCaller() {
                return onTheLoop.quietLoopOfCaller();
            }
        };
        try (Switchboard sb = open(StoreOptions.defaults(), alwaysBusy)) {
            Broker broker = sb.broker("orders");
            List<String> ids = ids("o-", 10);
            for (String id : ids) {
                broker.publish(TestEvents.event(id)).toCompletableFuture().join();
            }
            ThreadsSink sink = new ThreadsSink(true, alwaysBusy); // it answers on the loop, and says so
            broker.subscribe(SubscriptionSpec.of("audit", sink)
                    .withOrdering(Ordering.ORDERED)
                    .withStart(StartPosition.earliest()));

            await().until(() -> sink.delivered().size() == 10);
            assertThat(sink.delivered()).extracting(Delivery::id).containsExactlyElementsOf(ids);
            // Each answer came on the loop, which calls itself busy: the pass it signalled ran there all
            // the same (the attempts it makes go to where the sink works), so the next event was sent
            // from the loop instead of a dispatch thread woken for it.
            assertThat(sink.delivered().subList(1, 10))
                    .extracting(Delivery::thread)
                    .containsOnly("loop");
        }
    }

    @Test
    void shouldNotRunAPassOnABusyLoopForASinkThatNamesNoAnswerLoops() throws Exception {
        CallerLoops alwaysBusy = () -> null;
        try (Switchboard sb = open(StoreOptions.defaults(), alwaysBusy)) {
            Broker broker = sb.broker("orders");
            List<String> ids = ids("o-", 10);
            for (String id : ids) {
                broker.publish(TestEvents.event(id)).toCompletableFuture().join();
            }
            ThreadsSink sink = new ThreadsSink(true); // answers on the loop, names no loops: may block
            broker.subscribe(SubscriptionSpec.of("audit", sink)
                    .withOrdering(Ordering.ORDERED)
                    .withStart(StartPosition.earliest()));

            await().until(() -> sink.delivered().size() == 10);
            assertThat(sink.delivered()).extracting(Delivery::id).containsExactlyElementsOf(ids);
            assertThat(sink.delivered())
                    .extracting(Delivery::thread)
                    .allMatch(thread -> thread.startsWith("switchboard-dispatch"));
        }
    }

    /** A store whose passes may run on the loop, without cursor checkpoints. */
    private Switchboard open(StoreOptions options) {
        return open(options, onTheLoop);
    }

    private Switchboard open(StoreOptions options, CallerLoops callerLoops) {
        return Stores.builder(dir)
                .timings(NO_CHECKPOINTS)
                .storeOptions(options)
                .callerLoops(callerLoops)
                .build();
    }

    /** One event through the writer thread, delivered once the subscription has joined the fan-out. */
    private static void joined(Broker broker, ThreadsSink sink) {
        broker.publish(TestEvents.event("first")).toCompletableFuture().join();
        await().until(() -> sink.delivered().size() == 1);
    }

    private void publishOnTheLoop(Switchboard sb, Broker broker, String prefix, int count) throws Exception {
        PublishGroup group = sb.publishGroup(loop);
        for (String id : ids(prefix, count)) {
            // One turn per event, each written by the loop after its turn (the writer thread is idle).
            CompletableFuture<Long> published = CompletableFuture.supplyAsync(
                            () -> broker.publishAll(List.of(TestEvents.event(id)), group)
                                    .toCompletableFuture(),
                            loop)
                    .get();
            await().until(published::isDone);
        }
    }

    private static List<String> ids(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> prefix + i).toList();
    }

    record Delivery(String id, String thread) {}

    /** Records each event with the thread it was handed over on; answers at once, or on the loop. */
    private final class ThreadsSink implements EventSink {
        private final boolean answerOnTheLoop;
        private final CallerLoops answerLoops;
        private final List<Delivery> delivered = new ArrayList<>();

        ThreadsSink(boolean answerOnTheLoop) {
            this(answerOnTheLoop, CallerLoops.NONE);
        }

        ThreadsSink(boolean answerOnTheLoop, CallerLoops answerLoops) {
            this.answerOnTheLoop = answerOnTheLoop;
            this.answerLoops = answerLoops;
        }

        @Override
        public CallerLoops answerLoops() {
            return answerLoops;
        }

        @Override
        public synchronized CompletionStage<DeliveryOutcome> deliver(CloudEvent event) {
            delivered.add(new Delivery(event.getId(), Thread.currentThread().getName()));
            if (!answerOnTheLoop) {
                return CompletableFuture.completedFuture(DeliveryOutcome.delivered());
            }
            // A millisecond later: the dispatcher has attached its continuation by then, so the answer
            // signals the next pass on the loop (completed at once, it would run where it is attached).
            CompletableFuture<DeliveryOutcome> answer = new CompletableFuture<>();
            loop.schedule(() -> answer.complete(DeliveryOutcome.delivered()), 1, TimeUnit.MILLISECONDS);
            return answer;
        }

        synchronized List<Delivery> delivered() {
            return List.copyOf(delivered);
        }
    }
}
