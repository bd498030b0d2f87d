package dev.switchboard.server;

import dev.switchboard.core.Broker;
import dev.switchboard.core.EventSource;
import dev.switchboard.core.EventTarget;
import dev.switchboard.core.PublishGroup;
import dev.switchboard.core.StartPosition;
import dev.switchboard.core.Subscription;
import dev.switchboard.core.SubscriptionSpec;
import dev.switchboard.core.Switchboard;
import dev.switchboard.delivery.DeliverySpec;
import dev.switchboard.delivery.ReplyPublisher;
import dev.switchboard.delivery.RetryingSink;
import dev.switchboard.delivery.http.HttpDelivery;
import dev.switchboard.server.config.BrokerResource;
import dev.switchboard.server.config.GitHubSourceResource;
import dev.switchboard.server.config.KafkaSourceResource;
import dev.switchboard.server.config.LoadedConfig;
import dev.switchboard.server.config.MnsSourceResource;
import dev.switchboard.server.config.PingSourceResource;
import dev.switchboard.server.config.RocketMqSourceResource;
import dev.switchboard.server.config.SourceResource;
import dev.switchboard.server.config.SourceSink;
import dev.switchboard.server.config.TriggerResource;
import dev.switchboard.server.metrics.ServerMetrics;
import dev.switchboard.source.github.GitHubWebhook;
import dev.switchboard.source.kafka.KafkaSource;
import dev.switchboard.source.mns.MnsSource;
import dev.switchboard.source.ping.PingSource;
import dev.switchboard.source.rocketmq.RocketMqSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a loaded configuration, and moves a running one to a new one without a restart: a broker per
 * {@code Broker} resource and, per {@code Trigger}, a subscription whose sink delivers over HTTP with
 * the trigger's (or its broker's) delivery spec and publishes replies back into the broker.
 *
 * <p>On a change: added triggers start with events published from now on (as in Knative); removed
 * triggers stop and forget their cursor; changed triggers restart from their cursor, so nothing
 * buffered for them is lost; unchanged triggers are not touched. Removed brokers stop taking events
 * but keep their log.
 */
