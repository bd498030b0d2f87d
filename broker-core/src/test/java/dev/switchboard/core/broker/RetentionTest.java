package dev.switchboard.core.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.core.Broker;
import dev.switchboard.core.BrokerConfig;
import dev.switchboard.core.Retention;
import dev.switchboard.core.StartPosition;
import dev.switchboard.core.Subscription;
import dev.switchboard.core.SubscriptionSpec;
import dev.switchboard.core.Switchboard;
import dev.switchboard.core.testing.MutableClock;
import dev.switchboard.core.testing.RecordingSink;
import dev.switchboard.core.testing.Stores;
import dev.switchboard.core.testing.TestEvents;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class RetentionTest {
    private static final int SEGMENT = 10;

    @TempDir
    Path dir;

    private final MutableClock clock = MutableClock.systemNow();

    private static void publish(Broker broker, int count) {
        List<CompletableFuture<Long>> acks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            acks.add(broker.publish(TestEvents.event("e-" + i, "t", 100)).toCompletableFuture());
        }
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).join();
    }

    @Test
    void shouldTrimBySizeOnlyWhatEverySubscriptionHasPassed() {
        try (Switchboard sb = Stores.openWithSegments(dir, SEGMENT, clock)) {
            LocalBroker broker = (LocalBroker)
                    sb.createBroker("orders", BrokerConfig.defaults().withRetention(Retention.ofBytes(1)));
            // A stopped subscription at offset 0 holds everything back.
            broker.subscribe(SubscriptionSpec.of("stopped", new RecordingSink()).withStart(StartPosition.earliest()))
                    .close();
            publish(broker, 55);

            assertThat(broker.enforceRetention().join()).isZero();
            assertThat(broker.log().read(0).event().getId()).isEqualTo("e-0");

            // Once every subscription has passed offset 35, the three whole segments below 30 can go.
            Subscription resumed = broker.subscribe(SubscriptionSpec.of("stopped", new RecordingSink()));
            await().untilAsserted(
                            () -> assertThat(resumed.stats().committedOffset()).isEqualTo(55));
            // A subscription whose sink never answers stays at offset 35.
            broker.subscribe(SubscriptionSpec.of("partial", event -> new CompletableFuture<>())
                    .withStart(StartPosition.offset(35)));

            assertThat(broker.enforceRetention().join()).isEqualTo(30);
            assertThat(broker.stats().startOffset()).isEqualTo(30);
            assertThat(broker.stats().deletedByRetention()).isEqualTo(30);
            assertThat(broker.stats().expiredUndelivered()).isZero();
            assertThat(broker.log().read(0, 100))
                    .first()
                    .extracting(r -> r.offset())
                    .isEqualTo(30L);
        }
        try (Switchboard sb = Stores.openWithSegments(dir, SEGMENT, clock)) {
            LocalBroker broker = (LocalBroker) sb.broker("orders");
            assertThat(broker.stats().startOffset()).isEqualTo(30);
            assertThat(broker.stats().endOffset()).isEqualTo(55);
        }
    }

    @Test
    void shouldKeepEverythingWithoutLimitsEvenWhenConsumed() {
        try (Switchboard sb = Stores.openWithSegments(dir, SEGMENT, clock)) {
            LocalBroker broker = (LocalBroker) sb.broker("orders");
            publish(broker, 35);
            clock.advance(Duration.ofDays(3650));

            assertThat(broker.enforceRetention().join()).isZero();
        }
    }

    @Test
    void shouldForceTheAgeLimitAndCountWhatASubscriptionLost() {
        try (Switchboard sb = Stores.openWithSegments(dir, SEGMENT, clock)) {
            LocalBroker broker = (LocalBroker) sb.createBroker(
                    "orders", BrokerConfig.defaults().withRetention(Retention.ofAge(Duration.ofHours(1))));
            RecordingSink sink = new RecordingSink();
            sink.failWhen(e -> true);
            Subscription stuck = broker.subscribe(SubscriptionSpec.of("stuck", sink)
                    .withStart(StartPosition.earliest())
                    .withMaxInFlight(1));
            broker.subscribe(SubscriptionSpec.of("stopped", new RecordingSink()).withStart(StartPosition.earliest()))
                    .close();
            publish(broker, 25);

            assertThat(broker.enforceRetention().join()).isZero();
            clock.advance(Duration.ofHours(2));
            assertThat(broker.enforceRetention().join()).isEqualTo(20);

            assertThat(broker.stats().expiredUndelivered()).isEqualTo(20);
            await().untilAsserted(() -> {
                assertThat(stuck.stats().committedOffset()).isEqualTo(20);
                assertThat(stuck.stats().expired()).isEqualTo(20);
            });
            // The stuck subscription now tries offset 20 onwards; nothing below the new start remains.
            sink.failWhen(e -> false);
            await().untilAsserted(
                            () -> assertThat(stuck.stats().committedOffset()).isEqualTo(25));
            assertThat(sink.delivered()).containsExactly("e-20", "e-21", "e-22", "e-23", "e-24");
        }
        try (Switchboard sb = Stores.openWithSegments(dir, SEGMENT, clock)) {
            RecordingSink sink = new RecordingSink();
            Subscription stopped = sb.broker("orders").subscribe(SubscriptionSpec.of("stopped", sink));
            await().untilAsserted(
                            () -> assertThat(stopped.stats().committedOffset()).isEqualTo(25));
            assertThat(sink.delivered()).containsExactly("e-20", "e-21", "e-22", "e-23", "e-24");
        }
    }
}
