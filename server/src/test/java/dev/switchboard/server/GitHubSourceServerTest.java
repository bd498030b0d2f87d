package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.core.testing.SharedTestData;
import dev.switchboard.server.config.ConfigLoader;
import dev.switchboard.server.config.ConfigProblem;
import dev.switchboard.server.config.InvalidConfigException;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A GitHubSource through the real server: signed deliveries in, CloudEvents out to a trigger. */
@Timeout(60)
class GitHubSourceServerTest {
    @TempDir
    Path dir;

    private static final String SOURCE = """
            apiVersion: sources.knative.dev/v1alpha1
            kind: GitHubSource
            metadata:
              name: hello-world
            spec:
              eventTypes:
                - push
                - pull_request
              ownerAndRepository: Codertocat/Hello-World
              accessToken:
                secretKeyRef:
                  name: github-secret
                  key: accessToken
              secretToken:
                secretKeyRef:
                  name: github-secret
                  key: secretToken
              sink:
                ref:
                  apiVersion: eventing.knative.dev/v1
                  kind: Broker
                  name: default
            """;

    @Test
    void shouldTurnSignedDeliveriesIntoEvents() throws Exception {
        Vertx vertx = Vertx.vertx();
        List<MultiMap> received = new CopyOnWriteArrayList<>();
        HttpServer sink = vertx.createHttpServer()
                .requestHandler(request -> request.body().onSuccess(body -> {
                    received.add(MultiMap.caseInsensitiveMultiMap().addAll(request.headers()));
                    request.response().setStatusCode(202).end();
                }))
                .listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        Path config = Files.createDirectory(dir.resolve("config"));
        Files.createDirectories(config.resolve("secrets/github-secret"));
        Files.writeString(config.resolve("secrets/github-secret/secretToken"), "s3cret");
        Files.writeString(config.resolve("switchboard.yaml"), "secrets:\n  directory: secrets\n");
        Files.writeString(config.resolve("all.yaml"), """
                apiVersion: eventing.knative.dev/v1
                kind: Broker
                metadata:
                  name: default
                ---
                apiVersion: eventing.knative.dev/v1
                kind: Trigger
                metadata:
                  name: github
                spec:
                  broker: default
                  filters:
                    - prefix:
                        type: dev.knative.source.github.
                  subscriber:
                    uri: http://127.0.0.1:%d/
                ---
                """.formatted(sink.actualPort()) + SOURCE);
        byte[] push = Files.readAllBytes(SharedTestData.resolve("github-webhooks/push/with-new-branch.payload.json"));
        WebClient client = WebClient.create(vertx);
        try (SwitchboardServer server =
                SwitchboardServer.start(new SwitchboardServer.Options(config, dir.resolve("data"), 0))) {
            assertThat(deliver(client, server.port(), "hello-world", "push", push, sign("s3cret", push))
                            .statusCode())
                    .isEqualTo(202);
            await().untilAsserted(() -> assertThat(received).hasSize(1));
            assertThat(received.get(0).get("ce-type")).isEqualTo("dev.knative.source.github.push");
            assertThat(received.get(0).get("ce-subject")).isEqualTo("6113728f27ae82c7b1a177c8d03f9e96e0adf246");
            assertThat(received.get(0).get("ce-source")).isEqualTo("https://github.com/Codertocat/Hello-World");

            HttpResponse<Buffer> unsigned = deliver(client, server.port(), "hello-world", "push", push, null);
            assertThat(unsigned.statusCode()).isEqualTo(401);
            assertThat(unsigned.bodyAsJsonObject().getString("detail")).contains("signature");
            assertThat(deliver(client, server.port(), "hello-world", "issues", push, sign("s3cret", push))
                            .statusCode())
                    .isEqualTo(202);
            assertThat(deliver(client, server.port(), "nope", "push", push, null)
                            .statusCode())
                    .isEqualTo(404);
            String metrics = client.request(HttpMethod.GET, server.port(), "127.0.0.1", "/metrics")
                    .send()
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS)
                    .bodyAsString();
            assertThat(metrics)
                    .contains("switchboard_source_skipped_total{source=\"GitHubSource default/hello-world\"} 1.0");
            assertThat(received).hasSize(1);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void shouldRefuseASourceWhoseSecretCannotBeFound() throws Exception {
        Path file = dir.resolve("all.yaml");
        Files.writeString(file, """
                apiVersion: eventing.knative.dev/v1
                kind: Broker
                metadata:
                  name: default
                ---
                """ + SOURCE);

        assertThatThrownBy(() -> ConfigLoader.load(dir, Map.<String, String>of()::get))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems())
                        .extracting(ConfigProblem::toString)
                        .containsExactly(
                                file + ":21: spec.secretToken.secretKeyRef.name: secret github-secret/secretToken"
                                        + " not found: set SWITCHBOARD_SECRET_GITHUB_SECRET_SECRETTOKEN"));
        assertThat(ConfigLoader.load(dir, Map.of("SWITCHBOARD_SECRET_GITHUB_SECRET_SECRETTOKEN", "x")::get)
                        .sources(dev.switchboard.server.config.GitHubSourceResource.class))
                .hasSize(1);
    }

    private static HttpResponse<Buffer> deliver(
            WebClient client, int port, String name, String event, byte[] body, String signature) throws Exception {
        var request = client.request(HttpMethod.POST, port, "127.0.0.1", "/sources/default/" + name)
                .putHeader("X-GitHub-Event", event)
                .putHeader("X-GitHub-Delivery", "d-" + event)
                .putHeader("content-type", "application/json");
        if (signature != null) {
            request.putHeader("X-Hub-Signature-256", signature);
        }
        return request.sendBuffer(Buffer.buffer(body))
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    private static String sign(String secret, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    }
}