public final class ServerRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(ServerRuntime.class);

    private final Switchboard switchboard;
    private final HttpDelivery delivery;
    private final ServerMetrics metrics;
    private final Map<String, Broker> brokers = new ConcurrentHashMap<>();
    private final Map<String, BrokerResource> brokerResources = new LinkedHashMap<>();
    private final Map<String, RunningTrigger> triggers = new LinkedHashMap<>();

    private final Map<String, ParkedEvents> parked = new LinkedHashMap<>();
    private final Map<String, RunningSource> sources = new LinkedHashMap<>();
    private final String instance;
    private final ScheduledExecutorService sourceScheduler;

    /** A running source and the resource it was started from. */
    private record RunningSource(SourceResource resource, EventSource source) {}

    /** A running trigger: its resource and its subscription. */
    public record RunningTrigger(TriggerResource resource, Subscription subscription) {}

    /**
     * @param instance names this installation (host and data directory) stably across restarts; Kafka
     *     sources use it as their static group membership, so a restarted server takes its partitions
     *     back at once instead of waiting for the old member's session to time out
     */
    public ServerRuntime(
            Switchboard switchboard,
            HttpDelivery delivery,
            ServerMetrics metrics,
            ScheduledExecutorService sourceScheduler,
            String instance) {
        this.instance = instance;
        this.switchboard = switchboard;
        this.delivery = delivery;
        this.metrics = metrics;
        this.sourceScheduler = sourceScheduler;
    }

    public ServerMetrics metrics() {
        return metrics;
    }

    /** Moves to {@code config}: the first call starts everything, later calls apply the difference. */
    public synchronized void apply(LoadedConfig config) {
        Map<String, BrokerResource> wanted = new LinkedHashMap<>();
        config.brokers().forEach(b -> wanted.put(b.key(), b));
        for (BrokerResource resource : wanted.values()) {
            Broker broker = switchboard.createBroker(resource.key(), resource.storage());
            if (brokers.put(resource.key(), broker) == null) {
                metrics.bindBroker(resource.key(), broker);
            }
        }
        Map<String, TriggerResource> wantedTriggers = new LinkedHashMap<>();
        config.triggers().forEach(t -> wantedTriggers.put(t.key(), t));
        for (String key : Map.copyOf(triggers).keySet()) {
            TriggerResource now = wantedTriggers.get(key);
            RunningTrigger running = triggers.get(key);
            if (now == null) {
                stop(running, true);
                LOG.info("trigger {} removed", key);
            } else if (!now.sameAs(running.resource())
                    || !delivery(now, wanted).equals(delivery(running.resource(), brokerResources))) {
                stop(running, false);
                LOG.info("trigger {} changed; it resumes from its cursor", key);
            }
        }
        brokerResources.clear();
        brokerResources.putAll(wanted);
        for (String key : Map.copyOf(brokers).keySet()) {
            if (!wanted.containsKey(key)) {
                brokers.remove(key);
                LOG.info("broker {} removed from the configuration; its log is kept", key);
            }
        }
        for (TriggerResource trigger : wantedTriggers.values()) {
            if (!triggers.containsKey(trigger.key())) {
                start(trigger);
            }
        }
        forgetRemovedTriggers(wantedTriggers);
        // Every trigger that resumes after a restart has subscribed: fan-outs need not wait for others.
        brokers.values().forEach(Broker::subscriptionsResumed);
        applySources(config);
    }

    /**
     * A trigger deleted from the configuration while the server was down left its cursor behind, which
     * would hold back its broker's retention for good: the configuration is the truth, as in Knative,
     * where deleting a Trigger deletes its state.
     */
    private void forgetRemovedTriggers(Map<String, TriggerResource> wanted) {
        brokers.forEach((brokerKey, broker) -> {
            for (String name : broker.subscriptionNames()) {
                TriggerResource trigger = wanted.get(name);
                if (trigger == null || !trigger.broker().equals(brokerKey)) {
                    broker.deleteSubscription(name);
                    LOG.info("broker {}: forgot the cursor of {}, a trigger no longer configured", brokerKey, name);
                }
            }
        });
    }

    private void applySources(LoadedConfig config) {
        Map<String, SourceResource> wanted = new LinkedHashMap<>();
        config.sources().forEach(source -> wanted.put(source.kind() + " " + source.key(), source));
        for (String key : Map.copyOf(sources).keySet()) {
            if (!sources.get(key).resource().equals(wanted.get(key))) {
                sources.remove(key).source().close();
                metrics.unbindSource(key);
                LOG.info("{} stopped", key);
            }
        }
        wanted.forEach((key, resource) -> {
            if (!sources.containsKey(key)) {
                EventSource source = create(resource);
                source.start();
                metrics.bindSource(key, source);
                sources.put(key, new RunningSource(resource, source));
            }
        });
    }

    private EventSource create(SourceResource resource) {
        if (resource instanceof PingSourceResource ping) {
            return new PingSource(ping.toSpec(), target(ping.sink()), sourceScheduler, java.time.Clock.systemUTC());
        }
        if (resource instanceof GitHubSourceResource github) {
            return new GitHubWebhook(github.toSpec(), target(github.sink()));
        }
        if (resource instanceof MnsSourceResource mns) {
            return new MnsSource(mns.toSpec(), target(mns.sink()), delivery.vertx(), sourceClient());
        }
        if (resource instanceof KafkaSourceResource kafka) {
            Map<String, String> client = new LinkedHashMap<>();
            client.put(
                    KafkaSource.GROUP_INSTANCE_ID, instance + "-" + kafka.key().replace('/', '-'));
            client.putAll(kafka.spec().clientProperties());
            return new KafkaSource(kafka.spec().withClientProperties(client), target(kafka.sink(), kafka.delivery()));
        }
        if (resource instanceof RocketMqSourceResource rocketMq) {
            return new RocketMqSource(rocketMq.spec(), target(rocketMq.sink(), rocketMq.delivery()));
        }
        throw new IllegalArgumentException("no source for " + resource);
    }

    /** Where a source's events go: a broker of this server, in-process, or a URL over HTTP. */
    private EventTarget target(SourceSink sink) {
        if (sink instanceof SourceSink.ToBroker toBroker) {
            return event -> {
                Broker broker = brokers.get(toBroker.broker());
                return broker != null
                        ? broker.publish(event)
                        : java.util.concurrent.CompletableFuture.failedFuture(
                                new IllegalStateException("broker " + toBroker.broker() + " is not configured"));
            };
        }
        return delivery.eventTarget(((SourceSink.ToUri) sink).uri(), Optional.of(java.time.Duration.ofSeconds(30)));
    }

    /** As {@link #target(SourceSink)}; a URL sink gets the source's delivery policy when it has one. */
    private EventTarget target(SourceSink sink, Optional<DeliverySpec> policy) {
        if (sink instanceof SourceSink.ToUri toUri && policy.isPresent()) {
            return delivery.eventTarget(toUri.uri(), policy.get());
        }
        return target(sink);
    }

    private io.vertx.ext.web.client.WebClient sourceClient;

    /** One HTTP client for the sources that poll (MNS), created when the first one starts. */
    private io.vertx.ext.web.client.WebClient sourceClient() {
        if (sourceClient == null) {
            sourceClient = io.vertx.ext.web.client.WebClient.create(delivery.vertx());
        }
        return sourceClient;
    }

    /** The GitHub webhook served at {@code /sources/namespace/name}, if configured. */
    public synchronized Optional<GitHubWebhook> webhook(String namespace, String name) {
        RunningSource running = sources.get("GitHubSource " + namespace + "/" + name);
        return running == null ? Optional.empty() : Optional.of((GitHubWebhook) running.source());
    }

    /** Every running source: its resource and what it reports about itself. */
    public synchronized List<Map<String, Object>> sourceStatuses() {
        List<Map<String, Object>> all = new java.util.ArrayList<>();
        sources.values().forEach(running -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("kind", running.resource().kind());
            entry.put("namespace", running.resource().key().split("/", 2)[0]);
            entry.put("name", running.resource().key().split("/", 2)[1]);
            entry.put("sink", running.resource().sink().toString());
            entry.put("status", running.source().status());
            all.add(entry);
        });
        return all;
    }

    /** Stops every source; called first on shutdown so nothing new comes in. */
    public synchronized void closeSources() {
        sources.values().forEach(s -> s.source().close());
        sources.clear();
    }

    private DeliverySpec delivery(TriggerResource trigger, Map<String, BrokerResource> brokerConfigs) {
        BrokerResource broker = brokerConfigs.get(trigger.broker());
        return DeliverySpec.effective(trigger.delivery(), broker == null ? Optional.empty() : broker.delivery());
    }

    private void start(TriggerResource trigger) {
        Broker broker = brokers.get(trigger.broker());
        ParkedEvents parking = parked.computeIfAbsent(trigger.key(), key -> new ParkedEvents(switchboard, key));
        RetryingSink sink = delivery.sink(
                trigger.subscriber(),
                delivery(trigger, brokerResources),
                trigger.sinkOptions(),
                ReplyPublisher.to(broker),
                parking.parkingLot());
        parking.redriveTo(sink);
        SubscriptionSpec subscription = SubscriptionSpec.of(
                        trigger.key(), metrics.bindTrigger(trigger.key(), trigger.broker(), sink))
                .withFilter(trigger.filter())
                .withOrdering(trigger.ordering())
                .withStart(StartPosition.latest());
        Subscription running = broker.subscribe(subscription);
        metrics.bindSubscription(trigger.key(), trigger.broker(), running);
        triggers.put(trigger.key(), new RunningTrigger(trigger, running));
        LOG.info("trigger {} on broker {} delivers to {}", trigger.key(), trigger.broker(), trigger.subscriber());
    }

    private void stop(RunningTrigger running, boolean forget) {
        String key = running.resource().key();
        running.subscription().close();
        if (forget) {
            switchboard.findBroker(running.resource().broker()).ifPresent(b -> b.deleteSubscription(key));
            ParkedEvents parking = parked.remove(key);
            if (parking != null) {
                parking.close(); // its events stay in the parked log
            }
        }
        metrics.unbindTrigger(key);
        triggers.remove(key);
    }

    /** The parked events of a trigger, if it runs. */
    public synchronized Optional<ParkedEvents> parkedEvents(String trigger) {
        return triggers.containsKey(trigger) ? Optional.ofNullable(parked.get(trigger)) : Optional.empty();
    }

    /** Pauses redrives that are done; called periodically. */
    public synchronized void checkRedrives() {
        parked.values().forEach(ParkedEvents::checkRedrive);
    }

    /** A publish group for the event loop {@code endOfTurn} runs tasks on ({@link Switchboard#publishGroup}). */
    public PublishGroup publishGroup(Executor endOfTurn) {
        return switchboard.publishGroup(endOfTurn);
    }

    /** The broker at {@code namespace/name}, if configured. */
    public Optional<Broker> broker(String namespace, String name) {
        return Optional.ofNullable(brokers.get(namespace + "/" + name));
    }

    /** The configured brokers by {@code namespace/name}. */
    public Map<String, Broker> brokers() {
        return new TreeMap<>(brokers);
    }

    /** The triggers by {@code namespace/name}, in configuration order. */
    public synchronized Map<String, RunningTrigger> triggers() {
        return new LinkedHashMap<>(triggers);
    }
}
