package dev.switchboard.server.metrics;

import dev.switchboard.core.Broker;
import dev.switchboard.core.CallerLoops;
import dev.switchboard.core.DeliveryOutcome;
import dev.switchboard.core.EventSink;
import dev.switchboard.core.Subscription;
import dev.switchboard.delivery.RetryingSink;
import io.cloudevents.CloudEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.ToDoubleFunction;

/**
 * The server's Prometheus metrics: ingress counts per broker and outcome, log size and retention per
 * broker, and per trigger the delivery counts, lag, in-flight events and delivery latency. Counters are
 * read from the components' own statistics when scraped, so the hot path pays nothing for them except
 * the latency timer.
 */
public final class ServerMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final TriggerFigures triggerFigures = new TriggerFigures();
    private final java.util.Map<String, LatencyTimer> latencies = new java.util.concurrent.ConcurrentHashMap<>();
    /** Ingress counters by broker, outcome and reason: looked up once, not registered per request. */
    private final java.util.Map<java.util.List<String>, Counter> ingressCounters =
            new java.util.concurrent.ConcurrentHashMap<>();

    public ServerMetrics() {
        registry.getPrometheusRegistry().register(triggerFigures);
    }
    /** Per source: refreshes meters whose set of series changes (a Kafka source's partitions). */
    private final java.util.Map<String, Runnable> beforeScrape = new java.util.concurrent.ConcurrentHashMap<>();

    /** The Prometheus text exposition, as one string. */
    public String scrape() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try {
            scrape(out);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e); // not from a byte array
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The Prometheus text exposition, written as it is made (13.5 MB with 10,000 triggers). */
    public void scrape(java.io.OutputStream out) throws java.io.IOException {
        beforeScrape.values().forEach(Runnable::run);
        registry.scrape(out);
    }

    /** Counts one ingress answer: {@code accepted}, or {@code rejected} with the reason. */
    public void ingress(String broker, String outcome, String reason, int events) {
        ingressCounters
                .computeIfAbsent(
                        java.util.List.of(broker, outcome, reason), key -> Counter.builder("switchboard.ingress.events")
                                .description("events posted to a broker's ingress, by outcome")
                                .tags("broker", broker, "outcome", outcome, "reason", reason)
                                .register(registry))
                .increment(events);
    }

    public void bindBroker(String key, Broker broker) {
        Tags tags = Tags.of("broker", key);
        gauge("switchboard.broker.log.end.offset", "the next offset of the broker's log", tags, broker, b -> b.stats()
                .endOffset());
        gauge("switchboard.broker.log.start.offset", "the oldest retained offset", tags, broker, b -> b.stats()
                .startOffset());
        gauge("switchboard.broker.retained.bytes", "bytes of events in the log", tags, broker, b -> b.stats()
                .retainedBytes());
        gauge(
                "switchboard.broker.unconsumed.bytes",
                "bytes running triggers have not passed",
                tags,
                broker,
                b -> b.stats().unconsumedBytes());
        counter("switchboard.broker.retention.deleted", "events deleted by retention", tags, broker, b -> b.stats()
                .deletedByRetention());
        counter(
                "switchboard.broker.retention.expired.undelivered",
                "events the age limit deleted before delivery",
                tags,
                broker,
                b -> b.stats().expiredUndelivered());
    }

    /** Registers a trigger's meters and returns its sink wrapped with the delivery latency timer. */
    public EventSink bindTrigger(String trigger, String broker, RetryingSink sink) {
        LatencyTimer latency = new LatencyTimer(trigger, broker, sink);
        LatencyTimer previous = latencies.put(trigger, latency);
        if (previous != null) {
            previous.unbind();
        }
        triggerFigures.bind(trigger, broker, sink);
        return latency;
    }

    /**
     * A trigger's delivery latency histogram, registered at its first delivery: of 10,000 triggers the
     * ones that never match cost no histogram (about 5 KB each). It wraps the trigger's sink itself.
     */
    private final class LatencyTimer implements EventSink {
        private final String trigger;
        private final String broker;
        private final EventSink sink;
        private volatile Timer timer;
        private boolean unbound;

        LatencyTimer(String trigger, String broker, EventSink sink) {
            this.trigger = trigger;
            this.broker = broker;
            this.sink = sink;
        }

        @Override
        public CompletionStage<DeliveryOutcome> deliver(CloudEvent event) {
            long start = System.nanoTime();
            return sink.deliver(event).whenComplete((outcome, error) -> record(System.nanoTime() - start));
        }

        /** The wrapped sink's: the timer completes on the thread that heard the answer. */
        @Override
        public CallerLoops answerLoops() {
            return sink.answerLoops();
        }

        void record(long nanos) {
            Timer registered = timer != null ? timer : register();
            if (registered != null) {
                registered.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
            }
        }

        private synchronized Timer register() {
            if (timer == null && !unbound) {
                timer = Timer.builder("switchboard.delivery.latency")
                        .description("from handing an event to the sink until its outcome is final, retries included")
                        .tags("trigger", trigger, "broker", broker)
                        .publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofMillis(1))
                        .maximumExpectedValue(Duration.ofMinutes(5))
                        .register(registry);
            }
            return timer;
        }

        /** After this no delivery registers the timer again (the caller removes a registered one). */
        synchronized void unbind() {
            unbound = true;
        }
    }

    /** Registers the meters read from the trigger's subscription (filtering, lag, in flight). */
    public void bindSubscription(String trigger, String broker, Subscription subscription) {
        triggerFigures.bind(trigger, subscription);
    }

    /** Registers a source's own counters (webhook deliveries skipped, queue messages moved or refused). */
    public void bindSource(String key, dev.switchboard.core.EventSource source) {
        Tags tags = Tags.of("source", key);
        if (source instanceof dev.switchboard.source.github.GitHubWebhook github) {
            counter(
                    "switchboard.source.skipped",
                    "deliveries of event types the source does not subscribe to",
                    tags,
                    github,
                    g -> g.skipped());
        } else if (source instanceof dev.switchboard.source.mns.MnsSource mns) {
            counter(
                    "switchboard.source.delivered",
                    "messages accepted by the sink and deleted upstream",
                    tags,
                    mns,
                    m -> m.delivered());
            counter(
                    "switchboard.source.refused",
                    "messages the sink refused, left upstream",
                    tags,
                    mns,
                    m -> m.refused());
            counter("switchboard.source.errors", "failed calls to the upstream service", tags, mns, m -> m.errors());
        } else if (source instanceof dev.switchboard.source.kafka.KafkaSource kafka) {
            counter("switchboard.source.received", "records read from Kafka", tags, kafka, k -> k.received());
            counter(
                    "switchboard.source.delivered",
                    "records accepted by the sink (their offsets may be committed)",
                    tags,
                    kafka,
                    k -> k.accepted());
            counter(
                    "switchboard.source.refused",
                    "attempts the sink refused; the record is retried",
                    tags,
                    kafka,
                    k -> k.refused());
            counter(
                    "switchboard.source.malformed",
                    "records that claimed to be CloudEvents but were not (delivered as plain records)",
                    tags,
                    kafka,
                    k -> k.malformed());
            bindPartitionLag(key, kafka);
        } else if (source instanceof dev.switchboard.source.rocketmq.RocketMqSource rocketMq) {
            counter(
                    "switchboard.source.received",
                    "messages handed over by RocketMQ",
                    tags,
                    rocketMq,
                    r -> r.received());
            counter(
                    "switchboard.source.delivered",
                    "messages accepted by the sink and acknowledged",
                    tags,
                    rocketMq,
                    r -> r.accepted());
            counter(
                    "switchboard.source.refused",
                    "messages the sink refused, left to RocketMQ to redeliver",
                    tags,
                    rocketMq,
                    r -> r.refused());
            counter(
                    "switchboard.source.malformed",
                    "messages that claimed to be CloudEvents but were not (delivered as plain messages)",
                    tags,
                    rocketMq,
                    r -> r.malformed());
        }
    }

    /**
     * One lag gauge per assigned partition ({@code topic}, {@code partition} tags), refreshed on every
     * scrape since partitions move between consumers.
     */
    private void bindPartitionLag(String key, dev.switchboard.source.kafka.KafkaSource kafka) {
        io.micrometer.core.instrument.MultiGauge lag = io.micrometer.core.instrument.MultiGauge.builder(
                        "switchboard.source.partition.lag")
                .description("records of a partition not yet accepted by the sink (end offset - committed offset)")
                .tag("source", key)
                .register(registry);
        beforeScrape.put(
                key,
                () -> lag.register(
                        kafka.partitions().stream()
                                .map(p -> io.micrometer.core.instrument.MultiGauge.Row.of(
                                        Tags.of("topic", p.topic(), "partition", Integer.toString(p.partition())),
                                        p.lag()))
                                .toList(),
                        true));
    }

    /** Removes a stopped source's meters. */
    public void unbindSource(String key) {
        beforeScrape.remove(key);
        registry.getMeters().stream()
                .filter(meter -> key.equals(meter.getId().getTag("source")))
                .toList()
                .forEach(registry::remove);
    }

    /** Removes every meter of a trigger that stopped or is about to be restarted. */
    public void unbindTrigger(String trigger) {
        triggerFigures.unbind(trigger);
        LatencyTimer latency = latencies.remove(trigger);
        if (latency != null) {
            latency.unbind();
        }
        registry.getMeters().stream()
                .filter(meter -> trigger.equals(meter.getId().getTag("trigger")))
                .toList()
                .forEach(registry::remove);
    }

    private <T> void gauge(String name, String help, Tags tags, T source, ToDoubleFunction<T> value) {
        Gauge.builder(name, source, value)
                .description(help)
                .tags(tags)
                .strongReference(true)
                .register(registry);
    }

    private <T> void counter(String name, String help, Tags tags, T source, ToDoubleFunction<T> value) {
        FunctionCounter.builder(name, source, value)
                .description(help)
                .tags(tags)
                .register(registry);
    }
}
