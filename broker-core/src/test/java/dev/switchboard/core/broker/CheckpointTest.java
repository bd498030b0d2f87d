package dev.switchboard.core.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.core.Broker;
import dev.switchboard.core.BrokerConfig;
import dev.switchboard.core.StartPosition;
import dev.switchboard.core.Subscription;
import dev.switchboard.core.SubscriptionSpec;
import dev.switchboard.core.Switchboard;
import dev.switchboard.core.testing.RecordingSink;
import dev.switchboard.core.testing.Stores;
import dev.switchboard.core.testing.TestEvents;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class CheckpointTest {
    private static final int IDLE_SUBSCRIPTIONS = 200;

    @TempDir
    Path dir;

    private static void publish(Broker broker, int count, String type) {
        for (int i = 0; i < count; i++) {
            broker.publish(TestEvents.event(type + "-" + i, type, 64))
                    .toCompletableFuture()
                    .join();
        }
    }

    @Test
    void shouldRunNoDispatchPassForAppendsToABrokerWithoutSubscriptions() {
        try (Switchboard sb = Stores.open(dir)) {
            LocalBroker broker = (LocalBroker) sb.createBroker("orders", BrokerConfig.defaults());
            long before = broker.checkpointScans();
            for (int round = 0; round < 5; round++) {
                publish(broker, 20, "order");
                // Across several checkpoints: each would read the subscriptions if a pass had run.
                await().pollDelay(Duration.ofMillis(60)).until(() -> true);
            }
            assertThat(broker.checkpointScans()).isLessThanOrEqualTo(before + 1);

            // The first subscription to join is woken by the appends that follow.
            RecordingSink sink = new RecordingSink();
            broker.subscribe(SubscriptionSpec.of("late", sink).withStart(StartPosition.latest()));
            publish(broker, 10, "order");
            await().untilAsserted(() -> assertThat(sink.delivered()).hasSize(10));
        }
    }

    @Test
    void shouldStopReadingSubscriptionsWhileNothingRunsAndStillSaveEveryMovedCursor() {
        long end;
        try (Switchboard sb = Stores.open(dir)) {
            LocalBroker broker = (LocalBroker) sb.createBroker("orders", BrokerConfig.defaults());
            RecordingSink sink = new RecordingSink();
            Subscription wanted = broker.subscribe(SubscriptionSpec.of("wanted", sink)
                    .withFilter(event -> event.getType().equals("order"))
                    .withStart(StartPosition.earliest()));
            for (int i = 0; i < IDLE_SUBSCRIPTIONS; i++) {
                broker.subscribe(SubscriptionSpec.of("idle-" + i, new RecordingSink())
                        .withFilter(event -> false)
                        .withStart(StartPosition.earliest()));
            }
            publish(broker, 20, "order");
            publish(broker, 20, "other");
            end = broker.stats().endOffset();
            await().untilAsserted(
                            () -> assertThat(wanted.stats().committedOffset()).isEqualTo(end));

            // Checkpoints come every 20 ms; once the passes stop, at most the quiet write of cursors
            // held back reads the subscriptions again.
            long before = broker.checkpointScans();
            await().during(Duration.ofSeconds(2))
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> broker.checkpointScans() - before <= 2);

            publish(broker, 1, "order");
            await().untilAsserted(() -> assertThat(sink.delivered()).hasSize(21));
            await().until(() -> broker.checkpointScans() > before + 2);
        }
        try (Switchboard sb = Stores.open(dir)) {
            Broker broker = sb.broker("orders");
            Subscription wanted = broker.subscribe(SubscriptionSpec.of("wanted", new RecordingSink())
                    .withFilter(event -> event.getType().equals("order"))
                    .withStart(StartPosition.earliest()));
            Subscription idle = broker.subscribe(SubscriptionSpec.of("idle-7", new RecordingSink())
                    .withFilter(event -> false)
                    .withStart(StartPosition.earliest()));

            assertThat(wanted.stats().committedOffset()).isEqualTo(end + 1);
            assertThat(idle.stats().committedOffset()).isEqualTo(end + 1);
        }
    }
}
