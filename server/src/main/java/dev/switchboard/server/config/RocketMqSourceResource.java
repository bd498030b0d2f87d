package dev.switchboard.server.config;

import dev.switchboard.delivery.DeliverySpec;
import dev.switchboard.source.rocketmq.RocketMqSourceSpec;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@code RocketMQSource}, validated, its access keys resolved.
 *
 * @param delivery the source's delivery policy, used when the sink is a URL
 */
public record RocketMqSourceResource(RocketMqSourceSpec spec, Optional<DeliverySpec> delivery, SourceSink sink)
        implements SourceResource {
    public RocketMqSourceResource {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(delivery, "delivery");
        Objects.requireNonNull(sink, "sink");
    }

    @Override
    public String kind() {
        return "RocketMQSource";
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
