package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.server.testing.RecordingHttpSink;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Events a trigger could not deliver are parked, listed and redriven through the admin API. */
@Timeout(60)
class ParkedEventsTest {
    @TempDir
    Path dir;

    @Test
    void shouldParkListAndRedriveUndeliverableEvents() throws Exception {
        Vertx vertx = Vertx.vertx();
        RecordingHttpSink sink = new RecordingHttpSink(vertx);
        sink.answer(400, "unknown customer");
        Path config = Files.createDirectory(dir.resolve("config"));
        Files.writeString(config.resolve("all.yaml"), """
                apiVersion: eventing.knative.dev/v1
                kind: Broker
                metadata:
                  name: default
                ---
                apiVersion: eventing.knative.dev/v1
                kind: Trigger
                metadata:
                  name: orders
                spec:
                  broker: default
                  subscriber:
                    uri: %s
                """.formatted(sink.uri()));
        WebClient client = WebClient.create(vertx);
        try (SwitchboardServer server =
                SwitchboardServer.start(new SwitchboardServer.Options(config, dir.resolve("data"), 0))) {
            for (String id : List.of("x-1", "x-2")) {
                client.request(HttpMethod.POST, server.port(), "127.0.0.1", "/default/default")
                        .putHeader("ce-specversion", "1.0")
                        .putHeader("ce-id", id)
                        .putHeader("ce-type", "order.created")
                        .putHeader("ce-source", "/shop")
                        .sendBuffer(Buffer.buffer())
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get(10, TimeUnit.SECONDS);
            }

            // The trigger is unordered: the two events may be parked in either order.
            List<String> parkedOrder = new java.util.ArrayList<>();
            await().untilAsserted(() -> {
                JsonObject parked = get(client, server.port(), "/admin/triggers/default/orders/parked");
                assertThat(parked.getJsonArray("events")).hasSize(2);
                JsonObject first = parked.getJsonArray("events").getJsonObject(0);
                parkedOrder.clear();
                parked.getJsonArray("events").forEach(e -> parkedOrder.add(((JsonObject) e).getString("id")));
                assertThat(parkedOrder).containsExactlyInAnyOrder("x-1", "x-2");
                assertThat(first.getString("errorCode")).isEqualTo("400");
                assertThat(first.getString("errorDestination"))
                        .isEqualTo(sink.uri().toString());
            });
            assertThat(sink.received()).hasSize(2); // 400 is final: no retries

            sink.answer(202);
            JsonObject redrive = client.request(
                            HttpMethod.POST, server.port(), "127.0.0.1", "/admin/triggers/default/orders/redrive")
                    .send()
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS)
                    .bodyAsJsonObject();
            assertThat(redrive.getLong("redriving")).isEqualTo(2L);

            await().untilAsserted(() -> assertThat(sink.received()).hasSize(4));
            assertThat(sink.ids().subList(2, 4)).containsExactlyElementsOf(parkedOrder); // redriven in parked order
            assertThat(sink.received().get(2).header("ce-knativeerrorcode")).isNull();
            await().untilAsserted(() -> {
                JsonObject parked = get(client, server.port(), "/admin/triggers/default/orders/parked");
                assertThat(parked.getJsonArray("events")).isEmpty();
                assertThat(parked.getBoolean("redriving")).isFalse();
            });
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void shouldKeepParkedEventsAcrossARestartAndOpenNoLogForTriggersThatNeverPark() throws Exception {
        Vertx vertx = Vertx.vertx();
        RecordingHttpSink sink = new RecordingHttpSink(vertx);
        sink.answer(400, "unknown customer");
        Path config = Files.createDirectory(dir.resolve("config"));
        Files.writeString(config.resolve("all.yaml"), """
                apiVersion: eventing.knative.dev/v1
                kind: Broker
                metadata:
                  name: default
                ---
                apiVersion: eventing.knative.dev/v1
                kind: Trigger
                metadata:
                  name: orders
                spec:
                  broker: default
                  subscriber:
                    uri: %s
                ---
                apiVersion: eventing.knative.dev/v1
                kind: Trigger
                metadata:
                  name: quiet
                spec:
                  broker: default
                  filter:
                    attributes:
                      type: never.sent
                  subscriber:
                    uri: %s
                """.formatted(sink.uri(), sink.uri()));
        WebClient client = WebClient.create(vertx);
        try {
            try (SwitchboardServer server =
                    SwitchboardServer.start(new SwitchboardServer.Options(config, dir.resolve("data"), 0))) {
                client.request(HttpMethod.POST, server.port(), "127.0.0.1", "/default/default")
                        .putHeader("ce-specversion", "1.0")
                        .putHeader("ce-id", "x-1")
                        .putHeader("ce-type", "order.created")
                        .putHeader("ce-source", "/shop")
                        .sendBuffer(Buffer.buffer())
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get(10, TimeUnit.SECONDS);
                await().untilAsserted(
                                () -> assertThat(get(client, server.port(), "/admin/triggers/default/orders/parked")
                                                .getJsonArray("events"))
                                        .hasSize(1));
            }
            try (SwitchboardServer server =
                    SwitchboardServer.start(new SwitchboardServer.Options(config, dir.resolve("data"), 0))) {
                assertThat(get(client, server.port(), "/admin/triggers/default/orders/parked")
                                .getJsonArray("events"))
                        .hasSize(1);
                assertThat(get(client, server.port(), "/admin/triggers/default/quiet/parked")
                                .getJsonArray("events"))
                        .isEmpty();
            }
            try (dev.switchboard.core.Switchboard store = dev.switchboard.core.Switchboard.builder()
                    .dataDir(dir.resolve("data"))
                    .build()) {
                assertThat(store.hasStoredBroker("parked/default/orders")).isTrue();
                assertThat(store.hasStoredBroker("parked/default/quiet")).isFalse();
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private static JsonObject get(WebClient client, int port, String path) throws Exception {
        return client.request(HttpMethod.GET, port, "127.0.0.1", path)
                .send()
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS)
                .bodyAsJsonObject();
    }
}
