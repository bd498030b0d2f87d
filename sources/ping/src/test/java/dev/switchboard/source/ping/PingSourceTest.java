package dev.switchboard.source.ping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cloudevents.CloudEvent;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class PingSourceTest {
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    private static PingSpec spec(String schedule) {
        return new PingSpec(
                "default",
                "heartbeat",
                PingSchedule.parse(schedule),
                ZoneOffset.UTC,
                Optional.of("application/json"),
                Optional.of("{\"hello\":\"world\"}".getBytes(StandardCharsets.UTF_8)),
                Map.of("team", "core"));
    }

    @Test
    void shouldSendOneKnativePingEventPerTick() {
        List<CloudEvent> sent = new CopyOnWriteArrayList<>();
        try (PingSource source = new PingSource(
                spec("@every 1s"),
                event -> {
                    sent.add(event);
                    return CompletableFuture.completedFuture(null);
                },
                scheduler,
                Clock.systemUTC())) {
            source.start();
            await().atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> assertThat(sent).hasSizeGreaterThanOrEqualTo(2));
        }
        CloudEvent event = sent.get(0);
        assertThat(event.getType()).isEqualTo("dev.knative.sources.ping");
        assertThat(event.getSource()).hasToString("/apis/v1/namespaces/default/pingsources/heartbeat");
        assertThat(event.getDataContentType()).isEqualTo("application/json");
        assertThat(new String(event.getData().toBytes(), StandardCharsets.UTF_8))
                .isEqualTo("{\"hello\":\"world\"}");
        assertThat(event.getExtension("team")).isEqualTo("core");
        assertThat(Duration.between(sent.get(0).getTime(), sent.get(1).getTime()))
                .isEqualTo(Duration.ofSeconds(1));
        assertThat(sent.get(0).getId()).isNotEqualTo(sent.get(1).getId());
    }

    @Test
    void shouldRetryARefusedTickWithoutSendingItTwiceOrDelayingTheNext() {
        List<CloudEvent> accepted = new CopyOnWriteArrayList<>();
        AtomicInteger refusals = new AtomicInteger(2);
        try (PingSource source = new PingSource(
                spec("@every 1s"),
                event -> {
                    if (accepted.isEmpty() && refusals.getAndDecrement() > 0) {
                        return CompletableFuture.failedFuture(new IllegalStateException("buffer full"));
                    }
                    accepted.add(event);
                    return CompletableFuture.completedFuture(null);
                },
                scheduler,
                Clock.systemUTC())) {
            source.start();
            await().atMost(Duration.ofSeconds(6))
                    .untilAsserted(() -> assertThat(accepted).hasSizeGreaterThanOrEqualTo(2));
        }
        assertThat(accepted).extracting(CloudEvent::getId).doesNotHaveDuplicates();
        assertThat(accepted.get(1).getTime()).isAfter(accepted.get(0).getTime());
    }
}
