package dev.switchboard.server.config;

import dev.switchboard.core.BrokerConfig;
import dev.switchboard.delivery.DeliverySpec;
import java.util.Objects;
import java.util.Optional;

/**
 * A Knative {@code Broker}.
 *
 * @param namespace {@code metadata.namespace} ({@code default} when absent)
 * @param name {@code metadata.name}
 * @param storage durability, buffer limit and retention, from {@code switchboard.dev/*} annotations
 * @param delivery {@code spec.delivery}, the default for its triggers
 */
public record BrokerResource(String namespace, String name, BrokerConfig storage, Optional<DeliverySpec> delivery) {
    public BrokerResource {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(delivery, "delivery");
    }

    /** {@code namespace/name}: the broker's name in the store and its ingress path. */
    public String key() {
        return Names.qualified(namespace, name);
    }
}
