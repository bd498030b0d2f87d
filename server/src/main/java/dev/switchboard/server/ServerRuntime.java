package dev.switchboard.server;

import dev.switchboard.core.Broker;
import dev.switchboard.core.StartPosition;
import dev.switchboard.core.Subscription;
import dev.switchboard.core.SubscriptionSpec;
import dev.switchboard.core.Switchboard;
import dev.switchboard.delivery.DeliverySpec;
import dev.switchboard.delivery.ReplyPublisher;
import dev.switchboard.delivery.RetryingSink;
import dev.switchboard.delivery.http.HttpDelivery;
import dev.switchboard.server.config.BrokerResource;
import dev.switchboard.server.config.LoadedConfig;
import dev.switchboard.server.config.TriggerResource;
import dev.switchboard.server.metrics.ServerMetrics;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a loaded configuration: a broker per {@code Broker} resource and, per {@code Trigger}, a
 * subscription whose sink delivers over HTTP with the trigger's (or its broker's) delivery spec and
 * publishes replies back into the broker. New triggers start with events published from now on, as in
 * Knative; a trigger seen before resumes from its cursor.
 */
public final class ServerRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(ServerRuntime.class);

    private final Switchboard switchboard;
    private final HttpDelivery delivery;
    private final Map<String, Broker> brokers = new ConcurrentHashMap<>();
    private final Map<String, Subscription> triggers = new LinkedHashMap<>();
    private final Map<String, TriggerResource> resources = new LinkedHashMap<>();

    private final ServerMetrics metrics;

    public ServerRuntime(Switchboard switchboard, HttpDelivery delivery, ServerMetrics metrics) {
        this.switchboard = switchboard;
        this.delivery = delivery;
        this.metrics = metrics;
    }

    public ServerMetrics metrics() {
        return metrics;
    }

    /** Opens the configuration's brokers and starts its triggers. */
    public synchronized void apply(LoadedConfig config) {
        Map<String, BrokerResource> byKey = new LinkedHashMap<>();
        for (BrokerResource resource : config.brokers()) {
            Broker broker = switchboard.createBroker(resource.key(), resource.storage());
            if (brokers.put(resource.key(), broker) == null) {
                metrics.bindBroker(resource.key(), broker);
            }
            byKey.put(resource.key(), resource);
        }
        for (TriggerResource trigger : config.triggers()) {
            Broker broker = brokers.get(trigger.broker());
            DeliverySpec spec = DeliverySpec.effective(
                    trigger.delivery(), byKey.get(trigger.broker()).delivery());
            RetryingSink sink =
                    delivery.sink(trigger.subscriber(), spec, trigger.sinkOptions(), ReplyPublisher.to(broker));
            SubscriptionSpec subscription = SubscriptionSpec.of(
                            trigger.key(), metrics.bindTrigger(trigger.key(), trigger.broker(), sink))
                    .withFilter(trigger.filter())
                    .withOrdering(trigger.ordering())
                    .withStart(StartPosition.latest());
            Subscription running = broker.subscribe(subscription);
            metrics.bindSubscription(trigger.key(), trigger.broker(), running);
            triggers.put(trigger.key(), running);
            resources.put(trigger.key(), trigger);
            LOG.info("trigger {} on broker {} delivers to {}", trigger.key(), trigger.broker(), trigger.subscriber());
        }
    }

    /** The broker at {@code namespace/name}, if configured. */
    public Optional<Broker> broker(String namespace, String name) {
        return Optional.ofNullable(brokers.get(namespace + "/" + name));
    }

    /** The brokers by {@code namespace/name}, in configuration order. */
    public Map<String, Broker> brokers() {
        return new java.util.TreeMap<>(brokers);
    }

    /** A running trigger: its resource and its subscription. */
    public record RunningTrigger(TriggerResource resource, Subscription subscription) {}

    /** The triggers by {@code namespace/name}, in configuration order. */
    public synchronized Map<String, RunningTrigger> triggers() {
        Map<String, RunningTrigger> running = new LinkedHashMap<>();
        resources.forEach((key, resource) -> running.put(key, new RunningTrigger(resource, triggers.get(key))));
        return running;
    }
}
