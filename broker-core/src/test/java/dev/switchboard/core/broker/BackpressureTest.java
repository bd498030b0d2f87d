package dev.switchboard.core.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.core.Broker;
import dev.switchboard.core.BrokerConfig;
import dev.switchboard.core.BrokerException;
import dev.switchboard.core.DeliveryOutcome;
import dev.switchboard.core.StartPosition;
import dev.switchboard.core.Subscription;
import dev.switchboard.core.SubscriptionSpec;
import dev.switchboard.core.Switchboard;
import dev.switchboard.core.testing.Stores;
import dev.switchboard.core.testing.TestEvents;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class BackpressureTest {
    private static final long LIMIT = 64 * 1024;
    /**
     * Large enough that a subscription keeping up is never a limit's worth behind (its visible
     * position moves once per dispatch pass).
     */
    private static final long HEALTHY_LIMIT = 4 * 1024 * 1024;

    @TempDir
    Path dir;

    /** Publishes 1 KiB events until one is refused; returns the refusal. */
    private static BrokerException publishUntilRefused(Broker broker, int max) {
        for (int i = 0; i < max; i++) {
            try {
                broker.publish(TestEvents.event("e-" + i, "t", 1024))
                        .toCompletableFuture()
                        .join();
            } catch (CompletionException e) {
                return (BrokerException) e.getCause();
            }
        }
        return null;
    }

    @Test
    void shouldRefuseFastWhileASubscriptionIsTooFarBehindAndRecoverWhenItCatchesUp() {
        List<CompletableFuture<DeliveryOutcome>> held = new CopyOnWriteArrayList<>();
        AtomicBoolean holding = new AtomicBoolean(true);
        try (Switchboard sb = Stores.open(dir)) {
            Broker broker = sb.createBroker("orders", BrokerConfig.defaults().withBufferLimitBytes(LIMIT));
            Subscription slow = broker.subscribe(SubscriptionSpec.of("slow", event -> {
                        CompletableFuture<DeliveryOutcome> outcome = new CompletableFuture<>();
                        if (holding.get()) {
                            held.add(outcome);
                        } else {
                            outcome.complete(DeliveryOutcome.delivered());
                        }
                        return outcome;
                    })
                    .withOrdering(dev.switchboard.core.Ordering.ORDERED)
                    .withStart(StartPosition.earliest()));

            // Before the limit a growing share of publishes is refused; keep publishing until the
            // backlog has passed the limit and every publish is.
            BrokerException refusal = null;
            for (int round = 0; round < 20_000 && !isOverTheLimit(refusal); round++) {
                refusal = publishUntilRefused(broker, 200);
            }

            assertThat(refusal).isNotNull();
            assertThat(refusal.kind()).isEqualTo(BrokerException.Kind.BUFFER_FULL);
            assertThat(refusal)
                    .hasMessageContaining("'orders'")
                    .hasMessageContaining("over its buffer limit of " + LIMIT);
            long end = broker.stats().endOffset();
            assertThat(broker.stats().unconsumedBytes()).isGreaterThan(LIMIT);
            // Bounded: at most a checkpoint interval's worth of publishes beyond the limit.
            assertThat(broker.stats().retainedBytes()).isLessThan(LIMIT * 4);

            holding.set(false);
            held.forEach(f -> f.complete(DeliveryOutcome.delivered()));
            await().untilAsserted(
                            () -> assertThat(slow.stats().committedOffset()).isEqualTo(end));
            await().untilAsserted(
                            () -> assertThat(broker.stats().unconsumedBytes()).isLessThan(LIMIT));
            assertThat(broker.publish(TestEvents.event("after", "t", 1024))
                            .toCompletableFuture()
                            .join())
                    .isEqualTo(end);
        }
    }

    private static boolean isOverTheLimit(BrokerException refusal) {
        return refusal != null && refusal.getMessage().contains("over its buffer limit");
    }

    @Test
    void shouldRefuseAGrowingShareOfPublishesBeforeTheLimit() {
        try (Switchboard sb = Stores.open(dir)) {
            BrokerConfig config = BrokerConfig.defaults().withBufferLimitBytes(LIMIT);
            Broker broker = sb.createBroker("orders", config);
            // Delivers nothing, so the backlog is everything retained.
            broker.subscribe(SubscriptionSpec.of("stuck", event -> new CompletableFuture<>())
                    .withOrdering(dev.switchboard.core.Ordering.ORDERED)
                    .withStart(StartPosition.earliest()));
            long start = config.pushBackStartBytes();
            List<Long> acceptedAt = new CopyOnWriteArrayList<>();
            List<Long> refusedAt = new CopyOnWriteArrayList<>();
            BrokerException earlyRefusal = null;
            for (int i = 0; i < 20_000 && broker.stats().retainedBytes() <= LIMIT; i++) {
                long backlog = broker.stats().retainedBytes();
                try {
                    broker.publish(TestEvents.event("e-" + i, "t", 1024))
                            .toCompletableFuture()
                            .join();
                    acceptedAt.add(backlog);
                } catch (CompletionException e) {
                    refusedAt.add(backlog);
                    earlyRefusal = (BrokerException) e.getCause();
                }
            }

            assertThat(start).isEqualTo(LIMIT / BrokerConfig.PUSH_BACK_START_DIVISOR);
            // None refused below the start, some refused before the limit, none let in over it.
            assertThat(refusedAt).isNotEmpty().allSatisfy(backlog -> assertThat(backlog)
                    .isGreaterThan(start));
            assertThat(refusedAt.get(0)).isLessThan(LIMIT);
            assertThat(acceptedAt).allSatisfy(backlog -> assertThat(backlog).isLessThanOrEqualTo(LIMIT));
            assertThat(acceptedAt.stream().filter(backlog -> backlog > start)).isNotEmpty();
            // The share grows with the backlog: a larger one in the upper half of the range than in the lower.
            long middle = start + (LIMIT - start) / 2;
            assertThat(shareRefused(acceptedAt, refusedAt, middle, LIMIT))
                    .isGreaterThan(shareRefused(acceptedAt, refusedAt, start, middle));
            assertThat(earlyRefusal.kind()).isEqualTo(BrokerException.Kind.BUFFER_FULL);
            assertThat(earlyRefusal)
                    .hasMessageContaining("'orders'")
                    .hasMessageContaining("between " + start + " and its buffer limit of " + LIMIT);
        }
    }

    /** The share of publishes refused while the backlog was in (from, to]. */
    private static double shareRefused(List<Long> acceptedAt, List<Long> refusedAt, long from, long to) {
        long accepted = acceptedAt.stream().filter(b -> b > from && b <= to).count();
        long refused = refusedAt.stream().filter(b -> b > from && b <= to).count();
        return (double) refused / (accepted + refused);
    }

    @Test
    void shouldLetAHealthySubscriptionGoOnWhileASlowOneLagsUpToItsBound() {
        AtomicLong fastDelivered = new AtomicLong();
        try (Switchboard sb = Stores.open(dir)) {
            Broker broker = sb.createBroker("orders", BrokerConfig.defaults().withBufferLimitBytes(HEALTHY_LIMIT));
            broker.subscribe(SubscriptionSpec.of("stuck", event -> new CompletableFuture<>())
                    .withOrdering(dev.switchboard.core.Ordering.ORDERED)
                    .withStart(StartPosition.earliest()));
            broker.subscribe(SubscriptionSpec.of("healthy", event -> {
                        fastDelivered.incrementAndGet();
                        return CompletableFuture.completedFuture(DeliveryOutcome.delivered());
                    })
                    .withStart(StartPosition.earliest()));

            // Far more than one buffer limit goes through while the healthy subscription keeps up.
            BrokerException refusal = null;
            for (int i = 0; i < 10_000 && refusal == null; i++) {
                try {
                    broker.publish(TestEvents.event("big-" + i, "t", 16 * 1024))
                            .toCompletableFuture()
                            .join();
                } catch (CompletionException e) {
                    refusal = (BrokerException) e.getCause();
                }
                if (i % 16 == 15) {
                    // A publisher no faster than the healthy subscription: only the stuck one lags.
                    long accepted = broker.stats().endOffset();
                    await().pollDelay(Duration.ZERO)
                            .pollInterval(Duration.ofMillis(1))
                            .until(() -> fastDelivered.get() >= accepted);
                }
            }
            assertThat(refusal).isNotNull();
            assertThat(refusal.kind()).isEqualTo(BrokerException.Kind.BUFFER_FULL);
            assertThat(refusal)
                    .hasMessageContaining("buffer limit of " + BrokerConfig.LAG_LIMIT_FACTOR * HEALTHY_LIMIT);
            // The stuck one pinned about LAG_LIMIT_FACTOR limits before it pushed back; the healthy one
            // had every accepted event.
            assertThat(broker.stats().retainedBytes())
                    .isGreaterThan(HEALTHY_LIMIT * (BrokerConfig.LAG_LIMIT_FACTOR - 1));
            long accepted = broker.stats().endOffset();
            await().untilAsserted(() -> assertThat(fastDelivered.get()).isEqualTo(accepted));
        }
    }

    @Test
    void shouldNotPushBackWithoutRunningSubscriptions() {
        try (Switchboard sb = Stores.open(dir)) {
            Broker broker = sb.createBroker("orders", BrokerConfig.defaults().withBufferLimitBytes(LIMIT));
            assertThat(publishUntilRefused(broker, 300)).isNull();
            assertThat(broker.stats().retainedBytes()).isGreaterThan(LIMIT * 4);
        }
    }

    @Test
    void shouldNotLimitTheLagOfABrokerWithoutABufferLimit() {
        assertThat(BrokerConfig.defaults().withBufferLimitBytes(Long.MAX_VALUE).lagLimitBytes())
                .isEqualTo(Long.MAX_VALUE);
        assertThat(BrokerConfig.defaults().withBufferLimitBytes(1_000).lagLimitBytes())
                .isEqualTo(BrokerConfig.LAG_LIMIT_FACTOR * 1_000L);
    }
}
