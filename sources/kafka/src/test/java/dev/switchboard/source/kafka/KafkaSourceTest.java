package dev.switchboard.source.kafka;

import static dev.switchboard.core.testing.CloudEventAssertions.assertSameEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.core.testing.RecordingTarget;
import dev.switchboard.testing.kafka.KafkaBroker;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.kafka.KafkaMessageFactory;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** KafkaSource against a real Kafka broker (KRaft, in a child JVM, one per test JVM). */
@Timeout(120)
class KafkaSourceTest {
    private static KafkaBroker kafka;
    private static KafkaProducer<byte[], byte[]> producer;

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeAll
    static void startKafka() {
        kafka = KafkaBroker.shared();
        producer = kafka.producer();
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
    }

    @Test
    void shouldMapAPlainRecordAsKnativeDoes() throws Exception {
        String topic = topic(1);
        long timestamp = 1_700_000_000_123L;
        ProducerRecord<byte[], byte[]> record =
                new ProducerRecord<>(topic, 0, timestamp, bytes("order-17"), bytes("{\"total\":12}"));
        record.headers().add(new RecordHeader("X-Trace_Id", bytes("abc-1")));
        record.headers().add(new RecordHeader("content-type", bytes("application/json")));
        producer.send(record).get(10, TimeUnit.SECONDS);
        RecordingTarget target = target();
        start(
                spec("mapper", topic)
                        .withInitialOffset(KafkaSourceSpec.InitialOffset.EARLIEST)
                        .withExtensions(Map.of("team", "billing")),
                target);

        await().atMost(Duration.ofSeconds(30)).until(() -> target.accepted().size() == 1);
        CloudEvent event = target.accepted().get(0);
        assertThat(event.getId()).isEqualTo("partition:0/offset:0");
        assertThat(event.getType()).isEqualTo("dev.knative.kafka.event");
        assertThat(event.getSource()).isEqualTo(URI.create("/apis/v1/namespaces/test/kafkasources/mapper#" + topic));
        assertThat(event.getSubject()).isEqualTo("partition:0#0");
        assertThat(event.getTime())
                .isEqualTo(OffsetDateTime.ofInstant(Instant.ofEpochMilli(timestamp), ZoneOffset.UTC));
        assertThat(event.getExtension("key")).isEqualTo("order-17");
        assertThat(event.getExtension("partitionkey")).isEqualTo("order-17");
        assertThat(event.getExtension("kafkaheaderxtraceid")).isEqualTo("abc-1");
        assertThat(event.getExtension("kafkaheadercontenttype")).isEqualTo("application/json");
        assertThat(event.getExtension("team")).isEqualTo("billing");
        assertThat(event.getDataContentType()).isEqualTo("application/json");
        assertThat(event.getData().toBytes()).isEqualTo(bytes("{\"total\":12}"));
    }

    @Test
    void shouldPassCloudEventsThroughInBinaryAndStructuredMode() throws Exception {
        String topic = topic(2);
        CloudEvent binary = CloudEventBuilder.v1()
                .withId("b-1")
                .withType("com.example.binary")
                .withSource(URI.create("/producer"))
                .withSubject("s")
                .withDataContentType("application/json")
                .withData(bytes("{\"mode\":\"binary\"}"))
                .withExtension("tenant", "acme")
                .build();
        CloudEvent structured = CloudEventBuilder.v1(binary)
                .withId("s-1")
                .withType("com.example.structured")
                .withData("application/json", bytes("{\"mode\":\"structured\"}"))
                .build();
        producer.send(KafkaMessageFactory.createWriter(topic, 0, null, bytes("k"))
                        .writeBinary(binary))
                .get(10, TimeUnit.SECONDS);
        producer.send(KafkaMessageFactory.createWriter(topic, 1, null, bytes("k"))
                        .writeStructured(
                                structured, EventFormatProvider.getInstance().resolveFormat(JsonFormat.CONTENT_TYPE)))
                .get(10, TimeUnit.SECONDS);
        RecordingTarget target = target();
        start(spec("passthrough", topic).withInitialOffset(KafkaSourceSpec.InitialOffset.EARLIEST), target);

        await().atMost(Duration.ofSeconds(30)).until(() -> target.accepted().size() == 2);
        Map<String, CloudEvent> byId = target.accepted().stream().collect(Collectors.toMap(CloudEvent::getId, e -> e));
        assertSameEvent(byId.get("b-1"), binary);
        assertSameEvent(byId.get("s-1"), structured);
    }

