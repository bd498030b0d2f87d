package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.server.testing.RecordingHttpSink;
import dev.switchboard.source.mns.FakeMns;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** An MNSSource through the real server: queue messages become events at a trigger's subscriber. */
@Timeout(60)
class MnsSourceServerTest {
    @TempDir
    Path dir;

    @Test
    void shouldMoveQueueMessagesIntoTheBrokerAndDeleteThem() throws Exception {
        Vertx vertx = Vertx.vertx();
        FakeMns mns = new FakeMns(vertx, 2_000);
        RecordingHttpSink sink = new RecordingHttpSink(vertx);
        Path config = Files.createDirectory(dir.resolve("config"));
        Files.createDirectories(config.resolve("secrets/mns-keys"));
        Files.writeString(config.resolve("secrets/mns-keys/accessKeyId"), FakeMns.KEY_ID);
        Files.writeString(config.resolve("secrets/mns-keys/accessKeySecret"), FakeMns.SECRET);
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
                  name: queue-events
                spec:
                  broker: default
                  filter:
                    attributes:
                      type: "mns:Queue:SendMessage"
                  subscriber:
                    uri: %s
                ---
                apiVersion: sources.eventing.alibabacloud.com/v1alpha1
                kind: MNSSource
                metadata:
                  name: orders
                spec:
                  endpoint: %s
                  queueName: orders
                  accessKeyId:
                    secretKeyRef:
                      name: mns-keys
                      key: accessKeyId
                  accessKeySecret:
                    secretKeyRef:
                      name: mns-keys
                      key: accessKeySecret
                  batchSize: 8
                  waitSeconds: 1
                  base64Decode: true
                  sink:
                    ref:
                      apiVersion: eventing.knative.dev/v1
                      kind: Broker
                      name: default
                """.formatted(sink.uri(), mns.endpoint()));
        try (SwitchboardServer server =
                SwitchboardServer.start(new SwitchboardServer.Options(config, dir.resolve("data"), 0))) {
            mns.send("order-1");
            mns.send("order-2");
            mns.send("order-3");

            await().untilAsserted(() -> assertThat(sink.received()).hasSize(3));
            await().untilAsserted(() -> assertThat(mns.size()).isZero());
            assertThat(sink.received())
                    .extracting(r -> new String(r.body(), java.nio.charset.StandardCharsets.UTF_8))
                    .containsExactlyInAnyOrder("order-1", "order-2", "order-3");
            assertThat(sink.received().get(0).header("ce-source")).isEqualTo("acs:mns:::queues/orders");
        } finally {
            mns.close();
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
