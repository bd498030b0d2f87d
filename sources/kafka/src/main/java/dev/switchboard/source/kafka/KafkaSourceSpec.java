package dev.switchboard.source.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A {@code KafkaSource}, as Knative defines it, resolved: client security settings are already
 * Kafka client properties (secrets read), so nothing here refers to outside state.
 *
 * @param consumers how many consumers of the group this source runs (each its own thread)
 * @param clientProperties extra Kafka client properties: security ({@code security.protocol},
 *     {@code sasl.*}, {@code ssl.*}) and anything the embedding application sets
 * @param extensions {@code ceOverrides.extensions}: set on every event
 * @param maxInFlight records of one consumer that may be on their way to the target at once; a
 *     partition is paused while its consumer is over this
 */
public record KafkaSourceSpec(
        String namespace,
        String name,
        List<String> bootstrapServers,
        List<String> topics,
        String consumerGroup,
        InitialOffset initialOffset,
        int consumers,
        Ordering ordering,
        KeyType keyType,
        Map<String, String> extensions,
        Map<String, String> clientProperties,
        int maxInFlight,
        Duration commitInterval) {

    /** Where a consumer group with no committed offset starts. */
    public enum InitialOffset {
        EARLIEST,
        LATEST
    }

    /**
     * {@code ordered}: a partition's records reach the target one at a time, in offset order.
     * {@code unordered}: they overlap.
     */
    public enum Ordering {
        ORDERED,
        UNORDERED
    }

    public KafkaSourceSpec {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        bootstrapServers = List.copyOf(bootstrapServers);
        topics = List.copyOf(topics);
        Objects.requireNonNull(consumerGroup, "consumerGroup");
        Objects.requireNonNull(initialOffset, "initialOffset");
        Objects.requireNonNull(ordering, "ordering");
        Objects.requireNonNull(keyType, "keyType");
        extensions = Map.copyOf(extensions);
        clientProperties = Map.copyOf(clientProperties);
        Objects.requireNonNull(commitInterval, "commitInterval");
        if (bootstrapServers.isEmpty()) {
            throw new IllegalArgumentException("bootstrapServers is empty");
        }
        if (topics.isEmpty()) {
            throw new IllegalArgumentException("topics is empty");
        }
        if (consumers < 1) {
            throw new IllegalArgumentException("consumers must be at least 1, found " + consumers);
        }
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be at least 1, found " + maxInFlight);
        }
    }

    /** Knative's defaults: ordered, from the latest offset, one consumer, string keys. */
    public static KafkaSourceSpec of(
            String namespace, String name, List<String> bootstrapServers, List<String> topics, String group) {
        return new KafkaSourceSpec(
                namespace,
                name,
                bootstrapServers,
                topics,
                group,
                InitialOffset.LATEST,
                1,
                Ordering.ORDERED,
                KeyType.STRING,
                Map.of(),
                Map.of(),
                500,
                Duration.ofMillis(500));
    }

    public KafkaSourceSpec withInitialOffset(InitialOffset value) {
        return with(c -> c.initialOffset = value);
    }

    public KafkaSourceSpec withOrdering(Ordering value) {
        return with(c -> c.ordering = value);
    }

    public KafkaSourceSpec withConsumers(int value) {
        return with(c -> c.consumers = value);
    }

    public KafkaSourceSpec withKeyType(KeyType value) {
        return with(c -> c.keyType = value);
    }

    public KafkaSourceSpec withExtensions(Map<String, String> value) {
        return with(c -> c.extensions = value);
    }

    public KafkaSourceSpec withClientProperties(Map<String, String> value) {
        return with(c -> c.clientProperties = value);
    }

    public KafkaSourceSpec withMaxInFlight(int value) {
        return with(c -> c.maxInFlight = value);
    }

    /** A copy of this spec with {@code change} applied to it. */
    private KafkaSourceSpec with(java.util.function.Consumer<Copy> change) {
        Copy copy = new Copy(this);
        change.accept(copy);
        return copy.build();
    }

    /** The fields of a spec, open to change, for the {@code with...} methods. */
    private static final class Copy {
        String namespace;
        String name;
        List<String> bootstrapServers;
        List<String> topics;
        String consumerGroup;
        InitialOffset initialOffset;
        int consumers;
        Ordering ordering;
        KeyType keyType;
        Map<String, String> extensions;
        Map<String, String> clientProperties;
        int maxInFlight;
        Duration commitInterval;

        Copy(KafkaSourceSpec spec) {
            this.namespace = spec.namespace;
            this.name = spec.name;
            this.bootstrapServers = spec.bootstrapServers;
            this.topics = spec.topics;
            this.consumerGroup = spec.consumerGroup;
            this.initialOffset = spec.initialOffset;
            this.consumers = spec.consumers;
            this.ordering = spec.ordering;
            this.keyType = spec.keyType;
            this.extensions = spec.extensions;
            this.clientProperties = spec.clientProperties;
            this.maxInFlight = spec.maxInFlight;
            this.commitInterval = spec.commitInterval;
        }

        KafkaSourceSpec build() {
            return new KafkaSourceSpec(
                    namespace,
                    name,
                    bootstrapServers,
                    topics,
                    consumerGroup,
                    initialOffset,
                    consumers,
                    ordering,
                    keyType,
                    extensions,
                    clientProperties,
                    maxInFlight,
                    commitInterval);
        }
    }

    /** Never prints client properties: they hold passwords. */
    @Override
    public String toString() {
        return "KafkaSource " + namespace + "/" + name + " (" + String.join(",", bootstrapServers) + ", topics "
                + topics + ", group " + consumerGroup + ")";
    }
}
