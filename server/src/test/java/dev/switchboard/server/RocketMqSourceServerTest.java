package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.server.testing.RecordingHttpSink;
import dev.switchboard.testing.rocketmq.RocketMq;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.common.message.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** RocketMQSources through the real server, against a real name server and broker. */
@Timeout(120)
class RocketMqSourceServerTest {
    @TempDir
    Path dir;

    private final RocketMq rocketMq = RocketMq.shared();
    private Vertx vertx;
    private RecordingHttpSink sink;
    private DefaultMQProducer producer;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        sink = new RecordingHttpSink(vertx);
        producer = new DefaultMQProducer("switchboard-server-test-" + UUID.randomUUID());
        producer.setNamesrvAddr(rocketMq.nameServer());
        producer.start();
    }

    @AfterEach
    void stop() throws Exception {
        producer.shutdown();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void shouldMoveSelectedMessagesThroughTheBrokerToATrigger() throws Exception {
        String topic = topic();
        Path config = config("""
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
                  filter:
                    attributes:
                      type: "mq:Topic:SendMessage"
                  subscriber:
                    uri: %s
                ---
                apiVersion: sources.eventing.alibabacloud.com/v1alpha1
                kind: RocketMQSource
                metadata:
                  name: orders
                spec:
                  namesrvAddr: %s
                  topic: %s
                  selectorType: TAG
                  selector: "created || paid"
                  consumeFrom: first
                  sink:
                    ref:
                      apiVersion: eventing.knative.dev/v1
                      kind: Broker
                      name: default
                """.formatted(sink.uri(), rocketMq.nameServer(), topic));
        try (SwitchboardServer server =
                SwitchboardServer.start(new SwitchboardServer.Options(config, dir.resolve("data"), 0))) {
            for (String tag : List.of("created", "shipped", "paid")) {
                producer.send(new Message(topic, tag, ("order " + tag).getBytes(StandardCharsets.UTF_8)));
            }

            await().atMost(Duration.ofSeconds(60)).until(() -> sink.received().size() >= 2);
            assertThat(sink.received())
                    .extracting(r -> new String(r.body(), StandardCharsets.UTF_8))
                    .containsExactlyInAnyOrder("order created", "order paid");
            assertThat(sink.received().get(0).header("ce-source")).isEqualTo("rocketmq://" + topic);
        }
    }

    @Test
    void shouldLeaveMessagesARefusingUrlSinkDidNotTakeToRocketMq() throws Exception {
        String topic = topic();
        Path config = config("""
                apiVersion: sources.eventing.alibabacloud.com/v1alpha1
                kind: RocketMQSource
                metadata:
                  name: comments
                spec:
                  namesrvAddr: %s
                  topic: %s
                  selector: live
                  consumeFrom: first
                  delivery:
                    retry: 1
                    backoffDelay: PT0.1S
                  sink:
                    uri: %s
                """.formatted(rocketMq.nameServer(), topic, sink.uri()));
        sink.answer(503);
        try (SwitchboardServer server =
                SwitchboardServer.start(new SwitchboardServer.Options(config, dir.resolve("data"), 0))) {
            producer.send(new Message(topic, "live", "first!".getBytes(StandardCharsets.UTF_8)));
            // Refused twice by the policy, then handed back to RocketMQ, which redelivers it.
            await().atMost(Duration.ofSeconds(60)).until(() -> sink.received().size() >= 4);

            sink.answer(202);
            int before = sink.received().size();
            await().atMost(Duration.ofSeconds(60)).until(() -> sink.received().size() > before);
            Thread.sleep(2_000); // taken: RocketMQ must not send it again
            assertThat(new HashSet<>(sink.ids())).hasSize(1);
            assertThat(sink.received().size()).isEqualTo(before + 1);
        }
    }

    /** A topic created by a first message with a tag no source selects. */
    private String topic() throws Exception {
        String topic = "topic-" + UUID.randomUUID().toString().substring(0, 8);
        Instant deadline = Instant.now().plusSeconds(30);
        while (true) {
            try {
                producer.send(new Message(topic, "warm-up", new byte[] {1}));
                return topic;
            } catch (Exception e) {
                if (Instant.now().isAfter(deadline)) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    private Path config(String yaml) throws Exception {
        Path config = Files.createDirectory(dir.resolve("config"));
        Files.writeString(config.resolve("all.yaml"), yaml);
        return config;
    }
}
