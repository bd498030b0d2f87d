package dev.switchboard.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.Durability;
import dev.switchboard.core.Ordering;
import dev.switchboard.delivery.BackoffPolicy;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private Path write(String name, String yaml) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, yaml);
        return file;
    }

    private static final String BROKER = """
            apiVersion: eventing.knative.dev/v1
            kind: Broker
            metadata:
              name: default
            """;

    @Test
    void shouldLoadAKnativeUsersFilesUnchangedWithWarningsForKubernetesOnlyFields() throws IOException {
        write("broker.yaml", """
                apiVersion: eventing.knative.dev/v1
                kind: Broker
                metadata:
                  name: default
                  namespace: default
                  uid: 4c7e5a7e-1111-2222-3333-444455556666
                  resourceVersion: "12345"
                  creationTimestamp: "2026-01-01T00:00:00Z"
                  labels:
                    app: shop
                  annotations:
                    eventing.knative.dev/broker.class: MTChannelBasedBroker
                    switchboard.dev/durability: fsync
                spec:
                  config:
                    apiVersion: v1
                    kind: ConfigMap
                    name: config-br-default-channel
                    namespace: knative-eventing
                  delivery:
                    retry: 5
                    backoffPolicy: linear
                    backoffDelay: PT0.5S
                status:
                  address:
                    url: http://broker-ingress.knative-eventing.svc.cluster.local/default/default
                """);
        write("trigger.yaml", """
                apiVersion: eventing.knative.dev/v1
                kind: Trigger
                metadata:
                  name: orders
                  annotations:
                    kafka.eventing.knative.dev/delivery.order: ordered
                spec:
                  broker: default
                  filter:
                    attributes:
                      type: com.example.order.created
                  subscriber:
                    ref:
                      apiVersion: serving.knative.dev/v1
                      kind: Service
                      name: order-processor
                    uri: /events
                ---
                apiVersion: serving.knative.dev/v1
                kind: Service
                metadata:
                  name: order-processor
                spec:
                  template:
                    spec:
                      containers:
                        - image: example/order-processor
                """);
        write(ConfigLoader.SETTINGS_FILE, """
                addresses:
                  default/order-processor: http://127.0.0.1:9000/
                """);

        LoadedConfig config = ConfigLoader.load(dir);

        assertThat(config.brokers()).singleElement().satisfies(broker -> {
            assertThat(broker.key()).isEqualTo("default/default");
            assertThat(broker.storage().durability()).isEqualTo(Durability.FSYNC);
            assertThat(broker.delivery().orElseThrow().retry()).isEqualTo(5);
            assertThat(broker.delivery().orElseThrow().backoffPolicy()).isEqualTo(BackoffPolicy.LINEAR);
            assertThat(broker.delivery().orElseThrow().backoffDelay()).isEqualTo(Duration.ofMillis(500));
        });
        assertThat(config.triggers()).singleElement().satisfies(trigger -> {
            assertThat(trigger.key()).isEqualTo("default/orders");
            assertThat(trigger.broker()).isEqualTo("default/default");
            assertThat(trigger.subscriber()).isEqualTo(URI.create("http://127.0.0.1:9000/events"));
            assertThat(trigger.ordering()).isEqualTo(Ordering.ORDERED);
            assertThat(trigger.filter()
                            .test(CloudEventBuilder.v1()
                                    .withId("1")
                                    .withSource(URI.create("/s"))
                                    .withType("com.example.order.created")
                                    .build()))
                    .isTrue();
        });
        assertThat(config.warnings())
                .extracting(ConfigProblem::field)
                .contains(
                        "status",
                        "metadata.uid",
                        "metadata.labels",
                        "spec.config",
                        "metadata.annotations.eventing.knative.dev/broker.class",
                        "kind");
        assertThat(config.warnings()).allSatisfy(w -> assertThat(w.line()).isPositive());
    }

    @Test
    void shouldApplyAlibabaCloudDeliveryAnnotations() throws IOException {
        write("all.yaml", BROKER + """
                ---
                apiVersion: eventing.knative.dev/v1
                kind: Trigger
                metadata:
                  name: barrage
                  annotations:
                    k8s.aliyun.com/retry-count: "3"
                    k8s.aliyun.com/retry-interval: "2"
                    k8s.aliyun.com/req-timeout: "15"
                spec:
                  broker: default
                  subscriber:
                    uri: http://127.0.0.1:9001/
                """);

        var delivery = ConfigLoader.load(dir).triggers().get(0).delivery().orElseThrow();

        assertThat(delivery.retry()).isEqualTo(3);
        assertThat(delivery.backoffDelay()).isEqualTo(Duration.ofSeconds(2));
        assertThat(delivery.backoffMax()).contains(Duration.ofSeconds(2));
        assertThat(delivery.timeout()).contains(Duration.ofSeconds(15));
    }

    static Stream<Arguments> invalidTriggers() {
        return Stream.of(
                Arguments.of("unknown field", """
                        spec:
                          broker: default
                          subscribr:
                            uri: http://127.0.0.1:1/
                        """, 12, "spec.subscribr", "unknown field"),
                Arguments.of("wrong type", """
                        spec:
                          broker: default
                          subscriber:
                            uri: http://127.0.0.1:1/
                          delivery:
                            retry: many
                        """, 15, "spec.delivery.retry", "must be an integer"),
                Arguments.of("bad ISO-8601 duration", """
                        spec:
                          broker: default
                          subscriber:
                            uri: http://127.0.0.1:1/
                          delivery:
                            backoffDelay: 5s
                        """, 15, "spec.delivery.backoffDelay", "ISO-8601"),
                Arguments.of("dangling broker", """
                        spec:
                          broker: missing
                          subscriber:
                            uri: http://127.0.0.1:1/
                        """, 11, "spec.broker", "default/missing, which is not defined"),
                Arguments.of("unresolvable ref", """
                        spec:
                          broker: default
                          subscriber:
                            ref:
                              kind: Service
                              name: nowhere
                        """, 15, "spec.subscriber.ref.name", "cannot be resolved"),
                Arguments.of("relative subscriber uri", """
                        spec:
                          broker: default
                          subscriber:
                            uri: /relative
                        """, 13, "spec.subscriber.uri", "absolute http(s) URL"),
                Arguments.of("bad filter attribute", """
                        spec:
                          broker: default
                          filters:
                            - exact:
                                Type: x
                          subscriber:
                            uri: http://127.0.0.1:1/
                        """, 14, "spec.filters[0].exact.Type", "must match"),
                Arguments.of("two dialects in one filter", """
                        spec:
                          broker: default
                          filters:
                            - exact:
                                type: x
                              prefix:
                                type: y
                          subscriber:
                            uri: http://127.0.0.1:1/
                        """, 13, "spec.filters[0].exact", "exactly one of"),
                Arguments.of("invalid CESQL", """
                        spec:
                          broker: default
                          filters:
                            - cesql: "type = "
                          subscriber:
                            uri: http://127.0.0.1:1/
                        """, 13, "spec.filters[0].cesql", "invalid CESQL"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidTriggers")
    void shouldNameFileLineAndFieldOfEveryError(String rule, String spec, int line, String field, String message)
            throws IOException {
        Path file = write("trigger.yaml", BROKER + """
                ---
                apiVersion: eventing.knative.dev/v1
                kind: Trigger
                metadata:
                  name: t
                """ + spec);

        assertThatThrownBy(() -> ConfigLoader.load(dir))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems())
                        .anySatisfy(problem -> {
                            assertThat(problem.file()).isEqualTo(file);
                            assertThat(problem.field()).isEqualTo(field);
                            assertThat(problem.line()).isEqualTo(line);
                            assertThat(problem.message()).contains(message);
                            assertThat(problem.toString()).startsWith(file + ":" + line + ": " + field + ": ");
                        }));
    }

    @Test
    void shouldRefuseAnUnknownDeliveryOrder() throws IOException {
        Path file = write("trigger.yaml", BROKER + """
                ---
                apiVersion: eventing.knative.dev/v1
                kind: Trigger
                metadata:
                  name: t
                  annotations:
                    kafka.eventing.knative.dev/delivery.order: sometimes
                spec:
                  broker: default
                  subscriber:
                    uri: http://127.0.0.1:1/
                """);

        assertThatThrownBy(() -> ConfigLoader.load(dir))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems())
                        .singleElement()
                        .hasToString(file + ":11: metadata.annotations.kafka.eventing.knative.dev/delivery.order: "
                                + "must be ordered or unordered, found \"sometimes\""));
    }

    @Test
    void shouldReportUnparsableYamlWithItsLine() throws IOException {
        Path file = write("broken.yaml", BROKER + "spec: [unclosed\n");

        assertThatThrownBy(() -> ConfigLoader.load(dir))
                .isInstanceOfSatisfying(
                        InvalidConfigException.class,
                        e -> assertThat(e.problems()).singleElement().satisfies(p -> {
                            assertThat(p.file()).isEqualTo(file);
                            assertThat(p.line()).isPositive();
                            assertThat(p.message()).startsWith("cannot read YAML");
                        }));
    }

    @Test
    void shouldRefuseUnsupportedKindsAndDuplicates() throws IOException {
        write("all.yaml", BROKER + "---\n" + BROKER + """
                ---
                apiVersion: sources.knative.dev/v1
                kind: ContainerSource
                metadata:
                  name: heartbeat
                """);

        assertThatThrownBy(() -> ConfigLoader.load(dir))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems())
                        .extracting(ConfigProblem::message)
                        .anySatisfy(m -> assertThat(m).contains("Broker default/default is defined twice"))
                        .anySatisfy(m -> assertThat(m).contains("unsupported kind ContainerSource")));
    }
}
