package dev.switchboard.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.source.kafka.KafkaSourceSpec;
import dev.switchboard.source.kafka.KeyType;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Knative's KafkaSource YAML, both API versions, as users write it. */
class KafkaSourceConfigTest {
    @TempDir
    Path dir;

    private static final String BROKER = """
            apiVersion: eventing.knative.dev/v1
            kind: Broker
            metadata:
              name: default
            ---
            """;

    private static final Map<String, String> SECRETS = Map.of(
            "SWITCHBOARD_SECRET_KAFKA_CREDS_USER", "alice",
            "SWITCHBOARD_SECRET_KAFKA_CREDS_PASSWORD", "s\"cret",
            "SWITCHBOARD_SECRET_KAFKA_CREDS_TYPE", "SCRAM-SHA-512",
            "SWITCHBOARD_SECRET_KAFKA_CREDS_CA", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----");

    private LoadedConfig load(String yaml) throws IOException {
        Files.writeString(dir.resolve("kafka.yaml"), BROKER + yaml);
        return ConfigLoader.load(dir, SECRETS::get);
    }

    @Test
    void shouldReadAKnativeV1beta1KafkaSource() throws IOException {
        LoadedConfig config = load("""
                apiVersion: sources.knative.dev/v1beta1
                kind: KafkaSource
                metadata:
                  name: orders
                  namespace: shop
                  labels:
                    kafkasources.sources.knative.dev/key-type: int
                spec:
                  consumerGroup: orders-group
                  bootstrapServers:
                    - 127.0.0.1:9092
                    - 127.0.0.2:9092
                  topics:
                    - orders
                    - refunds
                  initialOffset: earliest
                  consumers: 3
                  ordering: unordered
                  net:
                    sasl:
                      enable: true
                      user:
                        secretKeyRef: {name: kafka-creds, key: user}
                      password:
                        secretKeyRef: {name: kafka-creds, key: password}
                      type:
                        secretKeyRef: {name: kafka-creds, key: type}
                    tls:
                      enable: true
                      caCert:
                        secretKeyRef: {name: kafka-creds, key: ca}
                  ceOverrides:
                    extensions:
                      team: billing
                  delivery:
                    retry: 4
                    backoffPolicy: linear
                    backoffDelay: PT0.5S
                  sink:
                    uri: http://127.0.0.1:8081/orders
                """);

        KafkaSourceResource source = config.sources(KafkaSourceResource.class).get(0);
        KafkaSourceSpec spec = source.spec();
        assertThat(source.key()).isEqualTo("shop/orders");
        assertThat(spec.bootstrapServers()).containsExactly("127.0.0.1:9092", "127.0.0.2:9092");
        assertThat(spec.topics()).containsExactly("orders", "refunds");
        assertThat(spec.consumerGroup()).isEqualTo("orders-group");
        assertThat(spec.initialOffset()).isEqualTo(KafkaSourceSpec.InitialOffset.EARLIEST);
        assertThat(spec.consumers()).isEqualTo(3);
        assertThat(spec.ordering()).isEqualTo(KafkaSourceSpec.Ordering.UNORDERED);
        assertThat(spec.keyType()).isEqualTo(KeyType.INT);
        assertThat(spec.extensions()).containsEntry("team", "billing");
        assertThat(spec.clientProperties())
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry(
                        "sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"alice\""
                                + " password=\"s\\\"cret\";")
                .containsEntry("ssl.truststore.type", "PEM")
                .containsEntry("ssl.truststore.certificates", SECRETS.get("SWITCHBOARD_SECRET_KAFKA_CREDS_CA"));
        assertThat(source.sink()).isEqualTo(new SourceSink.ToUri(URI.create("http://127.0.0.1:8081/orders")));
        assertThat(source.delivery().orElseThrow().retry()).isEqualTo(4);
        assertThat(source.toString()).doesNotContain("alice", "cret");
    }

    @Test
    void shouldReadTheV1alpha1ShapeOfAlibabaCloudsLiveCommentDemo() throws IOException {
        Files.writeString(dir.resolve("switchboard.yaml"), """
                addresses:
                  default/event-display: http://127.0.0.1:8080/
                """);
        LoadedConfig config = load("""
                apiVersion: sources.knative.dev/v1alpha1
                kind: KafkaSource
                metadata:
                  name: kafka-source
                  annotations:
                    k8s.aliyun.com/req-timeout: "60"
                    k8s.aliyun.com/retry-count: "5"
                    k8s.aliyun.com/retry-interval: "2"
                spec:
                  consumerGroup: barrage-group
                  bootstrapServers: 192.168.0.6:9092,192.168.0.7:9092, 192.168.0.8:9092
                  topics: barrage
                  sink:
                    ref:
                      apiVersion: serving.knative.dev/v1
                      kind: Service
                      name: event-display
                """);

        KafkaSourceResource source = config.sources(KafkaSourceResource.class).get(0);
        assertThat(source.spec().bootstrapServers())
                .containsExactly("192.168.0.6:9092", "192.168.0.7:9092", "192.168.0.8:9092");
        assertThat(source.spec().topics()).containsExactly("barrage");
        assertThat(source.spec().ordering()).isEqualTo(KafkaSourceSpec.Ordering.ORDERED);
        assertThat(source.spec().initialOffset()).isEqualTo(KafkaSourceSpec.InitialOffset.LATEST);
        assertThat(source.sink()).isEqualTo(new SourceSink.ToUri(URI.create("http://127.0.0.1:8080/")));
        var delivery = source.delivery().orElseThrow();
        assertThat(delivery.retry()).isEqualTo(5);
        assertThat(delivery.backoffDelay()).isEqualTo(Duration.ofSeconds(2));
        assertThat(delivery.timeout()).contains(Duration.ofSeconds(60));
    }

    @Test
    void shouldSendToABrokerRefWithoutADeliveryPolicy() throws IOException {
        LoadedConfig config = load("""
                apiVersion: sources.knative.dev/v1beta1
                kind: KafkaSource
                metadata:
                  name: orders
                spec:
                  bootstrapServers: [127.0.0.1:9092]
                  topics: [orders]
                  sink:
                    ref:
                      apiVersion: eventing.knative.dev/v1
                      kind: Broker
                      name: default
                """);

        KafkaSourceResource source = config.sources(KafkaSourceResource.class).get(0);
        assertThat(source.sink()).isEqualTo(new SourceSink.ToBroker("default/default"));
        assertThat(source.delivery()).isEmpty();
        assertThat(source.spec().consumerGroup()).isEqualTo("knative-kafka-source-default-orders");
        assertThat(source.spec().clientProperties()).isEmpty();
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("no bootstrap servers", "  topics: [t]\n", 11, "spec.bootstrapServers", "is required"),
                Arguments.of(
                        "server without port",
                        "  bootstrapServers: kafka.local\n  topics: [t]\n",
                        13,
                        "spec.bootstrapServers",
                        "\"kafka.local\" is not host:port"),
                Arguments.of(
                        "bad topic",
                        "  bootstrapServers: [127.0.0.1:9092]\n  topics: [\"a topic\"]\n",
                        14,
                        "spec.topics",
                        "is not a valid Kafka topic name"),
                Arguments.of(
                        "bad initial offset",
                        "  bootstrapServers: [127.0.0.1:9092]\n  topics: [t]\n  initialOffset: oldest\n",
                        15,
                        "spec.initialOffset",
                        "must be one of earliest, latest, found \"oldest\""),
                Arguments.of(
                        "bad ordering",
                        "  bootstrapServers: [127.0.0.1:9092]\n  topics: [t]\n  ordering: random\n",
                        15,
                        "spec.ordering",
                        "must be one of ordered, unordered"),
                Arguments.of(
                        "zero consumers",
                        "  bootstrapServers: [127.0.0.1:9092]\n  topics: [t]\n  consumers: 0\n",
                        15,
                        "spec.consumers",
                        "must be 1-64, found 0"),
                Arguments.of(
                        "missing SASL secret",
                        """
                          bootstrapServers: [127.0.0.1:9092]
                          topics: [t]
                          net:
                            sasl:
                              enable: true
                              user:
                                secretKeyRef: {name: nowhere, key: user}
                              password:
                                secretKeyRef: {name: kafka-creds, key: password}
                        """,
                        19,
                        "spec.net.sasl.user.secretKeyRef.name",
                        "secret nowhere/user not found"),
                Arguments.of("TLS cert without key", """
                          bootstrapServers: [127.0.0.1:9092]
                          topics: [t]
                          net:
                            tls:
                              enable: true
                              cert:
                                secretKeyRef: {name: kafka-creds, key: ca}
                        """, 17, "spec.net.tls.key", "cert and key go together"),
                Arguments.of(
                        "unknown field",
                        "  bootstrapServers: [127.0.0.1:9092]\n  topics: [t]\n  topic: t\n",
                        15,
                        "spec.topic",
                        "unknown field"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void shouldNameFileLineAndFieldOfEveryError(String rule, String spec, int line, String field, String message)
            throws IOException {
        Path file = dir.resolve("kafka.yaml");
        String yaml = """
                apiVersion: sources.knative.dev/v1beta1
                kind: KafkaSource
                metadata:
                  name: bad
                spec:
                  sink:
                    uri: http://127.0.0.1:1/
                """ + spec;

        assertThatThrownBy(() -> load(yaml))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems())
                        .anySatisfy(problem -> {
                            assertThat(problem.file()).isEqualTo(file);
                            assertThat(problem.field()).isEqualTo(field);
                            assertThat(problem.line()).isEqualTo(line);
                            assertThat(problem.message()).contains(message);
                        }));
    }

    @Test
    void shouldRefuseAnUnknownKeyTypeLabel() throws IOException {
        assertThatThrownBy(() -> load("""
                        apiVersion: sources.knative.dev/v1beta1
                        kind: KafkaSource
                        metadata:
                          name: bad
                          labels:
                            kafkasources.sources.knative.dev/key-type: uuid
                        spec:
                          bootstrapServers: [127.0.0.1:9092]
                          topics: [t]
                          sink:
                            uri: http://127.0.0.1:1/
                        """))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems())
                        .singleElement()
                        .hasToString(dir.resolve("kafka.yaml") + ":11: "
                                + "metadata.labels.kafkasources.sources.knative.dev/key-type: "
                                + "must be one of string, int, float, byte-array; found \"uuid\""));
    }
}
