package dev.switchboard.source.rocketmq;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@code RocketMQSource}, resolved (access keys read from their secrets).
 *
 * @param selector a tag expression ({@code *}, {@code a || b}) or an SQL92 expression over message
 *     properties, as {@code selectorType} says
 * @param consumeTimestamp where {@link ConsumeFrom#TIMESTAMP} starts
 * @param accessKey ACL credentials, when the cluster has ACL on
 */
public record RocketMqSourceSpec(
        String namespace,
        String name,
        String nameServer,
        String topic,
        String group,
        SelectorType selectorType,
        String selector,
        ConsumeFrom consumeFrom,
        Optional<Instant> consumeTimestamp,
        Ordering ordering,
        Optional<String> accessKey,
        Optional<String> secretKey) {

    public enum SelectorType {
        TAG,
        SQL92
    }

    /** Where a consumer group with no consumed offset starts. */
    public enum ConsumeFrom {
        FIRST,
        LAST,
        TIMESTAMP
    }

    /** {@code orderly}: one message at a time per queue, in queue order; {@code concurrently}: overlapping. */
    public enum Ordering {
        ORDERLY,
        CONCURRENTLY
    }

    public RocketMqSourceSpec {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(nameServer, "nameServer");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(selectorType, "selectorType");
        Objects.requireNonNull(selector, "selector");
        Objects.requireNonNull(consumeFrom, "consumeFrom");
        Objects.requireNonNull(consumeTimestamp, "consumeTimestamp");
        Objects.requireNonNull(ordering, "ordering");
        Objects.requireNonNull(accessKey, "accessKey");
        Objects.requireNonNull(secretKey, "secretKey");
        if (consumeFrom == ConsumeFrom.TIMESTAMP && consumeTimestamp.isEmpty()) {
            throw new IllegalArgumentException("consumeFrom timestamp needs consumeTimestamp");
        }
        if (accessKey.isPresent() != secretKey.isPresent()) {
            throw new IllegalArgumentException("accessKey and secretKey go together");
        }
    }

    /** Every tag, from the last offset, concurrently, without ACL. */
    public static RocketMqSourceSpec of(String namespace, String name, String nameServer, String topic, String group) {
        return new RocketMqSourceSpec(
                namespace,
                name,
                nameServer,
                topic,
                group,
                SelectorType.TAG,
                "*",
                ConsumeFrom.LAST,
                Optional.empty(),
                Ordering.CONCURRENTLY,
                Optional.empty(),
                Optional.empty());
    }

    public RocketMqSourceSpec withSelector(SelectorType type, String expression) {
        return new RocketMqSourceSpec(
                namespace,
                name,
                nameServer,
                topic,
                group,
                type,
                expression,
                consumeFrom,
                consumeTimestamp,
                ordering,
                accessKey,
                secretKey);
    }

    public RocketMqSourceSpec withConsumeFrom(ConsumeFrom from, Optional<Instant> timestamp) {
        return new RocketMqSourceSpec(
                namespace,
                name,
                nameServer,
                topic,
                group,
                selectorType,
                selector,
                from,
                timestamp,
                ordering,
                accessKey,
                secretKey);
    }

    public RocketMqSourceSpec withOrdering(Ordering value) {
        return new RocketMqSourceSpec(
                namespace,
                name,
                nameServer,
                topic,
                group,
                selectorType,
                selector,
                consumeFrom,
                consumeTimestamp,
                value,
                accessKey,
                secretKey);
    }

    public RocketMqSourceSpec withCredentials(String access, String secret) {
        return new RocketMqSourceSpec(
                namespace,
                name,
                nameServer,
                topic,
                group,
                selectorType,
                selector,
                consumeFrom,
                consumeTimestamp,
                ordering,
                Optional.of(access),
                Optional.of(secret));
    }

    /** Never prints the keys. */
    @Override
    public String toString() {
        return "RocketMQSource " + namespace + "/" + name + " (" + nameServer + ", topic " + topic + ", group " + group
                + ", " + selectorType + " " + selector + ")";
    }
}
