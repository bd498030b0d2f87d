package dev.switchboard.server.config;

import dev.switchboard.delivery.DeliverySpec;
import dev.switchboard.source.rocketmq.RocketMqSourceSpec;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a {@code RocketMQSource} in the shape Alibaba Cloud Knative uses ({@code namesrvAddr},
 * {@code topic}, {@code groupName}, {@code selectorType} + {@code selector}, access keys by secret
 * reference), plus where to start ({@code consumeFrom}) and {@code ordering}.
 */
final class RocketMqSourceParser {
    private static final Set<String> FIELDS = Set.of(
            "namesrvAddr",
            "topic",
            "groupName",
            "selectorType",
            "selector",
            "tag",
            "consumeFrom",
            "consumeTimestamp",
            "ordering",
            "accessKey",
            "secretKey",
            "instanceId",
            "sink",
            "delivery",
            "serviceAccountName");

    private RocketMqSourceParser() {}

    static Optional<RocketMqSourceResource> parse(
            String namespace,
            String name,
            Fields spec,
            Fields metadata,
            Map<String, String> annotations,
            AddressBook book,
            SecretResolver secrets) {
        spec.rejectUnknown(FIELDS);
        spec.ignore("serviceAccountName", "a Kubernetes-only field");
        spec.ignore("instanceId", "an Alibaba Cloud instance is reached through namesrvAddr and the access keys");
        Optional<String> nameServer = spec.requiredString("namesrvAddr");
        nameServer.ifPresent(addresses -> {
            for (String address : addresses.split(";")) {
                if (!address.strip().matches("[^\\s:/]+:\\d{1,5}")) {
                    spec.error("namesrvAddr", "\"" + address.strip() + "\" is not host:port (separate several with ;)");
                }
            }
        });
        Optional<String> topic = spec.requiredString("topic");
        topic.filter(t -> !t.matches("[%a-zA-Z0-9_-]{1,127}"))
                .ifPresent(t -> spec.error("topic", "\"" + t + "\" is not a valid RocketMQ topic name"));
        String group = spec.string("groupName").orElse("switchboard-" + namespace + "-" + name);
        RocketMqSourceSpec.SelectorType selectorType =
                spec.choice("selectorType", RocketMqSourceSpec.SelectorType.class, RocketMqSourceSpec.SelectorType.TAG);
        if (spec.has("tag") && spec.has("selector")) {
            spec.error("tag", "give selector or tag, not both");
        }
        String selector = spec.string("selector").or(() -> spec.string("tag")).orElse("*");
        RocketMqSourceSpec.ConsumeFrom consumeFrom =
                spec.choice("consumeFrom", RocketMqSourceSpec.ConsumeFrom.class, RocketMqSourceSpec.ConsumeFrom.LAST);
        Optional<Instant> timestamp = spec.string("consumeTimestamp").flatMap(text -> {
            try {
                return Optional.of(OffsetDateTime.parse(text).toInstant());
            } catch (DateTimeParseException e) {
                spec.error("consumeTimestamp", "must be an RFC 3339 time such as 2026-11-23T08:00:00Z");
                return Optional.empty();
            }
        });
        if (consumeFrom == RocketMqSourceSpec.ConsumeFrom.TIMESTAMP
                && timestamp.isEmpty()
                && !spec.has("consumeTimestamp")) {
            spec.error("consumeTimestamp", "is required when consumeFrom is timestamp");
        }
        RocketMqSourceSpec.Ordering ordering =
                spec.choice("ordering", RocketMqSourceSpec.Ordering.class, RocketMqSourceSpec.Ordering.CONCURRENTLY);
        Optional<String> accessKey =
                spec.has("accessKey") ? SourceParser.secret(spec, "accessKey", secrets) : Optional.empty();
        Optional<String> secretKey =
                spec.has("secretKey") ? SourceParser.secret(spec, "secretKey", secrets) : Optional.empty();
        if (spec.has("accessKey") != spec.has("secretKey")) {
            spec.error(spec.has("accessKey") ? "secretKey" : "accessKey", "accessKey and secretKey go together");
        }
        Optional<DeliverySpec> delivery = DeliveryParser.parse(spec, metadata, annotations, book, namespace);
        Optional<SourceSink> sink = SourceParser.sink(spec, book, namespace);
        if (nameServer.isEmpty()
                || topic.isEmpty()
                || sink.isEmpty()
                || (consumeFrom == RocketMqSourceSpec.ConsumeFrom.TIMESTAMP && timestamp.isEmpty())
                || accessKey.isPresent() != secretKey.isPresent()) {
            return Optional.empty();
        }
        RocketMqSourceSpec rocketMq = RocketMqSourceSpec.of(namespace, name, nameServer.get(), topic.get(), group)
                .withSelector(selectorType, selector)
                .withConsumeFrom(consumeFrom, timestamp)
                .withOrdering(ordering);
        if (accessKey.isPresent()) {
            rocketMq = rocketMq.withCredentials(accessKey.get(), secretKey.get());
        }
        return Optional.of(new RocketMqSourceResource(rocketMq, delivery, sink.get()));
    }
}
