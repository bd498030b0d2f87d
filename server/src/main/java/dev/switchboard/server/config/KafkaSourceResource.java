package dev.switchboard.server.config;

import dev.switchboard.delivery.DeliverySpec;
import dev.switchboard.source.kafka.KafkaSourceSpec;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@code KafkaSource}, validated, its secrets resolved into client properties.
 *
 * @param delivery the source's delivery policy, used when the sink is a URL (a broker accepts at
 *     once; its triggers have their own)
 */
public record KafkaSourceResource(KafkaSourceSpec spec, Optional<DeliverySpec> delivery, SourceSink sink)
        implements SourceResource {
    public KafkaSourceResource {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(delivery, "delivery");
        Objects.requireNonNull(sink, "sink");
    }

    @Override
    public String kind() {
        return "KafkaSource";
    }

    @Override
    public String key() {
        return spec.namespace() + "/" + spec.name();
    }

    @Override
    public String toString() {
        return spec + " to " + sink;
    }
}
