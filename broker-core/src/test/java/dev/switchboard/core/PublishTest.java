package dev.switchboard.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.core.broker.LocalBroker;
import dev.switchboard.core.log.LogRecord;
import dev.switchboard.core.testing.Stores;
import dev.switchboard.core.testing.TestEvents;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(60)
class PublishTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Durability.class)
    void shouldAssignContiguousOffsetsToConcurrentPublishers(Durability durability) throws Exception {
        int publishers = 16;
        int perPublisher = 500;
        List<CompletableFuture<Long>> acks = new ArrayList<>();
        try (Switchboard sb = Stores.open(dir)) {
            Broker broker = sb.createBroker("orders", BrokerConfig.defaults().withDurability(durability));
            ExecutorService pool = Executors.newFixedThreadPool(publishers);
            List<CompletableFuture<List<CompletableFuture<Long>>>> tasks = new ArrayList<>();
            for (int p = 0; p < publishers; p++) {
                int publisher = p;
                tasks.add(CompletableFuture.supplyAsync(
                        () -> {
                            List<CompletableFuture<Long>> mine = new ArrayList<>();
                            for (int i = 0; i < perPublisher; i++) {
                                mine.add(broker.publish(TestEvents.event("p" + publisher + "-" + i))
                                        .toCompletableFuture());
                            }
                            return mine;
                        },
                        pool));
            }
            for (var task : tasks) {
                acks.addAll(task.join());
            }
            pool.shutdown();
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).join();

            Set<Long> offsets = new HashSet<>();
            acks.forEach(ack -> offsets.add(ack.join()));
            assertThat(offsets).hasSize(publishers * perPublisher);
            assertThat(offsets.stream().mapToLong(Long::longValue).max().getAsLong())
                    .isEqualTo(publishers * perPublisher - 1);
            assertThat(broker.stats().endOffset()).isEqualTo(publishers * perPublisher);
        }
    }

    @Test
    void shouldRefuseAnEventItCouldNotReadBackAndWriteNothing() {
        try (Switchboard sb = Stores.open(dir)) {
            Broker broker = sb.broker("orders");
            CloudEvent notUtf8 = CloudEventBuilder.v1(TestEvents.event("e-1"))
                    .withData("text/plain", new byte[] {(byte) 0xFF, (byte) 0xFE})
                    .build();

            assertThatThrownBy(
                            () -> broker.publish(notUtf8).toCompletableFuture().join())
                    .hasCauseInstanceOf(BrokerException.class)
                    .hasMessageContaining("not valid UTF-8");
            assertThat(broker.stats().endOffset()).isZero();
        }
    }

    @Test
    void shouldKeepTheLogAcrossARestart() {
        try (Switchboard sb = Stores.open(dir)) {
            for (int i = 0; i < 10; i++) {
                sb.broker("orders")
                        .publish(TestEvents.event("e-" + i))
                        .toCompletableFuture()
                        .join();
            }
        }
        try (Switchboard sb = Stores.open(dir)) {
            assertThat(sb.storedBrokers()).containsExactly("orders");
            LocalBroker broker = (LocalBroker) sb.broker("orders");
            assertThat(broker.stats().endOffset()).isEqualTo(10);
            List<LogRecord> records = broker.log().read(0, 100);
            assertThat(records)
                    .extracting(r -> r.event().getId())
                    .containsExactly("e-0", "e-1", "e-2", "e-3", "e-4", "e-5", "e-6", "e-7", "e-8", "e-9");

            long next = broker.publish(TestEvents.event("e-10"))
                    .toCompletableFuture()
                    .join();
            assertThat(next).isEqualTo(10);
        }
    }

    @Test
    void shouldWriteAnEventLoopsPublishGroupOnTheLoopAndLeaveFsyncToTheWriterThread() throws Exception {
        // A one-thread executor stands in for an event loop: a task scheduled from a task runs after it.
        ExecutorService loop = Executors.newSingleThreadExecutor(task -> new Thread(task, "loop"));
        try (Switchboard sb = Stores.open(dir)) {
            Broker wal = sb.createBroker("wal", BrokerConfig.defaults());
            Broker fsync = sb.createBroker("fsync", BrokerConfig.defaults().withDurability(Durability.FSYNC));
            PublishGroup group = sb.publishGroup(loop);
            // Completes once the writer thread has let go of everything queued before: it is idle.
            wal.publish(TestEvents.event("w-0")).toCompletableFuture().join();

            String[] completedOn = new String[3];
            boolean[] doneWithinTheTurn = {true};
            List<CompletableFuture<Long>> turn = CompletableFuture.supplyAsync(
                            () -> {
                                List<CompletableFuture<Long>> acks = new ArrayList<>();
                                for (int i = 1; i <= 3; i++) {
                                    int index = i - 1;
                                    CompletableFuture<Long> ack = wal.publishAll(
                                                    List.of(TestEvents.event("w-" + i)), group)
                                            .toCompletableFuture();
                                    ack.whenComplete((offset, error) -> completedOn[index] =
                                            Thread.currentThread().getName());
                                    acks.add(ack);
                                }
                                doneWithinTheTurn[0] = acks.stream().anyMatch(CompletableFuture::isDone);
                                return acks;
                            },
                            loop)
                    .join();
            // Polled, not joined: a thread waiting in a completion method may run others' continuations.
            await().until(() -> Arrays.stream(completedOn).allMatch(Objects::nonNull));

            // Written after the turn's task, by the loop, and completed there.
            assertThat(turn).extracting(CompletableFuture::join).containsExactly(1L, 2L, 3L);
            assertThat(doneWithinTheTurn[0]).isFalse();
            assertThat(completedOn).containsOnly("loop");

            // An fsync has no place on an event loop: the writer thread's, and nothing for the turn.
            CompletableFuture<Long> synced = CompletableFuture.supplyAsync(
                            () -> fsync.publishAll(List.of(TestEvents.event("f-0")), group)
                                    .toCompletableFuture(),
                            loop)
                    .join();
            assertThat(synced.join()).isZero();
        } finally {
            loop.shutdown();
        }
        try (Switchboard sb = Stores.open(dir)) {
            assertThat(((LocalBroker) sb.broker("wal")).log().read(0, 10))
                    .extracting(r -> r.event().getId())
                    .containsExactly("w-0", "w-1", "w-2", "w-3");
            assertThat(sb.broker("fsync").stats().endOffset()).isEqualTo(1);
        }
    }

    @Test
    void shouldPublishABatchAtConsecutiveOffsets() {
        try (Switchboard sb = Stores.open(dir)) {
            Broker broker = sb.broker("orders");
            broker.publish(TestEvents.event("first")).toCompletableFuture().join();

            long first = broker.publishAll(
                            List.of(TestEvents.event("b-0"), TestEvents.event("b-1"), TestEvents.event("b-2")))
                    .toCompletableFuture()
                    .join();

            assertThat(first).isEqualTo(1);
            assertThat(((LocalBroker) broker).log().read(1, 10))
                    .extracting(r -> r.event().getId())
                    .containsExactly("b-0", "b-1", "b-2");
        }
    }

    @Test
    void shouldKeepBrokersApart() {
        try (Switchboard sb = Stores.open(dir)) {
            sb.broker("a")
                    .publish(TestEvents.event("a-0"))
                    .toCompletableFuture()
                    .join();
            sb.broker("b")
                    .publish(TestEvents.event("b-0"))
                    .toCompletableFuture()
                    .join();
            sb.broker("b")
                    .publish(TestEvents.event("b-1"))
                    .toCompletableFuture()
                    .join();

            assertThat(sb.broker("a").stats().endOffset()).isEqualTo(1);
            assertThat(sb.broker("b").stats().endOffset()).isEqualTo(2);
            assertThat(((LocalBroker) sb.broker("a")).log().read(0).event().getId())
                    .isEqualTo("a-0");
        }
    }

    @Test
    void shouldFailPublishesAfterClose() {
        Switchboard sb = Stores.open(dir);
        Broker broker = sb.broker("orders");
        sb.close();

        assertThatThrownBy(() -> broker.publish(TestEvents.event("late"))
                        .toCompletableFuture()
                        .join())
                .isInstanceOf(CompletionException.class)
                .cause()
                .isInstanceOfSatisfying(
                        BrokerException.class, e -> assertThat(e.kind()).isEqualTo(BrokerException.Kind.CLOSED));
        assertThatThrownBy(() -> sb.broker("orders"))
                .isInstanceOfSatisfying(
                        BrokerException.class, e -> assertThat(e.kind()).isEqualTo(BrokerException.Kind.CLOSED));
    }

    @Test
    void shouldRejectInvalidNames() {
        try (Switchboard sb = Stores.open(dir)) {
            assertThatThrownBy(() -> sb.broker("")).hasMessageContaining("broker name ''");
            assertThatThrownBy(() -> sb.broker("has space")).hasMessageContaining("must match");
            assertThatThrownBy(() -> SubscriptionSpec.of("bad name", e -> null))
                    .hasMessageContaining("subscription name 'bad name'");
        }
    }
}
