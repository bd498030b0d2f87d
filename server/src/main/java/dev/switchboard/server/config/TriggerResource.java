package dev.switchboard.server.config;

import dev.switchboard.core.Ordering;
import dev.switchboard.delivery.DeliverySpec;
import dev.switchboard.delivery.http.HttpSinkOptions;
import dev.switchboard.trigger.CompiledFilter;
import dev.switchboard.trigger.TriggerFilterSpec;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * A Knative {@code Trigger}, validated and resolved.
 *
 * @param namespace {@code metadata.namespace}
 * @param name {@code metadata.name}
 * @param broker the broker's key ({@code namespace/name})
 * @param filterSpec {@code spec.filter}/{@code spec.filters} as written
 * @param filter the compiled filter
 * @param subscriber {@code spec.subscriber}, resolved to a URL
 * @param delivery {@code spec.delivery} (with annotations applied), if any
 * @param ordering from {@code kafka.eventing.knative.dev/delivery.order}
 * @param sinkOptions wire format and protocol
 */
public record TriggerResource(
        String namespace,
        String name,
        String broker,
        TriggerFilterSpec filterSpec,
        CompiledFilter filter,
        URI subscriber,
        Optional<DeliverySpec> delivery,
        Ordering ordering,
        HttpSinkOptions sinkOptions) {
    public TriggerResource {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(broker, "broker");
        Objects.requireNonNull(filterSpec, "filterSpec");
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(subscriber, "subscriber");
        Objects.requireNonNull(delivery, "delivery");
        Objects.requireNonNull(ordering, "ordering");
        Objects.requireNonNull(sinkOptions, "sinkOptions");
    }

    /**
     * Whether this trigger is configured as {@code other} is; compiled filters are compared by the
     * spec they were compiled from.
     */
    public boolean sameAs(TriggerResource other) {
        return namespace.equals(other.namespace)
                && name.equals(other.name)
                && broker.equals(other.broker)
                && filterSpec.equals(other.filterSpec)
                && subscriber.equals(other.subscriber)
                && delivery.equals(other.delivery)
                && ordering == other.ordering
                && sinkOptions.equals(other.sinkOptions);
    }

    /** {@code namespace/name}: the subscription's name, under which its cursor is kept. */
    public String key() {
        return Names.qualified(namespace, name);
    }
}
