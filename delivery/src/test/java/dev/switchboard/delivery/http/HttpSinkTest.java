package dev.switchboard.delivery.http;

import static dev.switchboard.delivery.http.ScriptedSink.replyBinary;
import static dev.switchboard.delivery.http.ScriptedSink.replyStructured;
import static dev.switchboard.delivery.http.ScriptedSink.retryAfter;
import static dev.switchboard.delivery.http.ScriptedSink.stall;
import static dev.switchboard.delivery.http.ScriptedSink.status;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.DeliveryOutcome;
import dev.switchboard.core.testing.TestEvents;
import dev.switchboard.delivery.BackoffPolicy;
import dev.switchboard.delivery.BrokerTtl;
import dev.switchboard.delivery.DeliverySpec;
import dev.switchboard.delivery.ReplyPublisher;
import dev.switchboard.delivery.RetryingSink;
import io.cloudevents.CloudEvent;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** HTTP delivery against real Vert.x servers that fail, stall, throttle and reply on purpose. */
@Timeout(60)
class HttpSinkTest {
    private static final DeliverySpec QUICK =
            DeliverySpec.defaults().withRetry(3).withBackoff(BackoffPolicy.LINEAR, Duration.ofMillis(50));

    private static Vertx vertx;
    private static HttpDelivery delivery;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        delivery = new HttpDelivery(vertx, 16, Clock.systemUTC());
    }

    @AfterAll
    static void stop() throws Exception {
        delivery.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static DeliveryOutcome deliver(RetryingSink sink, CloudEvent event) throws Exception {
        return sink.deliver(event).toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static long millisBetween(ScriptedSink.Received a, ScriptedSink.Received b) {
        return TimeUnit.NANOSECONDS.toMillis(b.nanoTime() - a.nanoTime());
    }

    @Test
    void shouldSendEveryAttributeInBinaryModeAsTheSdkReadsItBack() throws Exception {
        CloudEvent event = io.cloudevents.core.builder.CloudEventBuilder.v1()
                .withId("all-attributes")
                .withSource(URI.create("/orders/eu"))
                .withType("com.example.order.created")
                .withSubject("order-17")
                .withTime(java.time.OffsetDateTime.parse("2026-11-28T10:15:30.123Z"))
                .withDataSchema(URI.create("https://example.com/order.json"))
                .withDataContentType("application/json")
                .withExtension("tenant", "acme")
                .withExtension("attempt", 3)
                .withExtension("urgent", true)
                .withData("{\"n\":17}".getBytes(StandardCharsets.UTF_8))
                .build();
        try (ScriptedSink sink = new ScriptedSink(vertx).otherwise(status(202))) {
            RetryingSink http = delivery.sink(sink.uri(), QUICK, HttpSinkOptions.binary(), ReplyPublisher.none());

            assertThat(deliver(http, event)).isEqualTo(DeliveryOutcome.delivered());

            ScriptedSink.Received got = sink.received().get(0);
            assertThat(got.header("content-type")).isEqualTo("application/json");
            assertThat(got.header("ce-specversion")).isEqualTo("1.0");
            assertThat(got.header("User-Agent")).isEqualTo("Switchboard");
            CloudEvent read = io.cloudevents.http.vertx.VertxMessageFactory.createReader(
                            got.headers(), io.vertx.core.buffer.Buffer.buffer(got.body()))
                    .toEvent();
            // Extensions arrive as header strings, as the HTTP binding carries them.
            assertThat(read)
                    .isEqualTo(io.cloudevents.core.builder.CloudEventBuilder.v1(event)
                            .withExtension("attempt", "3")
                            .withExtension("urgent", "true")
                            .build());
        }
    }

    @Test
    void shouldFailAnEventWhoseDataCannotBeWrittenAndFreeTheConnectionItHeld() throws Exception {
        CloudEvent unwritable = io.cloudevents.core.builder.CloudEventBuilder.v1(TestEvents.event("bad"))
                .withData("application/json", () -> {
                    throw new IllegalStateException("data that cannot be serialized");
                })
                .build();
        // One connection per host: a request left holding it would keep the next event waiting forever.
        try (HttpDelivery single = new HttpDelivery(vertx, 1, Clock.systemUTC());
                ScriptedSink sink = new ScriptedSink(vertx).otherwise(status(202))) {
            RetryingSink http = single.sink(sink.uri(), QUICK, HttpSinkOptions.binary(), ReplyPublisher.none());

            assertThat(deliver(http, unwritable))
                    .isInstanceOfSatisfying(DeliveryOutcome.Dropped.class, dropped -> assertThat(dropped.reason())
                            .contains("data that cannot be serialized"));
            assertThat(deliver(http, TestEvents.event("good"))).isEqualTo(DeliveryOutcome.delivered());
            assertThat(sink.received()).extracting(got -> got.header("ce-id")).containsExactly("good");
        }
    }

    @Test
    void shouldRunEachSubscribersAttemptsOnItsOwnEventLoop() throws Exception {
        // Answers after 250 ms, so each outcome's continuation is attached well before it completes
        // (attached after, it would run on the thread that attaches it).
        Consumer<HttpServerRequest> later = request ->
                vertx.setTimer(250, id -> request.response().setStatusCode(202).end());
        try (ScriptedSink sink = new ScriptedSink(vertx).otherwise(later)) {
            List<RetryingSink> subscribers = List.of(
                    delivery.sink(sink.uri(), QUICK, HttpSinkOptions.binary(), ReplyPublisher.none()),
                    delivery.sink(sink.uri(), QUICK, HttpSinkOptions.binary(), ReplyPublisher.none()));
            List<Set<String>> threads = List.of(ConcurrentHashMap.newKeySet(), ConcurrentHashMap.newKeySet());
            List<CompletableFuture<DeliveryOutcome>> outcomes = new ArrayList<>();
            // Deliveries start on several threads, as the dispatch threads start them.
            ExecutorService callers = Executors.newFixedThreadPool(3);
            try {
                for (int i = 0; i < 30; i++) {
                    int subscriber = i % 2;
                    CloudEvent event = TestEvents.event("loop-" + i);
                    outcomes.add(CompletableFuture.supplyAsync(
                                    () -> subscribers.get(subscriber).deliver(event), callers)
                            .thenCompose(outcome -> outcome.whenComplete((done, error) -> threads.get(subscriber)
                                    .add(Thread.currentThread().getName()))));
                }
                CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new))
                        .get(30, TimeUnit.SECONDS);
            } finally {
                callers.shutdown();
            }

            assertThat(outcomes)
                    .allSatisfy(outcome -> assertThat(outcome.join()).isEqualTo(DeliveryOutcome.delivered()));
            // One event loop per subscriber, whichever thread started the delivery; the next
            // subscriber made gets the next loop.
            assertThat(threads.get(0)).hasSize(1).allMatch(name -> name.startsWith("vert.x-eventloop-thread"));
            assertThat(threads.get(1)).hasSize(1).allMatch(name -> name.startsWith("vert.x-eventloop-thread"));
            assertThat(threads.get(0)).doesNotContainAnyElementsOf(threads.get(1));
        }
    }

    @Test
    void shouldKeepAQuietSubscribersAttemptsOnTheLoopThatStartsThemAndSendTheRestToItsOwnLoop() throws Exception {
        EventLoops loops = new EventLoops(vertx);
        HttpDelivery onLoops = new HttpDelivery(vertx, loops, 16, Clock.systemUTC());
        // Answers after 250 ms: all six attempts are in flight together.
        Consumer<HttpServerRequest> later = request ->
                vertx.setTimer(250, id -> request.response().setStatusCode(202).end());
        try (ScriptedSink sink = new ScriptedSink(vertx).otherwise(later)) {
            RetryingSink subscriber = onLoops.sink(sink.uri(), QUICK, HttpSinkOptions.binary(), ReplyPublisher.none());
            int caller = loops.nextIndex(); // the loop after the subscriber's own
            List<CompletableFuture<String>> threads = new ArrayList<>();
            CompletableFuture<Void> started = new CompletableFuture<>();
            loops.context(caller).runOnContext(ignored -> {
                // As a pass on a quiet event loop starts them: the loop that took the event in.
                for (int i = 0; i < HttpTarget.BORROW_BELOW_IN_FLIGHT + 2; i++) {
                    threads.add(subscriber
                            .deliver(TestEvents.event("borrow-" + i))
                            .thenApply(outcome ->
                                    outcome + " on " + Thread.currentThread().getName())
                            .toCompletableFuture());
                }
                started.complete(null);
            });
            started.get(10, TimeUnit.SECONDS);
            CompletableFuture.allOf(threads.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

            String callerThread = threadOf(loops.context(caller));
            String ownThread = threadOf(loops.context(Math.floorMod(caller - 1, loops.all())));
            assertThat(callerThread).isNotEqualTo(ownThread);
            String delivered = DeliveryOutcome.delivered().toString();
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < HttpTarget.BORROW_BELOW_IN_FLIGHT; i++) {
                expected.add(delivered + " on " + callerThread); // answered on the loop that sent them
            }
            expected.add(delivered + " on " + ownThread); // the subscriber is busy now: its own loop
            expected.add(delivered + " on " + ownThread);
            assertThat(threads.stream().map(CompletableFuture::join)).containsExactlyElementsOf(expected);
        } finally {
            onLoops.close();
        }
    }

    private static String threadOf(io.vertx.core.Context context) throws Exception {
        CompletableFuture<String> thread = new CompletableFuture<>();
        context.runOnContext(ignored -> thread.complete(Thread.currentThread().getName()));
        return thread.get(10, TimeUnit.SECONDS);
    }

    @Test
    void shouldPostToTheSubscribersPathAndQueryWithItsHost() throws Exception {
        try (ScriptedSink sink = new ScriptedSink(vertx).otherwise(status(202))) {
            URI subscriber = sink.uri().resolve("/orders/eu%2Fwest?tenant=acme&note=a%20b");
            RetryingSink http = delivery.sink(subscriber, QUICK, HttpSinkOptions.binary(), ReplyPublisher.none());

            assertThat(deliver(http, TestEvents.event("to-path"))).isEqualTo(DeliveryOutcome.delivered());

            ScriptedSink.Received got = sink.received().get(0);
            assertThat(got.uri()).isEqualTo("/orders/eu%2Fwest?tenant=acme&note=a%20b");
            assertThat(got.header("Host")).isEqualTo(subscriber.getAuthority());
            assertThat(got.header("Prefer")).isEqualTo("reply");
        }
    }

    @Test
    void shouldSendTheSameExtensionHeadersForEveryEvent() throws Exception {
        // Extension header names are built once and kept: each event still carries its own values.
        try (ScriptedSink sink = new ScriptedSink(vertx).otherwise(status(202))) {
            RetryingSink http = delivery.sink(sink.uri(), QUICK, HttpSinkOptions.binary(), ReplyPublisher.none());
            for (int i = 0; i < 3; i++) {
                CloudEvent event = io.cloudevents.core.builder.CloudEventBuilder.v1(TestEvents.event("ext-" + i))
                        .withExtension("tenant", "t" + i)
                        .build();
                assertThat(deliver(http, event)).isEqualTo(DeliveryOutcome.delivered());
            }

            assertThat(sink.received())
                    .extracting(got -> got.header("ce-tenant"))
                    .containsExactly("t0", "t1", "t2");
        }
    }

    @Test
    void shouldRetryWithLinearBackoffUntilTheSinkTakesIt() throws Exception {
        try (ScriptedSink sink =
                new ScriptedSink(vertx).then(status(500), status(500)).otherwise(status(202))) {
            RetryingSink http = delivery.sink(sink.uri(), QUICK, HttpSinkOptions.binary(), ReplyPublisher.none());

            assertThat(deliver(http, TestEvents.event("e-1"))).isEqualTo(DeliveryOutcome.delivered());

            List<ScriptedSink.Received> got = sink.received();
            assertThat(got).hasSize(3);
            assertThat(millisBetween(got.get(0), got.get(1))).isBetween(45L, 1000L);
            assertThat(millisBetween(got.get(1), got.get(2))).isBetween(95L, 1100L);
            assertThat(got.get(0).header("ce-id")).isEqualTo("e-1");
            assertThat(got.get(0).header("Prefer")).isEqualTo("reply");
            assertThat(http.stats().retries()).isEqualTo(2);
        }
    }

    @Test
    void shouldDeadLetterWithKnativeErrorExtensionsWhenRetriesAreExhausted() throws Exception {
        try (ScriptedSink sink = new ScriptedSink(vertx).otherwise(status(503, "busy, try later"));
                ScriptedSink dead = new ScriptedSink(vertx)) {
            RetryingSink http = delivery.sink(
                    sink.uri(), QUICK.withDeadLetterSink(dead.uri()), HttpSinkOptions.binary(), ReplyPublisher.none());

            DeliveryOutcome outcome = deliver(http, TestEvents.event("e-2"));

            assertThat(outcome).isInstanceOf(DeliveryOutcome.DeadLettered.class);
            assertThat(sink.received()).hasSize(4); // the first try and three retries
            ScriptedSink.Received letter = dead.received().get(0);
            assertThat(letter.header("ce-id")).isEqualTo("e-2");
            assertThat(letter.header("ce-knativeerrordest"))
                    .isEqualTo(sink.uri().toString());
            assertThat(letter.header("ce-knativeerrorcode")).isEqualTo("503");
            assertThat(letter.header("ce-knativeerrordata"))
                    .isEqualTo(Base64.getEncoder().encodeToString("busy, try later".getBytes(StandardCharsets.UTF_8)));
            assertThat(letter.body())
                    .isEqualTo(TestEvents.event("e-2").getData().toBytes());
        }
    }

    @Test
    void shouldSendABadRequestStraightToTheDeadLetterSinkWithAtMost1KiBOfBody() throws Exception {
        String longBody = "x".repeat(3000);
        try (ScriptedSink sink = new ScriptedSink(vertx).otherwise(status(400, longBody));
                ScriptedSink dead = new ScriptedSink(vertx)) {
            RetryingSink http = delivery.sink(
                    sink.uri(), QUICK.withDeadLetterSink(dead.uri()), HttpSinkOptions.binary(), ReplyPublisher.none());

            assertThat(deliver(http, TestEvents.event("e-3"))).isInstanceOf(DeliveryOutcome.DeadLettered.class);
            assertThat(sink.received()).hasSize(1);
            String data = dead.received().get(0).header("ce-knativeerrordata");
            assertThat(Base64.getDecoder().decode(data)).hasSize(1024);
            assertThat(dead.received().get(0).header("ce-knativeerrorcode")).isEqualTo("400");
        }
    }

    @Test
    void shouldWaitAsLongAsRetryAfterAsks() throws Exception {
        try (ScriptedSink sink =
                new ScriptedSink(vertx).then(retryAfter(429, "1")).otherwise(status(202))) {
            RetryingSink http = delivery.sink(sink.uri(), QUICK, HttpSinkOptions.binary(), ReplyPublisher.none());

            assertThat(deliver(http, TestEvents.event("e-4"))).isEqualTo(DeliveryOutcome.delivered());
            List<ScriptedSink.Received> got = sink.received();
            assertThat(millisBetween(got.get(0), got.get(1))).isBetween(990L, 2500L);
        }
    }

    @Test
    void shouldCapRetryAfterByRetryAfterMax() throws Exception {
        try (ScriptedSink sink =
                new ScriptedSink(vertx).then(retryAfter(503, "30")).otherwise(status(202))) {
            RetryingSink http = delivery.sink(
                    sink.uri(),
                    QUICK.withRetryAfterMax(Duration.ofMillis(300)),
                    HttpSinkOptions.binary(),
                    ReplyPublisher.none());

            assertThat(deliver(http, TestEvents.event("e-5"))).isEqualTo(DeliveryOutcome.delivered());
            List<ScriptedSink.Received> got = sink.received();
            assertThat(millisBetween(got.get(0), got.get(1))).isBetween(290L, 2000L);
        }
    }

    @Test
    void shouldTimeOutAStalledAttemptAndDropWithoutADeadLetterSink() throws Exception {
        try (ScriptedSink sink = new ScriptedSink(vertx).otherwise(stall())) {
            RetryingSink http = delivery.sink(
                    sink.uri(),
                    QUICK.withRetry(1).withTimeout(Duration.ofMillis(200)),
                    HttpSinkOptions.binary(),
                    ReplyPublisher.none());

            DeliveryOutcome outcome = deliver(http, TestEvents.event("e-6"));

            assertThat(outcome).isInstanceOf(DeliveryOutcome.Dropped.class);
            assertThat(((DeliveryOutcome.Dropped) outcome).reason()).contains("retries exhausted");
            assertThat(sink.received()).hasSize(2);
            assertThat(http.stats().dropped()).isEqualTo(1);
        }
    }

    @Test
    void shouldRetryRefusedConnectionsAndDeadLetterThemAs500() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        URI nowhere = URI.create("http://127.0.0.1:" + closedPort + "/");
        try (ScriptedSink dead = new ScriptedSink(vertx)) {
            RetryingSink http = delivery.sink(
                    nowhere, QUICK.withDeadLetterSink(dead.uri()), HttpSinkOptions.binary(), ReplyPublisher.none());

            assertThat(deliver(http, TestEvents.event("e-7"))).isInstanceOf(DeliveryOutcome.DeadLettered.class);
            assertThat(http.stats().attempts()).isEqualTo(4);
            assertThat(dead.received().get(0).header("ce-knativeerrorcode")).isEqualTo("500");
            assertThat(dead.received().get(0).header("ce-knativeerrordest")).isEqualTo(nowhere.toString());
            assertThat(dead.received().get(0).header("ce-knativeerrordata")).isNull();
        }
    }

    @Test
    void shouldKeepRetryingADeadLetterSinkThatIsDownForAWhile() throws Exception {
        try (ScriptedSink sink = new ScriptedSink(vertx).otherwise(status(400));
                ScriptedSink dead = new ScriptedSink(vertx)
                        .then(status(500), status(503), status(500))
                        .otherwise(status(202))) {
            RetryingSink http = delivery.sink(
                    sink.uri(),
                    QUICK.withRetry(0).withDeadLetterSink(dead.uri()),
                    HttpSinkOptions.binary(),
                    ReplyPublisher.none());

            assertThat(deliver(http, TestEvents.event("e-8"))).isInstanceOf(DeliveryOutcome.DeadLettered.class);
            assertThat(dead.received()).hasSize(4);
            assertThat(http.stats().deadLetterFailures()).isEqualTo(3);
            assertThat(http.stats().deadLettered()).isEqualTo(1);
        }
    }

    @Test
    void shouldPublishA200ReplyWithTheTtlDecrementedAndHideTheTtlFromTheSubscriber() throws Exception {
        List<CloudEvent> replies = new CopyOnWriteArrayList<>();
        ReplyPublisher publisher = reply -> {
            replies.add(reply);
            return CompletableFuture.completedFuture(null);
        };
        try (ScriptedSink sink = new ScriptedSink(vertx)
                .then(replyBinary(200, "r-1", "com.example.reply"), replyStructured(200, "r-2", "com.example.reply"))) {
            RetryingSink http = delivery.sink(sink.uri(), QUICK, HttpSinkOptions.binary(), publisher);

            deliver(http, BrokerTtl.with(TestEvents.event("e-9"), 10));
            deliver(http, TestEvents.event("e-10"));

            assertThat(sink.received())
                    .allSatisfy(r -> assertThat(r.header("ce-knativebrokerttl")).isNull());
            assertThat(replies).extracting(CloudEvent::getId).containsExactly("r-1", "r-2");
            assertThat(replies).extracting(BrokerTtl::of).containsExactly(9, 254);
            assertThat(http.stats().replies()).isEqualTo(2);
        }
    }

    @Test
    void shouldNeverTreatA202BodyAsAReply() throws Exception {
        List<CloudEvent> replies = new CopyOnWriteArrayList<>();
        try (ScriptedSink sink = new ScriptedSink(vertx).otherwise(replyStructured(202, "r-3", "com.example.reply"))) {
            RetryingSink http = delivery.sink(sink.uri(), QUICK, HttpSinkOptions.binary(), reply -> {
                replies.add(reply);
                return CompletableFuture.completedFuture(null);
            });

            assertThat(deliver(http, TestEvents.event("e-11"))).isEqualTo(DeliveryOutcome.delivered());
            assertThat(replies).isEmpty();
        }
    }

    @Test
    void shouldStopAReplyLoopWhenTheTtlRunsOut() throws Exception {
        List<CloudEvent> replies = new CopyOnWriteArrayList<>();
        try (ScriptedSink sink = new ScriptedSink(vertx).otherwise(replyBinary(200, "again", "com.example.loop"))) {
            RetryingSink http = delivery.sink(sink.uri(), QUICK, HttpSinkOptions.binary(), reply -> {
                replies.add(reply);
                return CompletableFuture.completedFuture(null);
            });
            // Feed every reply back in, as the broker would, until the guard stops it.
            CloudEvent next = BrokerTtl.with(TestEvents.event("loop"), 5);
            for (int pass = 0; pass < 10 && next != null; pass++) {
                int before = replies.size();
                deliver(http, next);
                next = replies.size() > before ? replies.get(replies.size() - 1) : null;
            }

            assertThat(replies).extracting(BrokerTtl::of).containsExactly(4, 3, 2, 1);
            assertThat(http.stats().repliesDroppedByTtl()).isEqualTo(1);
        }
    }

    @Test
    void shouldRetryPublishingAReplyUntilItIsDurable() throws Exception {
        List<CloudEvent> replies = new CopyOnWriteArrayList<>();
        int[] refusals = {2};
        try (ScriptedSink sink = new ScriptedSink(vertx).otherwise(replyBinary(200, "r-4", "com.example.reply"))) {
            RetryingSink http = delivery.sink(sink.uri(), QUICK, HttpSinkOptions.binary(), reply -> {
                if (refusals[0]-- > 0) {
                    return CompletableFuture.failedFuture(new IllegalStateException("buffer full"));
                }
                replies.add(reply);
                return CompletableFuture.completedFuture(null);
            });

            assertThat(deliver(http, TestEvents.event("e-12"))).isEqualTo(DeliveryOutcome.delivered());
            assertThat(replies).hasSize(1);
            assertThat(sink.received()).hasSize(1); // the subscriber is not asked again
        }
    }

    @Test
    void shouldSendStructuredJsonWhenAsked() throws Exception {
        try (ScriptedSink sink = new ScriptedSink(vertx)) {
            RetryingSink http =
                    delivery.sink(sink.uri(), QUICK, HttpSinkOptions.structuredJson(), ReplyPublisher.none());

            deliver(http, TestEvents.event("e-13"));

            ScriptedSink.Received got = sink.received().get(0);
            assertThat(got.header("content-type")).startsWith("application/cloudevents+json");
            assertThat(new String(got.body(), StandardCharsets.UTF_8)).contains("\"id\":\"e-13\"");
        }
    }

    @Test
    void shouldParkWhatItCannotDeliverWhenThereIsNoDeadLetterSink() throws Exception {
        List<CloudEvent> parked = new CopyOnWriteArrayList<>();
        try (ScriptedSink sink = new ScriptedSink(vertx).otherwise(status(422, "no such order"))) {
            RetryingSink http =
                    delivery.sink(sink.uri(), QUICK, HttpSinkOptions.binary(), ReplyPublisher.none(), event -> {
                        parked.add(event);
                        return CompletableFuture.completedFuture(null);
                    });

            DeliveryOutcome outcome = deliver(http, TestEvents.event("p-1"));

            assertThat(outcome).isInstanceOf(DeliveryOutcome.DeadLettered.class);
            assertThat(((DeliveryOutcome.DeadLettered) outcome).reason()).startsWith("parked: HTTP 422");
            assertThat(parked).singleElement().satisfies(event -> {
                assertThat(event.getId()).isEqualTo("p-1");
                assertThat(event.getExtension("knativeerrorcode")).isEqualTo("422");
                assertThat(event.getExtension("knativeerrordata"))
                        .isEqualTo(
                                Base64.getEncoder().encodeToString("no such order".getBytes(StandardCharsets.UTF_8)));
            });
            assertThat(http.stats().parked()).isEqualTo(1);
            assertThat(http.stats().dropped()).isZero();
        }
    }

    @Test
    void shouldSpeakH2cWhenAsked() throws Exception {
        try (ScriptedSink sink = new ScriptedSink(vertx)) {
            RetryingSink http = delivery.sink(
                    sink.uri(),
                    QUICK,
                    HttpSinkOptions.binary().withProtocol(HttpSinkOptions.HttpProtocol.H2C),
                    ReplyPublisher.none());

            assertThat(deliver(http, TestEvents.event("h2"))).isEqualTo(DeliveryOutcome.delivered());
            assertThat(sink.received().get(0).version()).isEqualTo(io.vertx.core.http.HttpVersion.HTTP_2);
            assertThat(sink.received().get(0).header("ce-id")).isEqualTo("h2");
        }
    }

    @Test
    void shouldStopRetryingPastMaxEventAge() throws Exception {
        try (ScriptedSink sink = new ScriptedSink(vertx).otherwise(status(500))) {
            RetryingSink http = delivery.sink(
                    sink.uri(),
                    QUICK.withRetry(100).withMaxEventAge(Duration.ofMillis(300)),
                    HttpSinkOptions.binary(),
                    ReplyPublisher.none());

            DeliveryOutcome outcome = deliver(http, TestEvents.event("e-14"));

            assertThat(((DeliveryOutcome.Dropped) outcome).reason()).contains("maxEventAge");
            assertThat(sink.received().size()).isBetween(3, 6);
        }
    }
}
