package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.core.Broker;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Changing the configuration directory of a running server. */
@Timeout(90)
class ConfigReloadTest {
    @TempDir
    Path dir;

    private Vertx vertx;
    private WebClient client;
    private SwitchboardServer server;
    private Path config;
    private final List<String> upReceived = new CopyOnWriteArrayList<>();
    private final List<String> downReceived = new CopyOnWriteArrayList<>();
    private HttpServer up;
    private HttpServer down;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        client = WebClient.create(vertx);
        up = sink(upReceived, 202);
        down = sink(downReceived, 503);
        config = Files.createDirectory(dir.resolve("config"));
        writeTriggers("""
                - name: a
                  type: a.
                  port: %d
                - name: b
                  type: b.
                  port: %d
                """.formatted(up.actualPort(), down.actualPort()));
        server = SwitchboardServer.start(
                new SwitchboardServer.Options(config, dir.resolve("data"), 0, Duration.ofMillis(100)));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private HttpServer sink(List<String> received, int status) throws Exception {
        return vertx.createHttpServer()
                .requestHandler(request -> request.body().onSuccess(body -> {
                    received.add(request.getHeader("ce-id"));
                    request.response().setStatusCode(status).end();
                }))
                .listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    /** Writes the broker and one prefix trigger per entry ({@code name}, {@code type}, {@code port}). */
    private void writeTriggers(String entries) throws Exception {
        StringBuilder yaml = new StringBuilder("""
                apiVersion: eventing.knative.dev/v1
                kind: Broker
                metadata:
                  name: default
                spec:
                  delivery:
                    retry: 1000
                    backoffPolicy: linear
                    backoffDelay: PT0.05S
                """);
        String name = null;
        String type = null;
        for (String line : entries.strip().lines().toList()) {
            String trimmed = line.strip().replaceFirst("^- ", "");
            String value = trimmed.substring(trimmed.indexOf(':') + 1).strip();
            if (trimmed.startsWith("name:")) {
                name = value;
            } else if (trimmed.startsWith("type:")) {
                type = value;
            } else {
                yaml.append("""
                        ---
                        apiVersion: eventing.knative.dev/v1
                        kind: Trigger
                        metadata:
                          name: %s
                        spec:
                          broker: default
                          filters:
                            - prefix:
                                type: %s
                          subscriber:
                            uri: http://127.0.0.1:%s/
                        """.formatted(name, type, value));
            }
        }
        Path tmp = config.resolve("resources.yaml.tmp");
        Files.writeString(tmp, yaml);
        Files.move(
                tmp,
                config.resolve("resources.yaml"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private void publish(String id, String type) throws Exception {
        int status = client.request(HttpMethod.POST, server.port(), "127.0.0.1", "/default/default")
                .putHeaders(MultiMap.caseInsensitiveMultiMap()
                        .add("ce-specversion", "1.0")
                        .add("ce-id", id)
                        .add("ce-type", type)
                        .add("ce-source", "/reload"))
                .sendBuffer(Buffer.buffer())
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS)
                .statusCode();
        assertThat(status).isEqualTo(202);
    }

    @Test
    void shouldForgetTheCursorOfATriggerRemovedWhileTheServerWasDown() throws Exception {
        Broker broker = server.runtime().broker("default", "default").orElseThrow();
        assertThat(broker.subscriptionNames()).containsExactly("default/a", "default/b");
        server.close();

        writeTriggers("""
                - name: a
                  type: a.
                  port: %d
                """.formatted(up.actualPort()));
        server = SwitchboardServer.start(
                new SwitchboardServer.Options(config, dir.resolve("data"), 0, Duration.ofMillis(100)));

        Broker reopened = server.runtime().broker("default", "default").orElseThrow();
        assertThat(reopened.subscriptionNames())
                .as("b's cursor would hold back retention for good")
                .containsExactly("default/a");
    }

    @Test
    void shouldFindAnEditThatKeepsTheFilesSizeAndModificationTime() throws Exception {
        Path file = config.resolve("resources.yaml");
        java.nio.file.attribute.FileTime modified = Files.getLastModifiedTime(file);
        String yaml = Files.readString(file);
        // In place, the same length, and the clock set back: only the content tells.
        Files.writeString(file, yaml.replace("type: a.", "type: c."));
        Files.setLastModifiedTime(file, modified);

        // Until the content check comes round, trigger a still wants "a." events; then "c." ones.
        java.util.concurrent.atomic.AtomicInteger sent = new java.util.concurrent.atomic.AtomicInteger();
        await().untilAsserted(() -> {
            publish("c-" + sent.incrementAndGet(), "c.x");
            assertThat(upReceived).anyMatch(id -> id.startsWith("c-"));
        });
    }

    @Test
    void shouldLoseNothingWhenATriggerChangesUnderLoad() throws Exception {
        List<String> otherReceived = new CopyOnWriteArrayList<>();
        HttpServer other = sink(otherReceived, 202);
        writeTriggers("- name: b\n  type: b.\n  port: " + up.actualPort() + "\n");
        await().untilAsserted(() -> assertThat(server.runtime().triggers()).containsOnlyKeys("default/b"));

        List<String> accepted = new CopyOnWriteArrayList<>();
        AtomicBoolean loading = new AtomicBoolean(true);
        Thread load = new Thread(() -> {
            for (int n = 0; loading.get(); n++) {
                try {
                    publish("load-" + n, "b.x");
                    accepted.add("load-" + n);
                } catch (Exception | AssertionError e) {
                    return;
                }
            }
        });
        load.start();
        await().until(() -> accepted.size() > 50);
        writeTriggers("- name: b\n  type: b.\n  port: " + other.actualPort() + "\n");
        await().until(() -> otherReceived.size() > 50);
        loading.set(false);
        load.join();

        await().untilAsserted(() -> {
            Set<String> delivered = new HashSet<>(upReceived);
            delivered.addAll(otherReceived);
            assertThat(delivered).containsAll(accepted);
        });
    }

    @Test
    void shouldAddRemoveAndChangeTriggersWithoutLosingBufferedEvents() throws Exception {
        publish("a-1", "a.x");
        publish("b-1", "b.x"); // b's subscriber is down: b-1 stays unfinished
        await().untilAsserted(() -> {
            assertThat(upReceived).contains("a-1");
            assertThat(downReceived).contains("b-1");
        });

        // a removed, b moved to the healthy subscriber, c added.
        writeTriggers("""
                - name: b
                  type: b.
                  port: %d
                - name: c
                  type: c.
                  port: %d
                """.formatted(up.actualPort(), up.actualPort()));
        await().untilAsserted(() -> assertThat(server.runtime().triggers()).containsOnlyKeys("default/b", "default/c"));

        await().untilAsserted(() -> assertThat(upReceived).contains("b-1")); // buffered for b, not lost
        publish("a-2", "a.x");
        publish("c-1", "c.x");
        await().untilAsserted(() -> assertThat(upReceived).contains("c-1"));
        assertThat(upReceived).doesNotContain("a-2");

        // An invalid change is rejected whole; the running configuration stays.
        Files.writeString(
                config.resolve("broken.yaml"), "apiVersion: eventing.knative.dev/v1\nkind: Trigger\nmetadata: {}\n");
        publish("b-2", "b.x");
        await().untilAsserted(() -> assertThat(upReceived).contains("b-2"));
        assertThat(server.runtime().triggers()).containsOnlyKeys("default/b", "default/c");
    }
}
