package dev.switchboard.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.server.SwitchboardServer;
import dev.switchboard.server.testing.RecordingHttpSink;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The server in this JVM, configured by YAML, with real HTTP subscribers. */
@Timeout(60)
class IngressTest {
    @TempDir
    Path dir;

    private Vertx vertx;
    private WebClient client;
    private RecordingHttpSink sink;
    private RecordingHttpSink slow;
    private SwitchboardServer server;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        client = WebClient.create(vertx);
        sink = new RecordingHttpSink(vertx);
        slow = new RecordingHttpSink(vertx);
        slow.answer(0);
        Path config = Files.createDirectory(dir.resolve("config"));
        Files.writeString(config.resolve("switchboard.yaml"), """
                addresses:
                  default/processor: %s
                ingress:
                  maxBodyBytes: 65536
                """.formatted(sink.uri()));
        Files.writeString(config.resolve("resources.yaml"), """
                apiVersion: eventing.knative.dev/v1
                kind: Broker
                metadata:
                  name: default
                ---
                apiVersion: eventing.knative.dev/v1
                kind: Broker
                metadata:
                  name: tiny
                  annotations:
                    switchboard.dev/buffer-limit-bytes: "20000"
                ---
                apiVersion: eventing.knative.dev/v1
                kind: Trigger
                metadata:
                  name: orders
                spec:
                  broker: default
                  filters:
                    - prefix:
                        type: com.example.
                  subscriber:
                    ref:
                      kind: Service
                      name: processor
                ---
                apiVersion: eventing.knative.dev/v1
                kind: Trigger
                metadata:
                  name: stuck
                spec:
                  broker: tiny
                  subscriber:
                    uri: %s
                  delivery:
                    timeout: PT30S
                """.formatted(slow.uri()));
        server = SwitchboardServer.start(new SwitchboardServer.Options(config, dir.resolve("data"), 0));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        sink.close();
        slow.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private HttpResponse<Buffer> post(String path, MultiMap headers, String body) throws Exception {
        return post(path, headers, Buffer.buffer(body));
    }

    private HttpResponse<Buffer> post(String path, MultiMap headers, Buffer body) throws Exception {
        return client.request(HttpMethod.POST, server.port(), "127.0.0.1", path)
                .putHeaders(headers)
                .sendBuffer(body)
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    private static MultiMap binary(String id, String type) {
        return MultiMap.caseInsensitiveMultiMap()
                .add("ce-specversion", "1.0")
                .add("ce-id", id)
                .add("ce-type", type)
                .add("ce-source", "/tests")
                .add("content-type", "application/json");
    }

    private static String structured(String id, String type) {
        return new JsonObject()
                .put("specversion", "1.0")
                .put("id", id)
                .put("type", type)
                .put("source", "/tests")
                .put("data", new JsonObject().put("n", 1))
                .encode();
    }

    /** Every event the default broker holds, by id: a read is a page, so read until the end. */
    private java.util.Map<String, io.cloudevents.CloudEvent> storedEvents() {
        var broker = server.runtime().broker("default", "default").orElseThrow();
        java.util.Map<String, io.cloudevents.CloudEvent> events = new java.util.HashMap<>();
        for (long next = 0; next < broker.stats().endOffset(); ) {
            var page = broker.read(next, 100);
            assertThat(page).isNotEmpty();
            page.forEach(stored -> events.put(stored.event().getId(), stored.event()));
            next = page.get(page.size() - 1).offset() + 1;
        }
        return events;
    }

    private static MultiMap contentType(String value) {
        return MultiMap.caseInsensitiveMultiMap().add("content-type", value);
    }

    @Test
    void shouldAcceptAllThreeContentModesAndDeliverThem() throws Exception {
        java.time.OffsetDateTime startedAt = java.time.OffsetDateTime.now().withNano(0);
        assertThat(post("/default/default", binary("b-1", "com.example.a"), "{\"n\":1}")
                        .statusCode())
                .isEqualTo(202);
        assertThat(post(
                                "/default/default",
                                contentType("application/cloudevents+json"),
                                structured("s-1", "com.example.b"))
                        .statusCode())
                .isEqualTo(202);
        String batch = "[" + structured("batch-1", "com.example.c") + "," + structured("batch-2", "org.other.d") + "]";
        assertThat(post("/default/default", contentType("application/cloudevents-batch+json"), batch)
                        .statusCode())
                .isEqualTo(202);

        await().untilAsserted(() -> assertThat(sink.ids()).containsExactlyInAnyOrder("b-1", "s-1", "batch-1"));
        RecordingHttpSink.Received first = sink.received().stream()
                .filter(r -> r.headers().get("ce-id").equals("b-1"))
                .findFirst()
                .orElseThrow();
        // An RFC 3339 time in UTC, taken as the event arrived.
        assertThat(java.time.OffsetDateTime.parse(first.headers().get("ce-knativearrivaltime")))
                .isBetween(startedAt, java.time.OffsetDateTime.now());
        assertThat(first.headers().get("ce-knativebrokerttl")).isNull();
        assertThat(first.body()).isEqualTo("{\"n\":1}".getBytes());
    }

    @Test
    void shouldStoreEveryEventOfManyConnectionsBeforeAnsweringAndRefuseOnlyTheBadOnes() throws Exception {
        // Sixteen connections at once: the event loop reads many requests a turn and writes them as
        // one group (PublishGroup); a bad event among them is refused alone.
        WebClient connections = WebClient.create(vertx, new WebClientOptions().setMaxPoolSize(16));
        List<Future<HttpResponse<Buffer>>> answers = new ArrayList<>();
        for (int i = 0; i < 800; i++) {
            MultiMap headers = i % 100 == 99 ? binary("", "org.other.many") : binary("m-" + i, "org.other.many");
            answers.add(connections
                    .request(HttpMethod.POST, server.port(), "127.0.0.1", "/default/default")
                    .putHeaders(headers)
                    .sendBuffer(Buffer.buffer("{\"n\":" + i + "}")));
        }
        Future.join(answers).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);

        for (int i = 0; i < 800; i++) {
            assertThat(answers.get(i).result().statusCode()).isEqualTo(i % 100 == 99 ? 400 : 202);
        }
        // Every 202 was durable when it was sent: all of them are stored, and nothing else.
        var stored = storedEvents();
        assertThat(stored).hasSize(792);
        assertThat(stored.get("m-798").getData().toBytes()).isEqualTo("{\"n\":798}".getBytes());
        connections.close();
    }

