package dev.switchboard.core.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.core.BrokerException;
import dev.switchboard.core.PublishGroup;
import dev.switchboard.core.testing.TestEvents;
import io.cloudevents.CloudEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The store's group commit: each publisher's order, tasks in line, continuations, stalls and close. */
@Timeout(60)
class LogWriterTest {
    @TempDir
    Path dir;

    private static CompletableFuture<Long> append(RocksStore store, BrokerLog log, String id, boolean sync) {
        CloudEvent event = TestEvents.event(id);
        return store.writer().append(log, store.codec().encode(event), sync);
    }

    /** Runs {@code publisher} (given its number) on that many threads at once and waits for them all. */
    private static void inThreads(int count, IntConsumer publisher) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < count; p++) {
            int number = p;
            threads.add(new Thread(() -> publisher.accept(number)));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join();
        }
    }

    @Test
    void shouldKeepEachPublishersOrderWhileGroupsFormAcrossThreadsAndTasks() throws Exception {
        int publishers = 4;
        int perPublisher = 3_000;
        try (RocksStore store = RocksStore.open(dir, StoreOptions.defaults())) {
            BrokerLog wal = store.log("wal");
            BrokerLog synced = store.log("synced");
            List<List<CompletableFuture<Long>>> futures = new ArrayList<>();
            for (int p = 0; p < publishers; p++) {
                futures.add(new ArrayList<>());
            }
            inThreads(publishers, publisher -> {
                List<CompletableFuture<Long>> mine = futures.get(publisher);
                for (int i = 0; i < perPublisher; i++) {
                    // Pipelined, not waited for, with tasks and synced appends mixed in.
                    mine.add(append(store, wal, publisher + "-" + i, false));
                    if (i % 100 == 0) {
                        store.saveCursors("wal", Map.of("c" + publisher, (long) i));
                        append(store, synced, publisher + "-s-" + i, true);
                    }
                }
            });
            CompletableFuture.allOf(futures.stream().flatMap(List::stream).toArray(CompletableFuture[]::new))
                    .get(30, TimeUnit.SECONDS);

            assertThat(wal.endOffset()).isEqualTo((long) publishers * perPublisher);
            for (int p = 0; p < publishers; p++) {
                List<Long> offsets =
                        futures.get(p).stream().map(CompletableFuture::join).toList();
                assertThat(offsets).isSorted().doesNotHaveDuplicates();
                for (int i = 0; i < perPublisher; i += 499) {
                    assertThat(wal.read(offsets.get(i)).event().getId()).isEqualTo(p + "-" + i);
                }
            }
            assertThat(synced.endOffset()).isEqualTo(publishers * (long) (perPublisher / 100));
        }
    }

    @Test
    void shouldNotLetAnAppendPassATaskQueuedBeforeIt() throws Exception {
        try (RocksStore store = RocksStore.open(dir, StoreOptions.defaults())) {
            BrokerLog log = store.log("orders");
            CountDownLatch release = new CountDownLatch(1);
            AtomicLong endWhenTaskRan = new AtomicLong(-1);
            CompletableFuture<Void> task = store.writer().submit(() -> {
                release.await();
                endWhenTaskRan.set(log.endOffset());
                return null;
            });

            CompletableFuture<Long> appended = append(store, log, "after-task", false);

            await().during(Duration.ofMillis(200)).until(() -> !appended.isDone());
            release.countDown();
            assertThat(appended.get(10, TimeUnit.SECONDS)).isZero();
            task.get(10, TimeUnit.SECONDS);
            assertThat(endWhenTaskRan.get()).isZero(); // the task ran before the append was written
        }
    }

    @Test
    void shouldWriteAppendsPublishedFromContinuationsOfAGroupBeingCompleted() throws Exception {
        int publishers = 4;
        int perPublisher = 2_000;
        try (RocksStore store = RocksStore.open(dir, StoreOptions.defaults())) {
            BrokerLog log = store.log("orders");
            List<CompletableFuture<Long>> followUps = new java.util.concurrent.CopyOnWriteArrayList<>();
            inThreads(publishers, publisher -> {
                for (int i = 0; i < perPublisher; i++) {
                    String id = publisher + "-" + i;
                    // The continuation runs where the append completes: often inside another
                    // thread's group, which must not start a group of its own there.
                    append(store, log, id, false)
                            .whenComplete((offset, error) -> followUps.add(append(store, log, id + "-next", false)));
                }
            });

            await().until(() -> followUps.size() == publishers * perPublisher);
            CompletableFuture.allOf(followUps.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            assertThat(log.endOffset()).isEqualTo(2L * publishers * perPublisher);
        }
    }

    @Test
    void shouldNeverBlockAPublisherOnAWriteStallAndKeepItsOrder() throws Exception {
        try (RocksStore store = RocksStore.open(dir, StoreOptions.defaults())) {
            BrokerLog log = store.log("orders");
            // The stalled groups wait on the writer thread, not on the publisher's.
            appendThroughAWriteStall(store, log, record -> store.writer().append(log, record[0], false), () -> {});
        }
    }

    /**
     * Appends ~44 MiB (more than the two 16 MiB memtables writes stop at) while flushes are paused, by
     * {@code append}, calling {@code every100} after each hundred: every call must return although
     * RocksDB stopped writes, and once flushes resume every append lands, in order.
     */
    private static void appendThroughAWriteStall(
            RocksStore store,
            BrokerLog log,
            java.util.function.Function<byte[][], CompletableFuture<Long>> append,
            Runnable every100)
            throws Exception {
        int events = 40_000;
        store.pauseBackgroundWork(true);
        List<CompletableFuture<Long>> appended = new ArrayList<>();
        long started = System.nanoTime();
        try {
            for (int i = 0; i < events; i++) {
                appended.add(append.apply(new byte[][] {store.codec().encode(TestEvents.event("e-" + i, "t", 1024))}));
                if (i % 100 == 99) {
                    every100.run();
                }
            }
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
            // And RocksDB did stop them: the last waits for as long as flushes are paused.
            CompletableFuture<Long> last = appended.get(events - 1);
            await().during(Duration.ofMillis(500)).until(() -> !last.isDone());
        } finally {
            store.pauseBackgroundWork(false);
        }

        CompletableFuture.allOf(appended.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        List<Long> offsets = appended.stream().map(CompletableFuture::join).toList();
        assertThat(offsets).isSorted().doesNotHaveDuplicates();
        assertThat(offsets.get(events - 1)).isEqualTo(events - 1);
        assertThat(log.read(events - 1).event().getId()).isEqualTo("e-" + (events - 1));
    }

    /** An event loop's turns, run by the test: the tasks a publish group scheduled, run when told. */
    private static final class Turns implements Executor {
        private final List<Runnable> scheduled = new ArrayList<>();

        @Override
        public void execute(Runnable task) {
            scheduled.add(task);
        }

        int scheduled() {
            return scheduled.size();
        }

        void end() {
            List<Runnable> tasks = List.copyOf(scheduled);
            scheduled.clear();
            tasks.forEach(Runnable::run);
        }
    }

    private static CompletableFuture<Long> append(
            RocksStore store, BrokerLog log, String id, boolean sync, PublishGroup group) {
        byte[][] records = {store.codec().encode(TestEvents.event(id))};
        return store.writer().appendAll(log, records, new CloudEvent[1], sync, group);
    }

    /** Where each future completed: the name of the thread. */
    private static List<String> completingThreads(List<CompletableFuture<Long>> futures) {
        List<String> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
        futures.forEach(future -> future.whenComplete(
                (offset, error) -> threads.add(Thread.currentThread().getName())));
        return threads;
    }

    @Test
    void shouldWriteAGroupOnThePublishersThreadAtTheEndOfItsTurn() throws Exception {
        try (RocksStore store = RocksStore.open(dir, StoreOptions.defaults())) {
            BrokerLog log = store.log("orders");
            Turns turns = new Turns();
            PublishGroup group = store.writer().newGroup(turns);
            List<CompletableFuture<Long>> appended = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                appended.add(append(store, log, "e-" + i, false, group));
            }
            List<String> threads = completingThreads(appended);

            assertThat(turns.scheduled()).isOne(); // the first append scheduled the group's write
            assertThat(appended).noneMatch(CompletableFuture::isDone);
            assertThat(log.endOffset()).isZero();

            turns.end();

            // Written and completed before the turn's task returned, on the publisher's thread.
            assertThat(appended.stream().map(CompletableFuture::join).toList()).containsExactly(0L, 1L, 2L, 3L, 4L);
            assertThat(threads).containsOnly(Thread.currentThread().getName()).hasSize(5);
            assertThat(log.read(4).event().getId()).isEqualTo("e-4");

            // The next turn's appends make a group of their own.
            CompletableFuture<Long> next = append(store, log, "e-5", false, group);
            assertThat(turns.scheduled()).isOne();
            turns.end();
            assertThat(next).isCompletedWithValue(5L);
        }
    }

    @Test
    void shouldHandAGroupToTheBusyWriterThreadAndKeepThePublishersOrder() throws Exception {
        try (RocksStore store = RocksStore.open(dir, StoreOptions.defaults())) {
            BrokerLog log = store.log("orders");
            Turns turns = new Turns();
            PublishGroup group = store.writer().newGroup(turns);
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            store.writer().submit(() -> {
                started.countDown();
                release.await();
                return null;
            });
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

            List<CompletableFuture<Long>> handedOver = new ArrayList<>();
            for (int turn = 0; turn < 2; turn++) {
                for (int i = 0; i < 3; i++) {
                    handedOver.add(append(store, log, turn + "-" + i, false, group));
                }
                turns.end(); // the writer is busy: queued, and the second turn must not pass the first
            }
            List<String> threads = completingThreads(handedOver);
            await().during(Duration.ofMillis(200))
                    .until(() -> handedOver.stream().noneMatch(CompletableFuture::isDone));

            release.countDown();
            // Polled, not joined: a thread waiting in a completion method may run others' continuations.
            await().until(() -> threads.size() == handedOver.size());
            assertThat(handedOver.stream().map(CompletableFuture::join).toList())
                    .containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
            assertThat(threads).containsOnly("switchboard-log-writer");
            assertThat(log.read(3).event().getId()).isEqualTo("1-0");

            // Once the writer has caught up, groups are written on the publisher's thread again.
            await().until(store.writer()::idle);
            CompletableFuture<Long> inline = append(store, log, "2-0", false, group);
            List<String> inlineThread = completingThreads(List.of(inline));
            turns.end();
            assertThat(inline).isCompletedWithValue(6L);
            assertThat(inlineThread).containsExactly(Thread.currentThread().getName());
        }
    }

    @Test
    void shouldNeverBlockAGroupsThreadOnAWriteStallAndKeepItsOrder() throws Exception {
        try (RocksStore store = RocksStore.open(dir, StoreOptions.defaults())) {
            BrokerLog log = store.log("orders");
            Turns turns = new Turns();
            PublishGroup group = store.writer().newGroup(turns);
            // A turn of a hundred appends at a time: the stalled groups go to the writer thread
            // instead of holding the publisher's.
            appendThroughAWriteStall(
                    store,
                    log,
                    record -> store.writer().appendAll(log, record, new CloudEvent[1], false, group),
                    turns::end);
        }
    }

    @Test
    void shouldLeaveSyncedAppendsOfAGroupToTheWriterThread() throws Exception {
        try (RocksStore store = RocksStore.open(dir, StoreOptions.defaults())) {
            BrokerLog log = store.log("orders");
            Turns turns = new Turns();
            CompletableFuture<Long> synced =
                    append(store, log, "synced", true, store.writer().newGroup(turns));

            assertThat(synced.get(10, TimeUnit.SECONDS)).isZero();
            assertThat(turns.scheduled()).isZero(); // never part of the turn's group
        }
    }

    @Test
    void shouldWriteAGroupThatReachesTheBatchBoundWithoutWaitingForTheTurnsEnd() throws Exception {
        try (RocksStore store = RocksStore.open(dir, new StoreOptions(1024, 10, 8L << 20))) {
            BrokerLog log = store.log("orders");
            Turns turns = new Turns();
            PublishGroup group = store.writer().newGroup(turns);
            List<CompletableFuture<Long>> appended = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                appended.add(append(store, log, "e-" + i, false, group));
            }

            assertThat(appended.subList(0, 20)).allMatch(CompletableFuture::isDone);
            assertThat(appended.subList(20, 25)).noneMatch(CompletableFuture::isDone);
            turns.end();
            assertThat(appended.stream().map(CompletableFuture::join).toList())
                    .isEqualTo(java.util.stream.LongStream.range(0, 25).boxed().toList());
        }
    }

    @Test
    void shouldRefuseAGroupOfAnotherStore() {
        try (RocksStore store = RocksStore.open(dir.resolve("a"), StoreOptions.defaults());
                RocksStore other = RocksStore.open(dir.resolve("b"), StoreOptions.defaults())) {
            PublishGroup othersGroup = other.writer().newGroup(new Turns());
            BrokerLog log = store.log("orders");

            assertThatIllegalArgumentException()
                    .isThrownBy(() -> append(store, log, "e", false, othersGroup))
                    .withMessageContaining("another store");
        }
    }

    @Test
    void shouldFailAGroupWhoseTurnEndsAfterClose() {
        RocksStore store = RocksStore.open(dir, StoreOptions.defaults());
        BrokerLog log = store.log("orders");
        Turns turns = new Turns();
        CompletableFuture<Long> pending =
                append(store, log, "e", false, store.writer().newGroup(turns));
        store.close();

        turns.end();
        assertThat(pending).isCompletedExceptionally();
        assertThatThrownBy(pending::join)
                .hasCauseInstanceOf(BrokerException.class)
                .cause()
                .satisfies(e -> assertThat(((BrokerException) e).kind()).isEqualTo(BrokerException.Kind.CLOSED));
    }

    @Test
    void shouldWriteWhatWasAppendedBeforeCloseAndRefuseWhatCameAfter() {
        RocksStore store = RocksStore.open(dir, StoreOptions.defaults());
        BrokerLog log = store.log("orders");
        List<CompletableFuture<Long>> before = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            before.add(append(store, log, "e-" + i, i % 10 == 0));
        }
        LogWriter writer = store.writer();
        store.close();

        assertThat(before).allSatisfy(future -> assertThat(future).isCompleted());
        CompletableFuture<Long> after = writer.append(log, new RecordCodec().encode(TestEvents.event("late")), false);
        assertThat(after).isCompletedExceptionally();
        try {
            after.join();
        } catch (CompletionException e) {
            assertThat(((BrokerException) e.getCause()).kind()).isEqualTo(BrokerException.Kind.CLOSED);
        }
        try (RocksStore reopened = RocksStore.open(dir, StoreOptions.defaults())) {
            assertThat(reopened.log("orders").endOffset()).isEqualTo(1_000);
        }
    }
}
