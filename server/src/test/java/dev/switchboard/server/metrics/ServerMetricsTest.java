package dev.switchboard.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.DeliveryOutcome;
import dev.switchboard.core.EventSink;
import dev.switchboard.delivery.AttemptResult;
import dev.switchboard.delivery.DeliverySpec;
import dev.switchboard.delivery.DeliveryTarget;
import dev.switchboard.delivery.ReplyPublisher;
import dev.switchboard.delivery.RetryingSink;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.net.URI;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Per-trigger figures appear with their trigger and go with it. */
class ServerMetricsTest {
    @Test
    void shouldShowATriggersCountsWhileItIsBoundAndNothingAfter() throws Exception {
        ServerMetrics metrics = new ServerMetrics();
        DeliveryTarget accepting = new DeliveryTarget() {
            @Override
            public CompletableFuture<AttemptResult> attempt(CloudEvent event) {
                return CompletableFuture.completedFuture(new AttemptResult.Accepted(Optional.empty()));
            }

            @Override
            public String address() {
                return "in-process";
            }
        };
        RetryingSink sink = new RetryingSink(
                accepting,
                null,
                null,
                DeliverySpec.defaults(),
                ReplyPublisher.none(),
                (delay, task) -> task.run(),
                Clock.systemUTC());
        EventSink timed = metrics.bindTrigger("default/orders", "default/default", sink);
        // No latency histogram until the trigger delivers something: idle triggers cost none.
        assertThat(metrics.scrape())
                .contains(
                        "switchboard_delivery_delivered_total{broker=\"default/default\",trigger=\"default/orders\"} 0.0")
                .doesNotContain("switchboard_delivery_latency");

        DeliveryOutcome outcome = timed.deliver(CloudEventBuilder.v1()
                        .withId("1")
                        .withType("t")
                        .withSource(URI.create("/s"))
                        .build())
                .toCompletableFuture()
                .get();

        assertThat(outcome).isEqualTo(DeliveryOutcome.delivered());
        assertThat(metrics.scrape())
                .contains(
                        "switchboard_delivery_delivered_total{broker=\"default/default\",trigger=\"default/orders\"} 1.0")
                .contains(
                        "switchboard_delivery_attempts_total{broker=\"default/default\",trigger=\"default/orders\"} 1.0")
                .contains(
                        "switchboard_delivery_latency_seconds_count{broker=\"default/default\",trigger=\"default/orders\"} 1");

        metrics.unbindTrigger("default/orders");

        assertThat(metrics.scrape()).doesNotContain("trigger=\"default/orders\"");
    }
}