    @Test
    void shouldStoreATtlOnlyWhereItDiffersFromTheDefault() throws Exception {
        assertThat(post("/default/default", binary("ttl-none", "com.example.a"), "{}")
                        .statusCode())
                .isEqualTo(202);
        assertThat(post("/default/default", binary("ttl-255", "com.example.a").add("ce-knativebrokerttl", "255"), "{}")
                        .statusCode())
                .isEqualTo(202);
        assertThat(post("/default/default", binary("ttl-7", "com.example.a").add("ce-knativebrokerttl", "7"), "{}")
                        .statusCode())
                .isEqualTo(202);

        // In a batch the TTL can be a JSON number.
        String batch = "["
                + new JsonObject(structured("ttl-9", "com.example.a"))
                        .put("knativebrokerttl", 9)
                        .encode()
                + ","
                + new JsonObject(structured("ttl-255-json", "com.example.a"))
                        .put("knativebrokerttl", 255)
                        .encode()
                + "]";
        assertThat(post("/default/default", contentType("application/cloudevents-batch+json"), batch)
                        .statusCode())
                .isEqualTo(202);

        var stored = storedEvents();
        // Absent means 255 (BrokerTtl.of), so an event at the default needs no copy to hide it later.
        assertThat(stored.get("ttl-none").getExtension("knativebrokerttl")).isNull();
        assertThat(stored.get("ttl-255").getExtension("knativebrokerttl")).isNull();
        assertThat(stored.get("ttl-255-json").getExtension("knativebrokerttl")).isNull();
        assertThat(stored.get("ttl-7").getExtension("knativebrokerttl")).isEqualTo(7);
        assertThat(stored.get("ttl-9").getExtension("knativebrokerttl")).isEqualTo(9);
        assertThat(stored.values()).allSatisfy(event -> assertThat(event.getExtension("knativearrivaltime"))
                .isNotNull());
        await().untilAsserted(() -> assertThat(sink.ids()).contains("ttl-none", "ttl-255", "ttl-7", "ttl-9"));
        assertThat(sink.received()).allSatisfy(r -> assertThat(r.headers().get("ce-knativebrokerttl"))
                .isNull());
    }

