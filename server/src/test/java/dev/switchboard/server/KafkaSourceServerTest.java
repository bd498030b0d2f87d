package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.server.testing.RecordingHttpSink;
import dev.switchboard.testing.kafka.KafkaBroker;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** KafkaSources through the real server, against a real Kafka broker. */
@Timeout(120)
class KafkaSourceServerTest {
    @TempDir
    Path dir;

    private final KafkaBroker kafka = KafkaBroker.shared();
    private Vertx vertx;
    private RecordingHttpSink sink;
    private KafkaProducer<byte[], byte[]> producer;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        sink = new RecordingHttpSink(vertx);
        producer = kafka.producer();
    }

    @AfterEach
    void stop() throws Exception {
        producer.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void shouldMoveRecordsThroughTheBrokerToATriggerAndReportLag() throws Exception {
        String topic = "orders-" + UUID.randomUUID();
        kafka.createTopic(topic, 2);
        Path config = config("""
                apiVersion: eventing.knative.dev/v1
                kind: Broker
                metadata:
                  name: default
                ---
                apiVersion: eventing.knative.dev/v1
                kind: Trigger
                metadata:
                  name: kafka-events
                spec:
                  broker: default
                  filter:
                    attributes:
                      type: dev.knative.kafka.event
                  subscriber:
                    uri: %s
                ---
                apiVersion: sources.knative.dev/v1beta1
                kind: KafkaSource
                metadata:
                  name: orders
                spec:
                  bootstrapServers: [%s]
                  topics: [%s]
                  initialOffset: earliest
                  sink:
                    ref:
                      apiVersion: eventing.knative.dev/v1
                      kind: Broker
                      name: default
                """.formatted(sink.uri(), kafka.bootstrapServers(), topic));
        try (SwitchboardServer server =
                SwitchboardServer.start(new SwitchboardServer.Options(config, dir.resolve("data"), 0))) {
            produce(topic, 2, 10);

            await().atMost(Duration.ofSeconds(60)).until(() -> new HashSet<>(sink.ids()).size() == 20);
            assertThat(sink.received().get(0).header("ce-source"))
                    .isEqualTo("/apis/v1/namespaces/default/kafkasources/orders#" + topic);

            WebClient client = WebClient.create(vertx);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                JsonObject source = get(client, server.port(), "/admin/sources").getJsonObject(0);
                assertThat(source.getString("kind")).isEqualTo("KafkaSource");
                assertThat(source.getString("name")).isEqualTo("orders");
                JsonObject status = source.getJsonObject("status");
                assertThat(status.getString("state")).isEqualTo("running");
                assertThat(status.getLong("accepted")).isEqualTo(20);
                assertThat(status.getLong("lag")).isZero();
                assertThat(status.getJsonArray("partitions")).hasSize(2);
                assertThat(status.getJsonArray("partitions").getJsonObject(1).getLong("committed"))
                        .isEqualTo(10);
            });
            String metrics = client.get(server.port(), "127.0.0.1", "/metrics")
                    .send()
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS)
                    .bodyAsString();
            assertThat(metrics)
                    .contains("switchboard_source_partition_lag{partition=\"1\",source=\"KafkaSource default/orders\","
                            + "topic=\"" + topic + "\"} 0.0")
                    .contains("switchboard_source_delivered_total{source=\"KafkaSource default/orders\"} 20.0");
        }
    }

    @Test
    void shouldRetryAUrlSinkWithTheSourcesDeliveryPolicyAndCommitOnlyWhenItTakesTheRecords() throws Exception {
        String topic = "comments-" + UUID.randomUUID();
        kafka.createTopic(topic, 1);
        String group = "barrage-" + UUID.randomUUID();
        Path config = config("""
                apiVersion: sources.knative.dev/v1alpha1
                kind: KafkaSource
                metadata:
                  name: barrage
                  annotations:
                    k8s.aliyun.com/retry-count: "2"
                    k8s.aliyun.com/req-timeout: "5"
                spec:
                  consumerGroup: %s
                  bootstrapServers: %s
                  topics: %s
                  sink:
                    uri: %s
                """.formatted(group, kafka.bootstrapServers(), topic, sink.uri()));
        sink.answer(503);
        try (SwitchboardServer server =
                SwitchboardServer.start(new SwitchboardServer.Options(config, dir.resolve("data"), 0))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> assignedPartitions(server) == 1);
            produce(topic, 1, 3);

            // Refused: retried by the policy (1 + 2 tries), then again by the source; nothing committed.
            await().atMost(Duration.ofSeconds(60)).until(() -> sink.received().size() >= 6);
            assertThat(kafka.committed(group, topic, 0)).isLessThan(3);

            sink.answer(202);
            await().atMost(Duration.ofSeconds(60)).until(() -> new HashSet<>(sink.ids()).size() == 3);
            await().atMost(Duration.ofSeconds(30)).until(() -> kafka.committed(group, topic, 0) == 3);
        }
    }

    @Test
    void shouldConsumeThroughSaslWithTheSecretsAndReportBadCredentials() throws Exception {
        String topic = "secured-" + UUID.randomUUID();
        kafka.createTopic(topic, 1);
        Path config = config("""
                apiVersion: sources.knative.dev/v1beta1
                kind: KafkaSource
                metadata:
                  name: secured
                spec:
                  bootstrapServers: [%1$s]
                  topics: [%2$s]
                  initialOffset: earliest
                  net:
                    sasl:
                      enable: true
                      user:
                        secretKeyRef: {name: kafka-creds, key: user}
                      password:
                        secretKeyRef: {name: kafka-creds, key: password}
                  sink:
                    uri: %3$s
                ---
                apiVersion: sources.knative.dev/v1beta1
                kind: KafkaSource
                metadata:
                  name: wrong-password
                spec:
                  bootstrapServers: [%1$s]
                  topics: [%2$s]
                  net:
                    sasl:
                      enable: true
                      user:
                        secretKeyRef: {name: kafka-creds, key: user}
                      password:
                        secretKeyRef: {name: kafka-creds, key: wrong}
                  sink:
                    uri: %3$s
                """.formatted(kafka.saslBootstrapServers(), topic, sink.uri()));
        Files.writeString(config.resolve("switchboard.yaml"), "secrets:\n  directory: secrets\n");
        Path secrets = Files.createDirectories(config.resolve("secrets/kafka-creds"));
        Files.writeString(secrets.resolve("user"), KafkaBroker.SASL_USER);
        Files.writeString(secrets.resolve("password"), KafkaBroker.SASL_PASSWORD);
        Files.writeString(secrets.resolve("wrong"), "not-the-password");
        try (SwitchboardServer server =
                SwitchboardServer.start(new SwitchboardServer.Options(config, dir.resolve("data"), 0))) {
            produce(topic, 1, 3);

            await().atMost(Duration.ofSeconds(60)).until(() -> new HashSet<>(sink.ids()).size() == 3);
            WebClient client = WebClient.create(vertx);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                JsonObject wrong = get(client, server.port(), "/admin/sources").stream()
                        .map(JsonObject.class::cast)
                        .filter(s -> s.getString("name").equals("wrong-password"))
                        .findFirst()
                        .orElseThrow();
                assertThat(wrong.getJsonObject("status").getString("state"))
                        .startsWith("error: ")
                        .contains("Authentication failed");
            });
        }
    }

    private int assignedPartitions(SwitchboardServer server) throws Exception {
        WebClient client = WebClient.create(vertx);
        return get(client, server.port(), "/admin/sources")
                .getJsonObject(0)
                .getJsonObject("status")
                .getJsonArray("partitions")
                .size();
    }

    private Path config(String yaml) throws Exception {
        Path config = Files.createDirectory(dir.resolve("config"));
        Files.writeString(config.resolve("all.yaml"), yaml);
        return config;
    }

    private void produce(String topic, int partitions, int perPartition) throws Exception {
        for (int i = 0; i < perPartition; i++) {
            for (int p = 0; p < partitions; p++) {
                producer.send(new ProducerRecord<>(
                        topic, p, null, ("record " + p + "/" + i).getBytes(StandardCharsets.UTF_8)));
            }
        }
        producer.flush();
    }

    private static JsonArray get(WebClient client, int port, String path) throws Exception {
        Buffer body = client.get(port, "127.0.0.1", path)
                .send()
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS)
                .body();
        return body.toJsonArray();
    }
}
