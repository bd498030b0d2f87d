package dev.switchboard.source.rocketmq;

import static dev.switchboard.core.testing.CloudEventAssertions.assertSameEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.core.testing.RecordingTarget;
import dev.switchboard.testing.rocketmq.RocketMq;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.jackson.JsonFormat;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** RocketMQSource against a real name server and broker (child JVMs, started once per test JVM). */
@Timeout(120)
class RocketMqSourceTest {
    private static RocketMq rocketMq;
    private static DefaultMQProducer producer;

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        rocketMq = RocketMq.shared();
        producer = new DefaultMQProducer("switchboard-test-producer");
        producer.setNamesrvAddr(rocketMq.nameServer());
        producer.start();
    }

    @AfterAll
    static void stopProducer() {
        producer.shutdown();
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
    }

    @Test
    void shouldMapAPlainMessageAsEventBridgeDoes() throws Exception {
        String topic = topic();
        Message message = new Message(topic, "created", "order-17", bytes("{\"total\":12}"));
        Instant before = Instant.now();
        SendResult sent = send(message);
        RecordingTarget target = target();
        start(spec("plain", topic), target);

        await().atMost(Duration.ofSeconds(60)).until(() -> bodies(target).contains("{\"total\":12}"));
        CloudEvent event = find(target, "{\"total\":12}");
        assertThat(event.getId()).isEqualTo(sent.getMsgId());
        assertThat(event.getType()).isEqualTo("mq:Topic:SendMessage");
        assertThat(event.getSource()).isEqualTo(URI.create("rocketmq://" + topic));
        assertThat(event.getSubject()).isEqualTo(topic);
        assertThat(event.getTime().toInstant()).isBetween(before.minusSeconds(1), Instant.now());
        assertThat(event.getExtension("keys")).isEqualTo("order-17");
        assertThat(event.getExtension("tags")).isEqualTo("created");
    }

    @Test
    void shouldPassCloudEventsThroughInBinaryAndStructuredMode() throws Exception {
        String topic = topic();
        CloudEvent binary = CloudEventBuilder.v1()
                .withId("b-1")
                .withType("com.example.binary")
                .withSource(URI.create("/producer"))
                .withSubject("s")
                .withDataContentType("application/json")
                .withData(bytes("{\"mode\":\"binary\"}"))
                .withExtension("tenant", "acme")
                .build();
        Message binaryMessage = new Message(topic, bytes("{\"mode\":\"binary\"}"));
        binaryMessage.putUserProperty("CE_specversion", "1.0");
        binaryMessage.putUserProperty("CE_id", "b-1");
        binaryMessage.putUserProperty("CE_type", "com.example.binary");
        binaryMessage.putUserProperty("CE_source", "/producer");
        binaryMessage.putUserProperty("CE_subject", "s");
        binaryMessage.putUserProperty("CE_contenttype", "application/json");
        binaryMessage.putUserProperty("CE_tenant", "acme");
        CloudEvent structured = CloudEventBuilder.v1(binary)
                .withId("s-1")
                .withData("application/json", bytes("{\"mode\":\"structured\"}"))
                .build();
        Message structuredMessage = new Message(
                topic,
                EventFormatProvider.getInstance()
                        .resolveFormat(JsonFormat.CONTENT_TYPE)
                        .serialize(structured));
        structuredMessage.putUserProperty("CE_contenttype", JsonFormat.CONTENT_TYPE);
        send(binaryMessage);
        send(structuredMessage);
        RecordingTarget target = target();
        start(spec("passthrough", topic), target);

        await().atMost(Duration.ofSeconds(60)).until(() -> ids(target).containsAll(List.of("b-1", "s-1")));
        assertSameEvent(byId(target, "b-1"), binary);
        assertSameEvent(byId(target, "s-1"), structured);
    }

    @Test
    void shouldDeliverOnlyTheSelectedTagsAndSqlMatches() throws Exception {
        String topic = topic();
        RecordingTarget byTag = target();
        RecordingTarget bySql = target();
        start(spec("tags", topic).withSelector(RocketMqSourceSpec.SelectorType.TAG, "created || paid"), byTag);
        start(spec("sql", topic).withSelector(RocketMqSourceSpec.SelectorType.SQL92, "region = 'eu'"), bySql);
        for (String tag : List.of("created", "paid", "shipped")) {
            for (String region : List.of("eu", "us")) {
                Message message = new Message(topic, tag, bytes(tag + "/" + region));
                message.putUserProperty("region", region);
                send(message);
            }
        }

        await().atMost(Duration.ofSeconds(60))
                .until(() -> byTag.accepted().size() >= 4 && bySql.accepted().size() >= 3);
        assertThat(bodies(byTag)).containsExactlyInAnyOrder("created/eu", "created/us", "paid/eu", "paid/us");
        assertThat(bodies(bySql)).containsExactlyInAnyOrder("created/eu", "paid/eu", "shipped/eu");
    }

    @Test
    void shouldLetRocketMqRedeliverWhatTheTargetRefused() throws Exception {
        String topic = topic();
        RecordingTarget target = target();
        Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
        // Each message is refused twice, then taken.
        target.refuseWhile(event -> attempts.computeIfAbsent(event.getId(), id -> new AtomicInteger())
                        .incrementAndGet()
                <= 2);
        RocketMqSource source = start(spec("redelivery", topic), target);
        for (int i = 0; i < 5; i++) {
            send(new Message(topic, bytes("m" + i)));
        }

        await().atMost(Duration.ofSeconds(90))
                .until(() -> bodies(target).containsAll(List.of("m0", "m1", "m2", "m3", "m4")));
        assertThat(target.refusals()).isGreaterThanOrEqualTo(10);
        assertThat(source.refused()).isGreaterThanOrEqualTo(10);
        // A redelivered message keeps its id, so the sink sees the same event again.
        assertThat(ids(target)).doesNotHaveDuplicates();
    }

    @Test
    void shouldKeepQueueOrderWhenOrderlyEvenAcrossRefusals() throws Exception {
        String topic = topic();
        RecordingTarget target = target().withMaxDelayMillis(2);
        AtomicInteger calls = new AtomicInteger();
        target.refuseWhile(event -> calls.incrementAndGet() % 25 == 0);
        start(spec("orderly", topic).withOrdering(RocketMqSourceSpec.Ordering.ORDERLY), target);
        // One queue: a message queue selector that always picks queue 0.
        for (int i = 0; i < 100; i++) {
            producer.send(new Message(topic, bytes(Integer.toString(i))), (queues, msg, arg) -> queues.get(0), null);
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> target.accepted().size() >= 101);
        List<Integer> order = bodies(target).stream()
                .filter(b -> !b.equals("warm-up"))
                .map(Integer::parseInt)
                .toList();
        assertThat(order).isSorted().hasSize(100);
    }

    // ---------------------------------------------------------------------------------------------

    private RocketMqSource start(RocketMqSourceSpec spec, RecordingTarget target) {
        RocketMqSource source = new RocketMqSource(spec, target);
        toClose.add(0, source);
        source.start();
        assertThat(source.state()).isEqualTo("running");
        return source;
    }

    private RecordingTarget target() {
        RecordingTarget target = new RecordingTarget();
        toClose.add(target);
        return target;
    }

    private static RocketMqSourceSpec spec(String name, String topic) {
        return RocketMqSourceSpec.of("test", name, rocketMq.nameServer(), topic, "group-" + UUID.randomUUID())
                .withConsumeFrom(RocketMqSourceSpec.ConsumeFrom.FIRST, java.util.Optional.empty());
    }

    /**
     * A new topic, created by sending it a warm-up message to queue 0 (the broker creates topics on
     * first use; a consumer started before that would wait for the next route refresh).
     */
    private static String topic() throws Exception {
        String topic = "topic-" + UUID.randomUUID().toString().substring(0, 8);
        Instant deadline = Instant.now().plusSeconds(30);
        while (true) {
            try {
                producer.send(new Message(topic, bytes("warm-up")), (queues, msg, arg) -> queues.get(0), null);
                return topic;
            } catch (Exception e) {
                if (Instant.now().isAfter(deadline)) {
                    throw e;
                }
                Thread.sleep(200); // the broker's route for a new topic is not always there at once
            }
        }
    }

    private static SendResult send(Message message) throws Exception {
        SendResult result = producer.send(message);
        assertThat(result.getSendStatus()).isEqualTo(SendStatus.SEND_OK);
        return result;
    }

    private static List<String> bodies(RecordingTarget target) {
        return target.accepted().stream()
                .map(e -> e.getData() == null ? "" : new String(e.getData().toBytes(), StandardCharsets.UTF_8))
                .toList();
    }

    private static List<String> ids(RecordingTarget target) {
        return target.accepted().stream()
                .filter(e -> !"warm-up".equals(body(e)))
                .map(CloudEvent::getId)
                .toList();
    }

    private static String body(CloudEvent event) {
        return event.getData() == null ? "" : new String(event.getData().toBytes(), StandardCharsets.UTF_8);
    }

    private static CloudEvent find(RecordingTarget target, String body) {
        return target.accepted().stream()
                .filter(e -> body.equals(body(e)))
                .findFirst()
                .orElseThrow();
    }

    private static CloudEvent byId(RecordingTarget target, String id) {
        Map<String, CloudEvent> all = new HashMap<>();
        target.accepted().forEach(e -> all.put(e.getId(), e));
        return all.get(id);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
