package dev.switchboard.source.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.core.testing.RecordingTarget;
import dev.switchboard.testing.kafka.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A Kafka broker of its own, killed and restarted under a running source. */
@Timeout(180)
class KafkaOutageTest {
    @TempDir
    Path dir;

    @Test
    void shouldReportAnUnreachableBrokerAndRecoverWhenItReturns() throws Exception {
        try (KafkaBroker kafka = KafkaBroker.start(dir);
                RecordingTarget target = new RecordingTarget()) {
            kafka.createTopic("orders", 2);
            KafkaSourceSpec spec = KafkaSourceSpec.of(
                            "test", "outage", List.of(kafka.bootstrapServers()), List.of("orders"), "outage-group")
                    .withInitialOffset(KafkaSourceSpec.InitialOffset.EARLIEST);
            try (KafkaSource source = new KafkaSource(spec, target)) {
                source.start();
                produce(kafka, 0, 50);
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> target.accepted().size() == 50);

                kafka.kill();
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> source.state().equals("cannot reach Kafka at " + kafka.bootstrapServers()));
                assertThat(source.status()).containsEntry("state", source.state());

                kafka.restart();
                produce(kafka, 50, 100);
                await().atMost(Duration.ofSeconds(90))
                        .until(() -> target.accepted().stream()
                                        .map(e -> new String(e.getData().toBytes(), StandardCharsets.UTF_8))
                                        .distinct()
                                        .count()
                                == 100);
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> source.state().equals("running"));
            }
        }
    }

    private static void produce(KafkaBroker kafka, int from, int to) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
            for (int i = from; i < to; i++) {
                producer.send(new ProducerRecord<>(
                                "orders", i % 2, null, ("record " + i).getBytes(StandardCharsets.UTF_8)))
                        .get(30, TimeUnit.SECONDS);
            }
        }
    }
}