    @Test
    void shouldRefuseInvalidEventsWithAJsonReason() throws Exception {
        MultiMap noId = binary("x", "com.example.a");
        noId.remove("ce-id");
        assertProblem(post("/default/default", noId, "{}"), 400, "id");

        assertProblem(post("/default/default", binary("", "com.example.a"), "{}"), 400, "id must not be empty");
        assertProblem(
                post("/default/default", binary("x", "com.example.a").set("ce-specversion", "0.3"), "{}"),
                400,
                "specversion");
        assertProblem(
                post("/default/default", binary("x", "com.example.a").set("ce-specversion", "9.9"), "{}"), 400, "");
        assertProblem(post("/default/default", contentType("application/cloudevents+json"), "{not json"), 400, "");
        assertProblem(
                post(
                        "/default/default",
                        contentType("application/cloudevents+json"),
                        structured("x", "t").replace("\"id\"", "\"Bad_Ext\":\"v\",\"id\"")),
                400,
                "Bad_Ext");
        assertProblem(
                post("/default/default", binary("x", "t").add("ce-abcdefghijklmnopqrstu", "v"), "{}"),
                400,
                "\"abcdefghijklmnopqrstu\" must be 1-20 lower-case letters or digits");
        assertProblem(post("/default/default", contentType("application/cloudevents-batch+json"), "[]"), 400, "empty");
        assertProblem(
                post(
                        "/default/default",
                        contentType("application/cloudevents-batch+json"),
                        "[" + structured("ok", "t") + ",{\"specversion\":\"1.0\"}]"),
                400,
                "batch element 1");
        assertProblem(post("/default/default", binary("x", "t").add("ce-knativebrokerttl", "0"), "{}"), 400, "looped");
        assertProblem(
                post(
                        "/default/default",
                        contentType("application/cloudevents-batch+json"),
                        "["
                                + new JsonObject(structured("y", "t"))
                                        .put("knativebrokerttl", 0)
                                        .encode() + "]"),
                400,
                "batch element 0: knativebrokerttl is 0");
        // JSON whose bytes are not UTF-8 could be stored but never read back: refused, not lost later.
        assertProblem(
                post("/default/default", binary("latin-1", "t"), Buffer.buffer(new byte[] {'"', (byte) 0xE9, '"'})),
                400,
                "not valid UTF-8");
        assertThat(sink.received()).isEmpty();
    }

    @Test
    void shouldAnswerUnknownBrokerMethodSizeAndMediaType() throws Exception {
        assertProblem(post("/default/nope", binary("x", "t"), "{}"), 404, "default/nope");
        assertProblem(post("/default/default", contentType("text/plain"), "hello"), 415, "not a CloudEvent");
        assertProblem(post("/default/default", binary("big", "t"), "x".repeat(70_000)), 413, "65536");

        HttpResponse<Buffer> get = client.request(HttpMethod.GET, server.port(), "127.0.0.1", "/default/default")
                .send()
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        assertProblem(get, 405, "GET");
        assertThat(get.getHeader("Allow")).isEqualTo("POST, OPTIONS");

        HttpResponse<Buffer> options = client.request(
                        HttpMethod.OPTIONS, server.port(), "127.0.0.1", "/default/default")
                .putHeader("WebHook-Request-Origin", "eventemitter.example.com")
                .send()
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        assertThat(options.statusCode()).isEqualTo(200);
        assertThat(options.getHeader("WebHook-Allowed-Origin")).isEqualTo("eventemitter.example.com");
    }

