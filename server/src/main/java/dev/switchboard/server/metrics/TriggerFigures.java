package dev.switchboard.server.metrics;

import dev.switchboard.core.Subscription;
import dev.switchboard.core.SubscriptionStats;
import dev.switchboard.delivery.DeliveryStats;
import dev.switchboard.delivery.RetryingSink;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * Every trigger's counts and gauges, read from its sink and subscription when Prometheus scrapes:
 * no meter object per trigger and figure (a server with 10,000 triggers held 150,000 of them), only
 * this one collector walking the running triggers.
 */
final class TriggerFigures implements MultiCollector {
    /**
     * One running trigger: where its figures come from. Its labels are built at each scrape, not kept
     * (three objects per trigger for the whole life of a server that is scraped twice a minute).
     */
    private static final class Trigger {
        final String trigger;
        final String broker;
        final RetryingSink sink;
        volatile Subscription subscription;

        Trigger(String trigger, String broker, RetryingSink sink) {
            this.trigger = trigger;
            this.broker = broker;
            this.sink = sink;
        }

        Labels labels() {
            return Labels.of("broker", broker, "trigger", trigger);
        }
    }

    /** One figure of every trigger: its Prometheus name, help, and how to read it. */
    private record Figure(String name, String help, boolean counter, ToDoubleFunction<Values> value) {}

    /** A trigger's statistics, read once per scrape. */
    private record Values(DeliveryStats delivery, SubscriptionStats subscription, long nowMillis) {}

    private static final List<Figure> FIGURES = List.of(
            counter("switchboard_delivery_attempts", "attempts at the subscriber", v -> v.delivery.attempts()),
            counter("switchboard_delivery_retries", "attempts beyond the first", v -> v.delivery.retries()),
            counter("switchboard_delivery_delivered", "events the subscriber took", v -> v.delivery.delivered()),
            counter(
                    "switchboard_delivery_dead_lettered",
                    "events sent to the dead-letter sink",
                    v -> v.delivery.deadLettered()),
            counter("switchboard_delivery_dropped", "events dropped after their last retry", v -> v.delivery.dropped()),
            counter(
                    "switchboard_delivery_dead_letter_failures",
                    "failed attempts at the dead-letter sink",
                    v -> v.delivery.deadLetterFailures()),
            counter(
                    "switchboard_delivery_parked",
                    "events kept in the trigger's parking lot",
                    v -> v.delivery.parked()),
            counter("switchboard_delivery_replies", "reply events published back", v -> v.delivery.replies()),
            counter(
                    "switchboard_delivery_replies_ttl_dropped",
                    "replies dropped by the TTL loop guard",
                    v -> v.delivery.repliesDroppedByTtl()),
            counter(
                    "switchboard_trigger_filtered",
                    "events the filter did not match",
                    v -> v.subscription == null ? Double.NaN : v.subscription.filtered()),
            counter(
                    "switchboard_trigger_filter_errors",
                    "events whose filter failed",
                    v -> v.subscription == null ? Double.NaN : v.subscription.filterErrors()),
            gauge(
                    "switchboard_trigger_lag_events",
                    "events at or above the trigger's cursor",
                    v -> v.subscription == null ? Double.NaN : v.subscription.lag()),
            gauge(
                    "switchboard_trigger_lag_seconds",
                    "how long the oldest event not yet final has waited",
                    v -> v.subscription == null
                            ? Double.NaN
                            : v.subscription.lagTime(v.nowMillis).toMillis() / 1000.0),
            gauge(
                    "switchboard_trigger_in_flight",
                    "events handed to the sink and not final",
                    v -> v.subscription == null ? Double.NaN : v.subscription.inFlight()),
            gauge(
                    "switchboard_trigger_cursor",
                    "the trigger's committed offset",
                    v -> v.subscription == null ? Double.NaN : v.subscription.committedOffset()));

    private final Map<String, Trigger> triggers = new ConcurrentHashMap<>();

    void bind(String trigger, String broker, RetryingSink sink) {
        triggers.put(trigger, new Trigger(trigger, broker, sink));
    }

    void bind(String trigger, Subscription subscription) {
        Trigger t = triggers.get(trigger);
        if (t != null) {
            t.subscription = subscription;
        }
    }

    void unbind(String trigger) {
        triggers.remove(trigger);
    }

    @Override
    public MetricSnapshots collect() {
        long now = System.currentTimeMillis();
        List<Trigger> running = new ArrayList<>(triggers.values());
        List<Values> values = new ArrayList<>(running.size());
        List<Labels> labels = new ArrayList<>(running.size());
        for (Trigger t : running) {
            Subscription subscription = t.subscription;
            values.add(new Values(t.sink.stats(), subscription == null ? null : subscription.stats(), now));
            labels.add(t.labels());
        }
        MetricSnapshots.Builder snapshots = MetricSnapshots.builder();
        for (Figure figure : FIGURES) {
            if (figure.counter) {
                CounterSnapshot.Builder family =
                        CounterSnapshot.builder().name(figure.name).help(figure.help);
                for (int i = 0; i < running.size(); i++) {
                    double value = figure.value.applyAsDouble(values.get(i));
                    if (!Double.isNaN(value)) {
                        family.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                                .labels(labels.get(i))
                                .value(value)
                                .build());
                    }
                }
                snapshots.metricSnapshot(family.build());
            } else {
                GaugeSnapshot.Builder family =
                        GaugeSnapshot.builder().name(figure.name).help(figure.help);
                for (int i = 0; i < running.size(); i++) {
                    double value = figure.value.applyAsDouble(values.get(i));
                    if (!Double.isNaN(value)) {
                        family.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                                .labels(labels.get(i))
                                .value(value)
                                .build());
                    }
                }
                snapshots.metricSnapshot(family.build());
            }
        }
        return snapshots.build();
    }

    @Override
    public List<String> getPrometheusNames() {
        return FIGURES.stream().map(Figure::name).toList();
    }

    private static Figure counter(String name, String help, ToDoubleFunction<Values> value) {
        return new Figure(name, help, true, value);
    }

    private static Figure gauge(String name, String help, ToDoubleFunction<Values> value) {
        return new Figure(name, help, false, value);
    }
}
