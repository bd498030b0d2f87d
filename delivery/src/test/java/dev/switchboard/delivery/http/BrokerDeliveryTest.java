package dev.switchboard.delivery.http;

import static dev.switchboard.delivery.http.ScriptedSink.stall;
import static dev.switchboard.delivery.http.ScriptedSink.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.core.Broker;
import dev.switchboard.core.CallerLoops;
import dev.switchboard.core.DeliveryOutcome;
import dev.switchboard.core.EventSink;
import dev.switchboard.core.Ordering;
import dev.switchboard.core.StartPosition;
import dev.switchboard.core.Subscription;
import dev.switchboard.core.SubscriptionSpec;
import dev.switchboard.core.Switchboard;
import dev.switchboard.core.testing.Stores;
import dev.switchboard.core.testing.TestEvents;
import dev.switchboard.delivery.BackoffPolicy;
import dev.switchboard.delivery.DeliverySpec;
import dev.switchboard.delivery.ReplyPublisher;
import dev.switchboard.delivery.RetryingSink;
import io.cloudevents.CloudEvent;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Triggers on a real broker delivering to real HTTP sinks. */
@Timeout(90)
class BrokerDeliveryTest {
    private static final DeliverySpec QUICK = DeliverySpec.defaults()
            .withRetry(1000)
            .withBackoff(BackoffPolicy.LINEAR, Duration.ofMillis(20))
            .withBackoffMax(Duration.ofMillis(50));

    @TempDir
    Path dir;

