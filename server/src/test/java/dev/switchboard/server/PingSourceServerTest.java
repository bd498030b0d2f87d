package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.server.config.ConfigLoader;
import dev.switchboard.server.config.ConfigProblem;
import dev.switchboard.server.config.InvalidConfigException;
import dev.switchboard.server.testing.RecordingHttpSink;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** PingSources through the real server: into a broker (and on to a trigger), and straight to a URL. */
@Timeout(60)
class PingSourceServerTest {
    @TempDir
    Path dir;

    @Test
    void shouldTickIntoABrokerAndStraightToAUrl() throws Exception {
        Vertx vertx = Vertx.vertx();
        RecordingHttpSink triggerSink = new RecordingHttpSink(vertx);
        RecordingHttpSink directSink = new RecordingHttpSink(vertx);
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
                  name: pings
                spec:
                  broker: default
                  filter:
                    attributes:
                      type: dev.knative.sources.ping
                  subscriber:
                    uri: http://127.0.0.1:%d/
                ---
                apiVersion: sources.knative.dev/v1
                kind: PingSource
                metadata:
                  name: heartbeat
                spec:
                  schedule: "@every 1s"
                  contentType: application/json
                  data: '{"message": "Hello world!"}'
                  ceOverrides:
                    extensions:
                      team: core
                  sink:
                    ref:
                      apiVersion: eventing.knative.dev/v1
                      kind: Broker
                      name: default
                ---
                apiVersion: sources.knative.dev/v1
                kind: PingSource
                metadata:
                  name: direct
                spec:
                  schedule: "@every 1s"
                  dataBase64: aGk=
                  sink:
                    uri: http://127.0.0.1:%d/
                """.formatted(triggerSink.port(), directSink.port()));
        try (SwitchboardServer server =
                SwitchboardServer.start(new SwitchboardServer.Options(config, dir.resolve("data"), 0))) {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(triggerSink.received()).hasSizeGreaterThanOrEqualTo(2);
                assertThat(directSink.received()).isNotEmpty();
            });
            RecordingHttpSink.Received ping = triggerSink.received().get(0);
            assertThat(ping.header("ce-type")).isEqualTo("dev.knative.sources.ping");
            assertThat(ping.header("ce-source")).isEqualTo("/apis/v1/namespaces/default/pingsources/heartbeat");
            assertThat(ping.header("ce-team")).isEqualTo("core");
            assertThat(directSink.received().get(0).header("ce-source"))
                    .isEqualTo("/apis/v1/namespaces/default/pingsources/direct");
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void shouldRefuseABadPingSourceWithFileAndLine() throws Exception {
        Path file = dir.resolve("ping.yaml");
        Files.writeString(file, """
                apiVersion: sources.knative.dev/v1
                kind: PingSource
                metadata:
                  name: broken
                spec:
                  schedule: "every minute"
                  timezone: Mars/Olympus
                  data: x
                  dataBase64: eA==
                  sink:
                    ref:
                      apiVersion: eventing.knative.dev/v1
                      kind: Broker
                      name: missing
                """);

        assertThatThrownBy(() -> ConfigLoader.load(dir))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems())
                        .extracting(ConfigProblem::toString)
                        .anySatisfy(p -> assertThat(p).startsWith(file + ":6: spec.schedule: not a cron schedule"))
                        .anySatisfy(p ->
                                assertThat(p).isEqualTo(file + ":7: spec.timezone: unknown time zone \"Mars/Olympus\""))
                        .anySatisfy(p -> assertThat(p)
                                .isEqualTo(file + ":9: spec.dataBase64: give data or dataBase64, not both"))
                        .anySatisfy(p -> assertThat(p)
                                .contains("spec.sink.ref: names broker default/missing, which is not defined")));
    }
}