    @Test
    void shouldDeliverARecordThatIsNotAValidCloudEventAsAPlainRecord() throws Exception {
        String topic = topic(1);
        ProducerRecord<byte[], byte[]> broken = new ProducerRecord<>(topic, 0, null, bytes("{not json"));
        broken.headers().add(new RecordHeader("content-type", bytes("application/cloudevents+json")));
        producer.send(broken).get(10, TimeUnit.SECONDS);
        RecordingTarget target = target();
        KafkaSource source =
                start(spec("broken", topic).withInitialOffset(KafkaSourceSpec.InitialOffset.EARLIEST), target);

        await().atMost(Duration.ofSeconds(30)).until(() -> target.accepted().size() == 1);
        assertThat(target.accepted().get(0).getType()).isEqualTo(RecordMapper.TYPE);
        assertThat(target.accepted().get(0).getData().toBytes()).isEqualTo(bytes("{not json"));
        assertThat(source.malformed()).isEqualTo(1);
    }

    @Test
    void shouldDecodeKeysAsTheKeyTypeLabelSays() throws Exception {
        String topic = topic(1);
        producer.send(new ProducerRecord<>(
                        topic, 0, ByteBuffer.allocate(4).putInt(42).array(), bytes("x")))
                .get(10, TimeUnit.SECONDS);
        RecordingTarget target = target();
        start(
                spec("keys", topic)
                        .withInitialOffset(KafkaSourceSpec.InitialOffset.EARLIEST)
                        .withKeyType(KeyType.INT),
                target);

        await().atMost(Duration.ofSeconds(30)).until(() -> target.accepted().size() == 1);
        assertThat(target.accepted().get(0).getExtension("key")).isEqualTo("42");
    }

    @Test
    void shouldKeepEachPartitionsOrderWhenOrdered() throws Exception {
        String topic = topic(3);
        int perPartition = 200;
        produce(topic, 3, perPartition);
        RecordingTarget target = target().withMaxDelayMillis(3);
        start(spec("ordered", topic).withInitialOffset(KafkaSourceSpec.InitialOffset.EARLIEST), target);

        await().atMost(Duration.ofSeconds(60)).until(() -> target.accepted().size() == 3 * perPartition);
        Map<Integer, List<Long>> offsets = offsetsByPartition(target.accepted());
        assertThat(offsets).hasSize(3);
        offsets.values().forEach(list -> assertThat(list).isSorted().hasSize(perPartition));
        assertThat(target.maxInFlight()).isLessThanOrEqualTo(3); // one per partition
    }