    private Vertx vertx;
    private HttpDelivery delivery;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        delivery = new HttpDelivery(vertx, 16, Clock.systemUTC());
    }

    @AfterEach
    void stop() throws Exception {
        delivery.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static void publish(Broker broker, int from, int to) {
        for (int i = from; i < to; i++) {
            broker.publish(TestEvents.event("e-" + i)).toCompletableFuture().join();
        }
    }

    /**
     * Delivers through an HTTP sink, noting the thread of every call; names the sink's answer loops,
     * and its home loop when asked to.
     */
    private static final class ThreadRecordingSink implements EventSink {
        final List<String> threads = new CopyOnWriteArrayList<>();
        private final RetryingSink http;
        private final boolean namesHomeLoop;

        ThreadRecordingSink(RetryingSink http, boolean namesHomeLoop) {
            this.http = http;
            this.namesHomeLoop = namesHomeLoop;
        }

        @Override
        public CompletionStage<DeliveryOutcome> deliver(CloudEvent event) {
            threads.add(Thread.currentThread().getName());
            return http.deliver(event);
        }

        @Override
        public CallerLoops answerLoops() {
            CallerLoops loops = http.answerLoops();
            if (namesHomeLoop) {
                return loops;
            }
            return new CallerLoops() { // the same loops, without a home
                @Override
                public Executor quietLoopOfCaller() {
                    return loops.quietLoopOfCaller();
                }

                @Override
                public Executor loopOfCaller() {
                    return loops.loopOfCaller();
                }
            };
        }
    }

    private static List<String> ids(ScriptedSink sink) {
        List<String> ids = new ArrayList<>();
        sink.received().forEach(r -> ids.add(r.header("ce-id")));
        return ids;
    }

    @Test
    void shouldDeliverAnEventThatWasMidRetryWhenTheBrokerStopped() throws Exception {
        try (ScriptedSink down = new ScriptedSink(vertx).otherwise(status(503))) {
            try (Switchboard sb = Stores.open(dir)) {
                Broker broker = sb.broker("orders");
                broker.subscribe(SubscriptionSpec.of(
                                "http",
                                delivery.sink(down.uri(), QUICK, HttpSinkOptions.binary(), ReplyPublisher.none()))
                        .withStart(StartPosition.earliest()));
                publish(broker, 0, 1);
                await().untilAsserted(() -> assertThat(down.received()).hasSizeGreaterThan(3));
            }
        }
        try (ScriptedSink up = new ScriptedSink(vertx)) {
            try (Switchboard sb = Stores.open(dir)) {
                Subscription http = sb.broker("orders")
                        .subscribe(SubscriptionSpec.of(
                                "http",
                                delivery.sink(up.uri(), QUICK, HttpSinkOptions.binary(), ReplyPublisher.none())));
                await().untilAsserted(
                                () -> assertThat(http.stats().committedOffset()).isEqualTo(1));
                assertThat(up.received()).extracting(r -> r.header("ce-id")).containsExactly("e-0");
            }
        }
    }

    @Test
    void shouldRunThePassAnAnswerSignalsOnTheLoopThatHeardItWithoutCallerLoops() throws Exception {
        try (ScriptedSink sink = new ScriptedSink(vertx)) {
            try (Switchboard sb = Stores.open(dir)) { // no CallerLoops given to the store
                Broker broker = sb.broker("orders");
                publish(broker, 0, 10);
                RetryingSink http = delivery.sink(sink.uri(), QUICK, HttpSinkOptions.binary(), ReplyPublisher.none());
                ThreadRecordingSink recording = new ThreadRecordingSink(http, false);
                List<String> threads = recording.threads;
                broker.subscribe(SubscriptionSpec.of("http", recording)
                        .withOrdering(Ordering.ORDERED)
                        .withStart(StartPosition.earliest()));

                await().until(() -> sink.received().size() == 10 && threads.size() == 10);
                assertThat(ids(sink))
                        .isEqualTo(
                                IntStream.range(0, 10).mapToObj(i -> "e-" + i).toList());
                // The first event went out from a dispatch thread; each later one from the pass that the
                // answer before it signalled, run on the loop that heard that answer: no thread woken.
                assertThat(threads.get(0)).startsWith("switchboard-dispatch");
                assertThat(threads.subList(1, 10)).allMatch(name -> name.startsWith("vert.x-eventloop-thread"));
            }
        }
    }

    @Test
    void shouldRunAPassSignalledOffTheLoopsOnTheSinksHomeLoop() throws Exception {
        try (ScriptedSink sink = new ScriptedSink(vertx)) {
            try (Switchboard sb = Stores.open(dir)) { // no CallerLoops: every append signals off the loops
                Broker broker = sb.broker("orders");
                RetryingSink http = delivery.sink(sink.uri(), QUICK, HttpSinkOptions.binary(), ReplyPublisher.none());
                ThreadRecordingSink recording = new ThreadRecordingSink(http, true);
                List<String> threads = recording.threads;
                broker.subscribe(SubscriptionSpec.of("http", recording));

                // One at a time, each once the last was delivered: every pass is signalled by an append,
                // through the fan-out on a dispatch thread, and runs on the sink's home loop instead.
                for (int i = 0; i < 5; i++) {
                    publish(broker, i, i + 1);
                    int delivered = i + 1;
                    await().until(() -> sink.received().size() == delivered);
                }
                assertThat(ids(sink)).containsExactly("e-0", "e-1", "e-2", "e-3", "e-4");
                assertThat(threads).hasSize(5).allMatch(name -> name.startsWith("vert.x-eventloop-thread"));
            }
        }
    }

    @Test
    void shouldPublishRepliesBackIntoTheBrokerForOtherTriggers() throws Exception {
        try (ScriptedSink replier = new ScriptedSink(vertx)
                        .otherwise(ScriptedSink.replyBinary(200, "reply-1", "com.example.reply"));
                ScriptedSink audit = new ScriptedSink(vertx)) {
            try (Switchboard sb = Stores.open(dir)) {
                Broker broker = sb.broker("orders");
                broker.subscribe(SubscriptionSpec.of(
                                "replier",
                                delivery.sink(
                                        replier.uri(), QUICK, HttpSinkOptions.binary(), ReplyPublisher.to(broker)))
                        .withFilter(e -> e.getType().equals(TestEvents.TYPE)));
                broker.subscribe(SubscriptionSpec.of(
                                "replies",
                                delivery.sink(audit.uri(), QUICK, HttpSinkOptions.binary(), ReplyPublisher.none()))
                        .withFilter(e -> e.getType().equals("com.example.reply")));
                publish(broker, 0, 1);

                await().untilAsserted(() -> assertThat(audit.received()).hasSize(1));
                assertThat(audit.received().get(0).header("ce-id")).isEqualTo("reply-1");
                assertThat(audit.received().get(0).header("ce-knativebrokerttl"))
                        .isNull();
                assertThat(broker.stats().endOffset()).isEqualTo(2);
            }
        }
    }

    @Test
    void shouldKeepLogOrderWithAFlakySinkWhenOrdered() throws Exception {
        Random random = new Random(3);
        try (ScriptedSink flaky = new ScriptedSink(vertx).otherwise(request -> request.response()
                .setStatusCode(random.nextInt(4) == 0 ? 500 : 202)
                .end())) {
            try (Switchboard sb = Stores.open(dir)) {
                Broker broker = sb.broker("orders");
                Subscription ordered = broker.subscribe(SubscriptionSpec.of(
                                "ordered",
                                delivery.sink(flaky.uri(), QUICK, HttpSinkOptions.binary(), ReplyPublisher.none()))
                        .withOrdering(Ordering.ORDERED)
                        .withStart(StartPosition.earliest()));
                publish(broker, 0, 60);

                await().untilAsserted(() ->
                        assertThat(ordered.stats().committedOffset()).isEqualTo(60));
            }
            // Requests arrive in log order; a failed one is repeated before the next one is sent.
            Set<String> firstSeen = new LinkedHashSet<>(ids(flaky));
            assertThat(firstSeen)
                    .containsExactlyElementsOf(
                            IntStream.range(0, 60).mapToObj(i -> "e-" + i).toList());
        }
    }

    @Test
    void shouldNotLetADownOrStalledSinkSlowAnotherTrigger() throws Exception {
        try (ScriptedSink stalled = new ScriptedSink(vertx).otherwise(stall());
                ScriptedSink down = new ScriptedSink(vertx).otherwise(status(500));
                ScriptedSink healthy = new ScriptedSink(vertx)) {
            try (Switchboard sb = Stores.open(dir)) {
                Broker broker = sb.broker("orders");
                broker.subscribe(SubscriptionSpec.of(
                                "stalled",
                                delivery.sink(
                                        stalled.uri(),
                                        QUICK.withTimeout(Duration.ofSeconds(30)),
                                        HttpSinkOptions.binary(),
                                        ReplyPublisher.none()))
                        .withStart(StartPosition.earliest()));
                broker.subscribe(SubscriptionSpec.of(
                                "down",
                                delivery.sink(down.uri(), QUICK, HttpSinkOptions.binary(), ReplyPublisher.none()))
                        .withStart(StartPosition.earliest()));
                Subscription fine = broker.subscribe(SubscriptionSpec.of(
                                "healthy",
                                delivery.sink(healthy.uri(), QUICK, HttpSinkOptions.binary(), ReplyPublisher.none()))
                        .withStart(StartPosition.earliest()));
                publish(broker, 0, 300);

                await().untilAsserted(
                                () -> assertThat(fine.stats().committedOffset()).isEqualTo(300));
                assertThat(healthy.received()).hasSize(300);
            }
        }
    }
}
