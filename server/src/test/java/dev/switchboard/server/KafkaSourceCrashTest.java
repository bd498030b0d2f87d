package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.server.testing.RecordingHttpSink;
import dev.switchboard.server.testing.ServerProcess;
import dev.switchboard.testing.kafka.KafkaBroker;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server consuming a Kafka topic is killed with SIGKILL mid-stream and started again on the same
 * data directory: every record reaches the subscriber at least once, each partition in order.
 */
@Timeout(180)
class KafkaSourceCrashTest {
    private static final int PARTITIONS = 3;
    private static final int PER_PARTITION = 1_000;

    @TempDir
    Path dir;

    @Test
    void shouldDeliverEveryRecordInPartitionOrderAcrossASigkill() throws Exception {
        KafkaBroker kafka = KafkaBroker.shared();
        String topic = "crash-" + UUID.randomUUID();
        kafka.createTopic(topic, PARTITIONS);
        Vertx vertx = Vertx.vertx();
        RecordingHttpSink sink = new RecordingHttpSink(vertx);
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
                  name: in-order
                  annotations:
                    kafka.eventing.knative.dev/delivery.order: ordered
                spec:
                  broker: default
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
                  ordering: ordered
                  sink:
                    ref:
                      apiVersion: eventing.knative.dev/v1
                      kind: Broker
                      name: default
                """.formatted(sink.uri(), kafka.bootstrapServers(), topic));
        Path data = dir.resolve("data");
        try (KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
            CompletableFuture<Void> producing = CompletableFuture.runAsync(() -> produce(producer, topic));
            ServerProcess first = ServerProcess.start(config, data);
            await().atMost(Duration.ofSeconds(60)).until(() -> sink.received().size() >= 500);
            assertThat(first.kill()).isEqualTo(137);
            int beforeKill = sink.received().size();

            try (ServerProcess second = ServerProcess.start(config, data)) {
                producing.get(60, TimeUnit.SECONDS);
                await().atMost(Duration.ofSeconds(90))
                        .until(() -> new HashSet<>(bodies(sink)).size() == PARTITIONS * PER_PARTITION);
            }
            assertThat(beforeKill).isLessThan(PARTITIONS * PER_PARTITION);
            assertPartitionOrder(bodies(sink));
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /** Duplicates may follow a crash; the first arrival of each record keeps its partition's order. */
    private static void assertPartitionOrder(List<String> arrivals) {
        Map<String, List<Integer>> firstArrivals = new HashMap<>();
        Set<String> seen = new HashSet<>();
        for (String body : arrivals) {
            if (seen.add(body)) {
                String[] parts = body.split("/");
                firstArrivals.computeIfAbsent(parts[0], p -> new ArrayList<>()).add(Integer.parseInt(parts[1]));
            }
        }
        assertThat(firstArrivals).hasSize(PARTITIONS);
        firstArrivals.values().forEach(order -> assertThat(order).isSorted().hasSize(PER_PARTITION));
    }

    private static List<String> bodies(RecordingHttpSink sink) {
        return sink.received().stream()
                .map(r -> new String(r.body(), StandardCharsets.UTF_8))
                .toList();
    }

    /** Records trickle in over a few seconds, so the kill lands mid-stream. */
    private static void produce(KafkaProducer<byte[], byte[]> producer, String topic) {
        try {
            for (int i = 0; i < PER_PARTITION; i++) {
                for (int p = 0; p < PARTITIONS; p++) {
                    producer.send(
                            new ProducerRecord<>(topic, p, null, ("p" + p + "/" + i).getBytes(StandardCharsets.UTF_8)));
                }
                if (i % 100 == 99) {
                    producer.flush();
                    Thread.sleep(200);
                }
            }
            producer.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