    @Test
    void shouldOverlapRecordsOfAPartitionWhenUnordered() throws Exception {
        String topic = topic(1);
        produce(topic, 1, 300);
        RecordingTarget target = target().withMaxDelayMillis(20);
        KafkaSource source = start(
                spec("unordered", topic)
                        .withInitialOffset(KafkaSourceSpec.InitialOffset.EARLIEST)
                        .withOrdering(KafkaSourceSpec.Ordering.UNORDERED)
                        .withMaxInFlight(100),
                target);

        await().atMost(Duration.ofSeconds(60)).until(() -> target.accepted().size() == 300);
        assertThat(target.maxInFlight()).isGreaterThan(10).isLessThanOrEqualTo(100);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> kafka.committed(source.spec().consumerGroup(), topic, 0) == 300);
    }

    @Test
    void shouldNeverCommitPastARecordTheTargetRefused() throws Exception {
        String topic = topic(1);
        produce(topic, 1, 100);
        RecordingTarget target = target();
        target.refuseWhile(event -> offset(event) >= 40);
        KafkaSource source = start(
                spec("refusing", topic)
                        .withInitialOffset(KafkaSourceSpec.InitialOffset.EARLIEST)
                        .withOrdering(KafkaSourceSpec.Ordering.UNORDERED),
                target);
        String group = source.spec().consumerGroup();

        await().atMost(Duration.ofSeconds(30))
                .until(() -> target.refusals() >= 120 && kafka.committed(group, topic, 0) == 40);
        // The sink is down for records 40..99 for a while: the commit stays at 40, and the lag shows it.
        await().atMost(Duration.ofSeconds(5)).until(() -> source.lag() == 60);
        assertThat(kafka.committed(group, topic, 0)).isEqualTo(40);

        target.refuseWhile(event -> false);
        await().atMost(Duration.ofSeconds(60)).until(() -> kafka.committed(group, topic, 0) == 100);
        assertThat(offsets(target.accepted())).containsAll(range(0, 100));
        await().atMost(Duration.ofSeconds(5)).until(() -> source.lag() == 0);
    }

    @Test
    void shouldStartAtTheLatestOffsetUnlessToldEarliest() throws Exception {
        String topic = topic(1);
        produce(topic, 1, 5);
        RecordingTarget latest = target();
        KafkaSource source = start(spec("latest", topic), latest);
        await().atMost(Duration.ofSeconds(30)).until(() -> source.partitions().size() == 1);
        producer.send(new ProducerRecord<>(topic, 0, null, bytes("after"))).get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(30)).until(() -> latest.accepted().size() == 1);
        assertThat(offset(latest.accepted().get(0))).isEqualTo(5);

        RecordingTarget earliest = target();
        start(spec("earliest", topic).withInitialOffset(KafkaSourceSpec.InitialOffset.EARLIEST), earliest);
        await().atMost(Duration.ofSeconds(30)).until(() -> earliest.accepted().size() == 6);
    }

    @Test
    void shouldResumeFromTheCommittedOffsetsAfterARestart() throws Exception {
        String topic = topic(3);
        produce(topic, 3, 300);
        RecordingTarget target = target().withMaxDelayMillis(2);
        KafkaSourceSpec spec = spec("restart", topic)
                .withInitialOffset(KafkaSourceSpec.InitialOffset.EARLIEST)
                .withConsumers(2);
        KafkaSource first = new KafkaSource(spec, target);
        first.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> target.accepted().size() >= 200);
        first.close();
        int beforeRestart = target.accepted().size();
        produce(topic, 3, 100);

        start(spec, target);
        await().atMost(Duration.ofSeconds(60)).until(() -> new LinkedHashSet<>(ids(target.accepted())).size() == 1200);
        // A clean stop commits what was accepted: the restart repeats little or nothing.
        assertThat(target.accepted().size() - 1200).isLessThanOrEqualTo(beforeRestart / 10);
    }

    @Test
    void shouldLoseNothingAndKeepOrderWhenASecondMemberJoinsMidStream() throws Exception {
        String topic = topic(4);
        produce(topic, 4, 250);
        RecordingTarget target = target().withMaxDelayMillis(20);
        KafkaSourceSpec spec = spec("rebalance", topic).withInitialOffset(KafkaSourceSpec.InitialOffset.EARLIEST);
        start(spec, target);
        await().atMost(Duration.ofSeconds(60)).until(() -> target.accepted().size() >= 200);

        // Same group, another member: the partitions are split, revoked ones commit what is safe.
        KafkaSource second = start(spec.withOrdering(KafkaSourceSpec.Ordering.ORDERED), target);
        await().atMost(Duration.ofSeconds(60)).until(() -> second.partitions().size() == 2);
        await().atMost(Duration.ofSeconds(60)).until(() -> new LinkedHashSet<>(ids(target.accepted())).size() == 1000);
        // Duplicates may follow a rebalance; each record's first arrival keeps its partition's order.
        Map<Integer, List<Long>> firstArrivals = offsetsByPartition(
                target.accepted().stream().filter(distinctById()).toList());
        firstArrivals.values().forEach(list -> assertThat(list).isSorted().hasSize(250));
    }

    private static java.util.function.Predicate<CloudEvent> distinctById() {
        Set<String> seen = new java.util.HashSet<>();
        return event -> seen.add(event.getId());
    }

    @Test
    void shouldReportAMissingTopicAndStartWhenItAppears() throws Exception {
        String topic = "missing-" + UUID.randomUUID();
        RecordingTarget target = target();
        KafkaSource source =
                start(spec("missing", topic).withInitialOffset(KafkaSourceSpec.InitialOffset.EARLIEST), target);

        await().atMost(Duration.ofSeconds(30))
                .until(() -> source.state().equals("topic(s) " + topic + " do not exist"));
        assertThat(source.status()).containsEntry("state", "topic(s) " + topic + " do not exist");

        kafka.createTopic(topic, 1);
        produce(topic, 1, 3);
        await().atMost(Duration.ofSeconds(60)).until(() -> target.accepted().size() == 3);
        await().atMost(Duration.ofSeconds(10)).until(() -> source.state().equals("running"));
    }

    // ---------------------------------------------------------------------------------------------

    private KafkaSource start(KafkaSourceSpec spec, RecordingTarget target) {
        KafkaSource source = new KafkaSource(spec, target);
        toClose.add(0, source);
        source.start();
        return source;
    }

    private RecordingTarget target() {
        RecordingTarget target = new RecordingTarget();
        toClose.add(target);
        return target;
    }

    private static KafkaSourceSpec spec(String name, String topic) {
        return KafkaSourceSpec.of(
                "test", name, List.of(kafka.bootstrapServers()), List.of(topic), "group-" + UUID.randomUUID());
    }

    private static String topic(int partitions) {
        String topic = "topic-" + UUID.randomUUID();
        kafka.createTopic(topic, partitions);
        return topic;
    }

    private static void produce(String topic, int partitions, int perPartition) throws Exception {
        for (int i = 0; i < perPartition; i++) {
            for (int p = 0; p < partitions; p++) {
                producer.send(new ProducerRecord<>(topic, p, bytes("key-" + p), bytes("value " + i)));
            }
        }
        producer.flush();
    }

    static long endOffset(String topic, int partition) throws Exception {
        try (Admin admin = kafka.admin()) {
            TopicPartition tp = new TopicPartition(topic, partition);
            return admin.listOffsets(Map.of(tp, OffsetSpec.latest()))
                    .partitionResult(tp)
                    .get(10, TimeUnit.SECONDS)
                    .offset();
        }
    }

    private static Map<Integer, List<Long>> offsetsByPartition(List<CloudEvent> events) {
        Map<Integer, List<Long>> byPartition = new HashMap<>();
        for (CloudEvent event : events) {
            int partition = Integer.parseInt(event.getId().replaceAll("partition:(\\d+)/.*", "$1"));
            byPartition.computeIfAbsent(partition, p -> new ArrayList<>()).add(offset(event));
        }
        return byPartition;
    }

    private static long offset(CloudEvent event) {
        return Long.parseLong(event.getId().replaceAll(".*/offset:", ""));
    }

    private static Set<Long> offsets(List<CloudEvent> events) {
        return events.stream().map(KafkaSourceTest::offset).collect(Collectors.toSet());
    }

    private static List<String> ids(List<CloudEvent> events) {
        return events.stream().map(CloudEvent::getId).toList();
    }

    private static List<Long> range(long from, long to) {
        List<Long> list = new ArrayList<>();
        for (long i = from; i < to; i++) {
            list.add(i);
        }
        return list;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