    @Test
    void shouldRefuseAChunkedBodyOverTheLimitOnceItPassesIt() throws Exception {
        HttpClient raw = vertx.createHttpClient();
        try {
            HttpClientResponse[] response = new HttpClientResponse[1];
            Buffer body = raw.request(HttpMethod.POST, server.port(), "127.0.0.1", "/default/default")
                    .compose(request -> {
                        binary("chunked", "com.example.a").forEach(request::putHeader);
                        request.setChunked(true);
                        for (int i = 0; i < 20; i++) {
                            request.write("x".repeat(4096));
                        }
                        return request.end().compose(done -> request.response());
                    })
                    .compose(answer -> {
                        response[0] = answer;
                        return answer.body();
                    })
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);

            assertThat(response[0].statusCode()).isEqualTo(413);
            assertThat(body.toJsonObject().getString("detail")).contains("65536");
        } finally {
            raw.close();
        }
        assertThat(post("/default/default", binary("after", "com.example.a"), "{}")
                        .statusCode())
                .isEqualTo(202);
        await().untilAsserted(() -> assertThat(sink.ids()).containsExactly("after"));
    }

    @Test
    void shouldAnswerPathsTheRouterDecodesAsPlainOnes() throws Exception {
        // "%64" is "d": the router's route takes it, plain paths the direct one; both store the event.
        assertThat(post("/default/%64efault", binary("escaped", "com.example.a"), "{}")
                        .statusCode())
                .isEqualTo(202);
        assertThat(post("/default/default", binary("plain", "com.example.a"), "{}")
                        .statusCode())
                .isEqualTo(202);
        assertProblem(post("/default/%6eope", binary("x", "t"), "{}"), 404, "default/nope");
        assertProblem(post("/default/nope", binary("x", "t"), "{}"), 404, "default/nope");
        // No body at all: an event without data, either way.
        assertThat(post("/default/%64efault", binary("empty-escaped", "com.example.a"), "")
                        .statusCode())
                .isEqualTo(202);
        assertThat(post("/default/default", binary("empty-plain", "com.example.a"), "")
                        .statusCode())
                .isEqualTo(202);

        // Unordered delivery: the sink may see them in any order.
        await().untilAsserted(() ->
                assertThat(sink.ids()).containsExactlyInAnyOrder("escaped", "plain", "empty-escaped", "empty-plain"));
        RecordingHttpSink.Received escaped = received("empty-escaped");
        RecordingHttpSink.Received plain = received("empty-plain");
        assertThat(escaped.body()).isEqualTo(plain.body());
        assertThat(escaped.header("content-type")).isEqualTo(plain.header("content-type"));
    }

    private RecordingHttpSink.Received received(String id) {
        return sink.received().stream()
                .filter(r -> id.equals(r.header("ce-id")))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void shouldTakeOnlyPlainTwoSegmentPathsPastTheRouter() {
        assertThat(IngressRequests.brokerPathSplit("/default/orders")).isEqualTo(8);
        assertThat(IngressRequests.brokerPathSplit("/a/b")).isEqualTo(2);
        for (String other : new String[] {"/", "/a", "/a/", "//b", "/a//", "/a/b/", "/a/b/c", "/a/%62", "a/b", ""}) {
            assertThat(IngressRequests.brokerPathSplit(other)).as(other).isEqualTo(-1);
        }
    }

    @Test
    void shouldPushBackWith429AndRetryAfterWhenTheBufferIsFull() throws Exception {
        HttpResponse<Buffer> response = null;
        String kib = "x".repeat(1024);
        for (int i = 0; i < 500; i++) {
            response = post("/default/tiny", binary("e-" + i, "t"), kib);
            if (response.statusCode() != 202) {
                break;
            }
        }
        assertProblem(response, 429, "buffer limit");
        assertThat(response.getHeader("Retry-After")).isEqualTo("1");
    }

    @Test
    void shouldExposePrometheusMetricsPerBrokerAndTrigger() throws Exception {
        post("/default/default", binary("m-1", "com.example.a"), "{}");
        post("/default/default", binary("", "com.example.a"), "{}");
        await().untilAsserted(() -> assertThat(sink.ids()).contains("m-1"));

        await().untilAsserted(() -> {
            String metrics = client.request(HttpMethod.GET, server.port(), "127.0.0.1", "/metrics")
                    .send()
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS)
                    .bodyAsString();
            assertThat(metrics)
                    .contains(
                            "switchboard_ingress_events_total{broker=\"default/default\",outcome=\"accepted\",reason=\"\"} 1.0")
                    .contains(
                            "switchboard_ingress_events_total{broker=\"default/default\",outcome=\"rejected\",reason=\"invalid_event\"} 1.0")
                    .contains(
                            "switchboard_delivery_delivered_total{broker=\"default/default\",trigger=\"default/orders\"} 1.0")
                    .contains(
                            "switchboard_delivery_latency_seconds_bucket{broker=\"default/default\",trigger=\"default/orders\"")
                    .contains(
                            "switchboard_trigger_lag_events{broker=\"default/default\",trigger=\"default/orders\"} 0.0")
                    .contains(
                            "switchboard_trigger_lag_seconds{broker=\"default/default\",trigger=\"default/orders\"} 0.0")
                    .contains("switchboard_broker_log_end_offset{broker=\"default/default\"} 1.0");
        });
    }

    private HttpResponse<Buffer> admin(HttpMethod method, String path, MultiMap headers, String body) throws Exception {
        return client.request(method, server.port(), "127.0.0.1", path)
                .putHeaders(headers)
                .sendBuffer(Buffer.buffer(body))
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    @Test
    void shouldListExplainPauseResumeAndReplayThroughTheAdminApi() throws Exception {
        post("/default/default", binary("a-1", "com.example.a"), "{}");
        await().untilAsserted(() -> assertThat(sink.ids()).containsExactly("a-1"));

        var triggers = admin(HttpMethod.GET, "/admin/triggers", MultiMap.caseInsensitiveMultiMap(), "")
                .bodyAsJsonArray();
        assertThat(triggers).hasSize(2);
        assertThat(triggers.getJsonObject(0).getString("name")).isEqualTo("default/orders");
        assertThat(triggers.getJsonObject(0).getLong("committedOffset")).isEqualTo(1L);
        var brokers = admin(HttpMethod.GET, "/admin/brokers", MultiMap.caseInsensitiveMultiMap(), "")
                .bodyAsJsonArray();
        assertThat(brokers.getJsonObject(0).getString("name")).isEqualTo("default/default");

        var explained = admin(
                        HttpMethod.POST, "/admin/brokers/default/default/explain", binary("x", "org.other.z"), "{}")
                .bodyAsJsonObject()
                .getJsonArray("triggers")
                .getJsonObject(0);
        assertThat(explained.getBoolean("matches")).isFalse();
        assertThat(explained.getString("reason"))
                .isEqualTo("spec.filters[0].prefix.type: \"org.other.z\" does not start with \"com.example.\"");

        assertThat(admin(
                                HttpMethod.POST,
                                "/admin/triggers/default/orders/pause",
                                MultiMap.caseInsensitiveMultiMap(),
                                "")
                        .bodyAsJsonObject()
                        .getBoolean("paused"))
                .isTrue();
        post("/default/default", binary("a-2", "com.example.a"), "{}");
        await().during(java.time.Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(sink.ids()).hasSize(1));
        admin(HttpMethod.POST, "/admin/triggers/default/orders/resume", MultiMap.caseInsensitiveMultiMap(), "");
        await().untilAsserted(() -> assertThat(sink.ids()).containsExactlyInAnyOrder("a-1", "a-2"));

        var replay = admin(
                HttpMethod.POST,
                "/admin/triggers/default/orders/replay?offset=0",
                MultiMap.caseInsensitiveMultiMap(),
                "");
        assertThat(replay.bodyAsJsonObject().getLong("replayFrom")).isZero();
        // Unordered trigger: the replayed pair may arrive in either order.
        await().untilAsserted(() -> assertThat(sink.ids()).hasSize(4));
        assertThat(sink.ids().subList(2, 4)).containsExactlyInAnyOrder("a-1", "a-2");
        assertProblem(
                admin(HttpMethod.POST, "/admin/triggers/default/nope/pause", MultiMap.caseInsensitiveMultiMap(), ""),
                404,
                "default/nope");
        assertProblem(
                admin(
                        HttpMethod.POST,
                        "/admin/triggers/default/orders/replay?offset=x",
                        MultiMap.caseInsensitiveMultiMap(),
                        ""),
                400,
                "unreadable");
    }

    @Test
    void shouldAnswer503WhileDraining() throws Exception {
        server.stopAccepting();

        HttpResponse<Buffer> response = post("/default/default", binary("late", "com.example.a"), "{}");
        assertProblem(response, 503, "shutting down");
        assertThat(response.getHeader("Retry-After")).isEqualTo("1");
        assertThat(client.request(HttpMethod.GET, server.port(), "127.0.0.1", "/readyz")
                        .send()
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get(10, TimeUnit.SECONDS)
                        .statusCode())
                .isEqualTo(503);
    }

    @Test
    void shouldBeHealthyAndReady() throws Exception {
        for (String path : new String[] {"/healthz", "/readyz"}) {
            HttpResponse<Buffer> response = client.request(HttpMethod.GET, server.port(), "127.0.0.1", path)
                    .send()
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            assertThat(response.statusCode()).as(path).isEqualTo(200);
        }
    }

    private static void assertProblem(HttpResponse<Buffer> response, int status, String detail) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.getHeader("content-type")).isEqualTo("application/json");
        JsonObject body = response.bodyAsJsonObject();
        assertThat(body.getString("error")).isNotBlank();
        assertThat(body.getString("detail")).contains(detail);
    }
}
