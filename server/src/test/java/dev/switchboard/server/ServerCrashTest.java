package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.server.testing.ServerProcess;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server as a child process, killed with SIGKILL under load and restarted on the same data
 * directory: every event it answered 202 reaches the subscriber.
 */
@Timeout(180)
class ServerCrashTest {
    @TempDir
    Path dir;

    @Test
    void shouldDeliverEveryAcceptedEventAfterASigkill() throws Exception {
        Vertx vertx = Vertx.vertx();
        Set<String> delivered = ConcurrentHashMap.newKeySet();
        HttpServer sink = vertx.createHttpServer()
                .requestHandler(request -> request.body().onSuccess(body -> {
                    delivered.add(request.getHeader("ce-id"));
                    request.response().setStatusCode(202).end();
                }))
                .listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        Path config = Files.createDirectory(dir.resolve("config"));
        Files.writeString(config.resolve("resources.yaml"), """
                apiVersion: eventing.knative.dev/v1
                kind: Broker
                metadata:
                  name: default
                ---
                apiVersion: eventing.knative.dev/v1
                kind: Trigger
                metadata:
                  name: everything
                spec:
                  broker: default
                  subscriber:
                    uri: http://127.0.0.1:%d/
                """.formatted(sink.actualPort()));
        Path data = dir.resolve("data");
        WebClient client = WebClient.create(vertx);
        Set<String> accepted = ConcurrentHashMap.newKeySet();
        try {
            ServerProcess first = ServerProcess.start(config, data);
            // Load: 8 concurrent posters until well past 500 acceptances, then SIGKILL mid-stream.
            List<CompletableFuture<Void>> posters = new ArrayList<>();
            for (int p = 0; p < 8; p++) {
                int poster = p;
                posters.add(CompletableFuture.runAsync(() -> post(client, first.port(), "p" + poster, accepted)));
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> accepted.size() >= 500);
            assertThat(first.kill()).isEqualTo(137);
            CompletableFuture.allOf(posters.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

            try (ServerProcess second = ServerProcess.start(config, data)) {
                await().atMost(Duration.ofSeconds(60))
                        .untilAsserted(() -> assertThat(delivered).containsAll(accepted));
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /** Posts events one after another until the server stops answering. */
    private static void post(WebClient client, int port, String prefix, Set<String> accepted) {
        for (int n = 0; ; n++) {
            String id = prefix + "-" + n;
            MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                    .add("ce-specversion", "1.0")
                    .add("ce-id", id)
                    .add("ce-type", "crash.test")
                    .add("ce-source", "/crash")
                    .add("content-type", "application/octet-stream");
            try {
                Future<io.vertx.ext.web.client.HttpResponse<Buffer>> response = client.request(
                                HttpMethod.POST, port, "127.0.0.1", "/default/default")
                        .putHeaders(headers)
                        .timeout(5_000)
                        .sendBuffer(Buffer.buffer(new byte[512]));
                int status = response.toCompletionStage()
                        .toCompletableFuture()
                        .get(10, TimeUnit.SECONDS)
                        .statusCode();
                if (status == 202) {
                    accepted.add(id);
                }
            } catch (Exception e) {
                return; // the server is gone
            }
        }
    }
}
