package dev.switchboard.server.config;

import dev.switchboard.core.Ordering;
import dev.switchboard.delivery.DeliverySpec;
import dev.switchboard.delivery.http.HttpSinkOptions;
import dev.switchboard.trigger.CompiledFilter;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * A Knative {@code Trigger}, validated and resolved.
 *
 * @param namespace {@code metadata.namespace}
 * @param name {@code metadata.name}
 * @param broker the broker's key ({@code namespace/name})
 * @param filter the compiled {@code spec.filter}/{@code spec.filters}
 * @param subscriber {@code spec.subscriber}, resolved to a URL
 * @param delivery {@code spec.delivery} (with annotations applied), if any
 * @param ordering from {@code kafka.eventing.knative.dev/delivery.order}
 * @param sinkOptions wire format and protocol
 */
public record TriggerResource(
        String namespace,
        String name,
        String broker,
        CompiledFilter filter,
        URI subscriber,
        Optional<DeliverySpec> delivery,
        Ordering ordering,
        HttpSinkOptions sinkOptions) {
    public TriggerResource {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(broker, "broker");
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(subscriber, "subscriber");
        Objects.requireNonNull(delivery, "delivery");
        Objects.requireNonNull(ordering, "ordering");
        Objects.requireNonNull(sinkOptions, "sinkOptions");
    }

    /** {@code namespace/name}: the subscription's name, under which its cursor is kept. */
    public String key() {
        return namespace + "/" + name;
    }
}
