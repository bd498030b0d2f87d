package dev.switchboard.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.source.rocketmq.RocketMqSourceSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** RocketMQSource YAML in Alibaba Cloud Knative's shape. */
class RocketMqSourceConfigTest {
    @TempDir
    Path dir;

    private static final Map<String, String> SECRETS = Map.of(
            "SWITCHBOARD_SECRET_MQ_KEYS_ACCESSKEY", "ak-1",
            "SWITCHBOARD_SECRET_MQ_KEYS_SECRETKEY", "sk-1");

    private LoadedConfig load(String spec) throws IOException {
        Files.writeString(dir.resolve("mq.yaml"), """
                apiVersion: sources.eventing.alibabacloud.com/v1alpha1
                kind: RocketMQSource
                metadata:
                  name: orders
                spec:
                  sink:
                    uri: http://127.0.0.1:8081/
                """ + spec);
        return ConfigLoader.load(dir, SECRETS::get);
    }

    @Test
    void shouldReadEveryField() throws IOException {
        RocketMqSourceResource source =
                load("""
                          namesrvAddr: 10.0.0.1:9876;10.0.0.2:9876
                          topic: orders
                          groupName: GID_orders
                          selectorType: SQL92
                          selector: "region = 'eu'"
                          consumeFrom: timestamp
                          consumeTimestamp: 2026-11-23T08:00:00Z
                          ordering: orderly
                          accessKey:
                            secretKeyRef: {name: mq-keys, key: accessKey}
                          secretKey:
                            secretKeyRef: {name: mq-keys, key: secretKey}
                        """).sources(RocketMqSourceResource.class).get(0);

        RocketMqSourceSpec spec = source.spec();
        assertThat(spec.nameServer()).isEqualTo("10.0.0.1:9876;10.0.0.2:9876");
        assertThat(spec.topic()).isEqualTo("orders");
        assertThat(spec.group()).isEqualTo("GID_orders");
        assertThat(spec.selectorType()).isEqualTo(RocketMqSourceSpec.SelectorType.SQL92);
        assertThat(spec.selector()).isEqualTo("region = 'eu'");
        assertThat(spec.consumeFrom()).isEqualTo(RocketMqSourceSpec.ConsumeFrom.TIMESTAMP);
        assertThat(spec.consumeTimestamp()).contains(Instant.parse("2026-11-23T08:00:00Z"));
        assertThat(spec.ordering()).isEqualTo(RocketMqSourceSpec.Ordering.ORDERLY);
        assertThat(spec.accessKey()).contains("ak-1");
        assertThat(spec.secretKey()).contains("sk-1");
        assertThat(source.toString()).doesNotContain("ak-1", "sk-1");
    }

    @Test
    void shouldDefaultToEveryTagFromTheLastOffsetConcurrently() throws IOException {
        RocketMqSourceSpec spec = load("  namesrvAddr: 127.0.0.1:9876\n  topic: orders\n")
                .sources(RocketMqSourceResource.class)
                .get(0)
                .spec();

        assertThat(spec.selectorType()).isEqualTo(RocketMqSourceSpec.SelectorType.TAG);
        assertThat(spec.selector()).isEqualTo("*");
        assertThat(spec.consumeFrom()).isEqualTo(RocketMqSourceSpec.ConsumeFrom.LAST);
        assertThat(spec.ordering()).isEqualTo(RocketMqSourceSpec.Ordering.CONCURRENTLY);
        assertThat(spec.group()).isEqualTo("switchboard-default-orders");
        assertThat(spec.accessKey()).isEmpty();
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("no name server", "  topic: orders\n", 6, "spec.namesrvAddr", "is required"),
                Arguments.of(
                        "bad name server",
                        "  namesrvAddr: mq.local\n  topic: orders\n",
                        8,
                        "spec.namesrvAddr",
                        "\"mq.local\" is not host:port"),
                Arguments.of(
                        "bad selector type",
                        "  namesrvAddr: 127.0.0.1:9876\n  topic: t\n  selectorType: regex\n",
                        10,
                        "spec.selectorType",
                        "must be one of tag, sql92, found \"regex\""),
                Arguments.of(
                        "timestamp without a time",
                        "  namesrvAddr: 127.0.0.1:9876\n  topic: t\n  consumeFrom: timestamp\n",
                        6,
                        "spec.consumeTimestamp",
                        "is required when consumeFrom is timestamp"),
                Arguments.of(
                        "unreadable time",
                        "  namesrvAddr: 127.0.0.1:9876\n  topic: t\n  consumeFrom: timestamp\n  consumeTimestamp: yesterday\n",
                        11,
                        "spec.consumeTimestamp",
                        "must be an RFC 3339 time"),
                Arguments.of(
                        "access key alone",
                        "  namesrvAddr: 127.0.0.1:9876\n  topic: t\n  accessKey:\n    secretKeyRef: {name: mq-keys, key: accessKey}\n",
                        6,
                        "spec.secretKey",
                        "accessKey and secretKey go together"),
                Arguments.of(
                        "bad ordering",
                        "  namesrvAddr: 127.0.0.1:9876\n  topic: t\n  ordering: fifo\n",
                        10,
                        "spec.ordering",
                        "must be one of orderly, concurrently"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void shouldNameFileLineAndFieldOfEveryError(String rule, String spec, int line, String field, String message) {
        assertThatThrownBy(() -> load(spec))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems())
                        .anySatisfy(problem -> {
                            assertThat(problem.file()).isEqualTo(dir.resolve("mq.yaml"));
                            assertThat(problem.field()).isEqualTo(field);
                            assertThat(problem.line()).isEqualTo(line);
                            assertThat(problem.message()).contains(message);
                        }));
    }
}
