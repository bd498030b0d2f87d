package dev.switchboard.core.log;

import dev.switchboard.core.BrokerException;
import dev.switchboard.core.PublishGroup;
import io.cloudevents.CloudEvent;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's single writer: group commit for every broker of one RocksDB instance.
 *
 * <p>Publishers enqueue encoded records; the writer thread takes whatever has queued up (at least one,
 * at most {@code maxBatchEvents}), assigns offsets, writes one {@link WriteBatch} and only then
 * completes the publishers' futures. Batches form by themselves under load, and an idle system pays no
 * lingering delay. A batch is synced when any of its records asks for it, so fsync costs are shared by
 * everyone who published meanwhile.
 *
 * <p>Where futures complete was chosen by measurement (benchmarks/RESULTS.md). After a WAL-only batch
 * they complete on the writer thread itself, once it has let go of the write lock: handing them to
 * another thread cost a third of the append throughput with 64 blocking publishers. After a synced
 * batch they complete on a separate thread, so the writer starts the next fsync while the last
 * batch's publishers are woken. Either
 * way, continuations that do real work must run asynchronously; the HTTP layer only hops to its
 * event loop.
 *
 * <p>A {@link PublishGroup} skips the writer thread: the event loop that collected the group writes it
 * itself and completes its futures there, which saves two thread hand-offs per group (the server's
 * ingress went from 0.5× to 0.75× a bare HTTP server's rate with it, benchmarks/RESULTS.md). It writes
 * only while the writer thread is idle and has nothing queued, holding the same lock, and never waits:
 * when the writer is busy, has queued work (which may hold the same publisher's earlier events), or
 * RocksDB would stall the write, the group is queued for the writer thread instead.
 *
 * <p>Other mutations of the logs (retention, cursor writes) run as tasks on the writer thread; offset
 * assignment, segment statistics and deletion run under the one write lock, never concurrently.
 */
public final class LogWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LogWriter.class);
    private static final Object STOP = new Object();

    private final RocksDB db;
    private final int maxBatchEvents;
    private final WriteOptions walOptions;
    private final WriteOptions syncOptions;
    /** For groups written on a publisher's thread: fail at once where RocksDB would stall the write. */
    private final WriteOptions noStallOptions;

    private final ExecutorService syncedCompletions;
    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    /** Operations queued for the writer thread and not yet done: a group written inline must not pass them. */
    private final AtomicInteger queued = new AtomicInteger();
    /** Held by whoever writes: the writer thread for its queue, or a publisher for its group. */
    private final ReentrantLock writing = new ReentrantLock();

    private final ReadWriteLock closing = new ReentrantReadWriteLock();
    private final WriteBatchBuilder batch = new WriteBatchBuilder();
    private final Thread thread;
    private boolean closed;

    LogWriter(RocksDB db, int maxBatchEvents, WriteOptions walOptions, WriteOptions syncOptions) {
        this.db = db;
        this.maxBatchEvents = maxBatchEvents;
        this.walOptions = walOptions;
        this.syncOptions = syncOptions;
        this.noStallOptions = new WriteOptions().setNoSlowdown(true);
        this.syncedCompletions = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "switchboard-fsync-completions");
            thread.setDaemon(true);
            return thread;
        });
        this.thread = new Thread(this::run, "switchboard-log-writer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * Appends an encoded record. The future completes with its offset, on the writer thread, after the
     * group commit that holds it has returned from RocksDB (synced when {@code sync}); it fails with
     * {@code STORAGE} if the write fails or {@code CLOSED} after {@link #close()}.
     */
    public CompletableFuture<Long> append(BrokerLog log, byte[] record, boolean sync) {
        return appendAll(log, new byte[][] {record}, new CloudEvent[1], sync);
    }

    /**
     * Appends records atomically: all of them land in the same group commit, at consecutive offsets,
     * or none does. The future completes with the first offset. {@code events[i]}, when not {@code
     * null}, is the event {@code records[i]} reads back as (see {@link RecordCodec#readsBackAs}): the
     * log's tail cache hands it to readers instead of decoding the record.
     */
    public CompletableFuture<Long> appendAll(BrokerLog log, byte[][] records, CloudEvent[] events, boolean sync) {
        return appendAll(log, records, events, sync, null);
    }

    /**
     * As {@link #appendAll(BrokerLog, byte[][], CloudEvent[], boolean)}, written with {@code group}
     * ({@code null}: none) unless {@code sync}: synced appends always go to the writer thread.
     *
     * @throws IllegalArgumentException if {@code group} belongs to another store's writer
     */
    public CompletableFuture<Long> appendAll(
            BrokerLog log, byte[][] records, CloudEvent[] events, boolean sync, PublishGroup group) {
        if (events.length != records.length) {
            throw new IllegalArgumentException(records.length + " records but " + events.length + " events");
        }
        Append append = new Append(log, records, events, sync);
        if (group == null || sync) {
            enqueue(append, append.future);
        } else if (group instanceof Group own && own.writer() == this) {
            own.add(append);
        } else {
            throw new IllegalArgumentException("the publish group belongs to another store");
        }
        return append.future;
    }

    /**
     * A new group whose appends the publishing thread writes itself; {@code endOfTurn} runs the write
     * once the publisher's current turn is over (on an event loop: a task run after its I/O).
     */
    public PublishGroup newGroup(Executor endOfTurn) {
        return new Group(this, endOfTurn);
    }

    /** Runs a task on the writer thread, in order with the appends queued before it. */
    public <T> CompletableFuture<T> submit(Callable<T> task) {
        Task<T> wrapped = new Task<>(task);
        enqueue(wrapped, wrapped.future);
        return wrapped.future;
    }

    /** Whether nothing is being written or queued: a group would be written on its publisher's thread. */
    boolean idle() {
        return queued.get() == 0 && !writing.isLocked();
    }

    /** Options for writes that tasks make: WAL on, no sync. */
    WriteOptions walOptions() {
        return walOptions;
    }

    private void enqueue(Object op, CompletableFuture<?> future) {
        closing.readLock().lock();
        try {
            if (closed) {
                future.completeExceptionally(BrokerException.closed("log writer"));
                return;
            }
            queued.incrementAndGet();
            queue.add(op);
        } finally {
            closing.readLock().unlock();
        }
    }

    /**
     * Writes a group's appends on the calling thread when the writer thread is idle with nothing
     * queued, and completes them there; otherwise queues them, in order, for the writer thread.
     */
    private void writeGroup(List<Append> appends) {
        Written result = Written.DEFERRED;
        closing.readLock().lock();
        try {
            if (closed) {
                BrokerException failure = BrokerException.closed("log writer");
                appends.forEach(append -> append.future.completeExceptionally(failure));
                return;
            }
            // Not from inside the writer thread's turn (a continuation of a task): the batch is in use there.
            if (queued.get() == 0 && !writing.isHeldByCurrentThread() && writing.tryLock()) {
                try {
                    if (queued.get() == 0) {
                        result = write(appends, noStallOptions);
                    }
                } finally {
                    writing.unlock();
                }
            }
            if (result == Written.DEFERRED) {
                queued.addAndGet(appends.size());
                queue.addAll(appends);
            }
        } finally {
            closing.readLock().unlock();
        }
        if (result == Written.WRITTEN) {
            complete(appends); // outside the locks: continuations may publish or close
        }
    }

    private void run() {
        List<Object> ops = new ArrayList<>(maxBatchEvents);
        List<Append> written = new ArrayList<>(maxBatchEvents);
        boolean stopping = false;
        while (!stopping) {
            try {
                ops.add(queue.take());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            queue.drainTo(ops, maxBatchEvents - 1);
            writing.lock();
            try {
                stopping = runAll(ops, written);
            } finally {
                writing.unlock();
                queued.addAndGet(-ops.size());
            }
            // Once the writer is idle again: a publisher woken here may write its next group itself.
            complete(written);
            written.clear();
            ops.clear();
        }
    }

    /**
     * Runs drained operations in order, under the write lock, adding the WAL-only appends it wrote to
     * {@code written}; whether one of them was the stop.
     */
    private boolean runAll(List<Object> ops, List<Append> written) {
        boolean stopping = false;
        int i = 0;
        while (i < ops.size()) {
            Object op = ops.get(i);
            if (op == STOP) {
                stopping = true;
                i++;
            } else if (op instanceof Task<?> task) {
                task.run();
                i++;
            } else {
                int j = i;
                while (j < ops.size() && ops.get(j) instanceof Append) {
                    j++;
                }
                writeAppends(ops.subList(i, j), written);
                i = j;
            }
        }
        return stopping;
    }

    @SuppressWarnings("unchecked")
    private void writeAppends(List<?> ops, List<Append> written) {
        List<Append> appends = (List<Append>) ops;
        boolean sync = appends.stream().anyMatch(append -> append.sync);
        if (write(appends, sync ? syncOptions : walOptions) != Written.WRITTEN) {
            return;
        }
        if (sync) {
            List<Append> done = List.copyOf(appends);
            syncedCompletions.execute(() -> complete(done));
        } else {
            written.addAll(appends);
        }
    }

    private enum Written {
        WRITTEN,
        FAILED,
        /** Not written now (RocksDB would stall, or the writer thread is busy): for the writer thread. */
        DEFERRED
    }

    /**
     * Writes appends in one batch and makes them visible to readers; on a failure completes them
     * exceptionally, on a stall ({@code options} asked not to wait for one) leaves them untouched.
     * Runs under {@link #writing}.
     */
    private Written write(List<Append> appends, WriteOptions options) {
        long now = System.currentTimeMillis();
        Set<BrokerLog> logs = new LinkedHashSet<>();
        batch.clear();
        for (Append append : appends) {
            append.offset = append.log.stage(batch, append.records[0], append.events[0], now);
            for (int i = 1; i < append.records.length; i++) {
                append.log.stage(batch, append.records[i], append.events[i], now);
            }
            logs.add(append.log);
        }
        for (BrokerLog log : logs) {
            log.stageSegmentStats(batch);
        }
        try (WriteBatch writeBatch = batch.build()) {
            db.write(options, writeBatch);
        } catch (RocksDBException | RuntimeException e) {
            logs.forEach(BrokerLog::abortStaged);
            if (options.noSlowdown() && e instanceof RocksDBException rocks && isStall(rocks)) {
                return Written.DEFERRED;
            }
            LOG.error("group commit of {} events failed", appends.size(), e);
            BrokerException failure = BrokerException.storage("write to the event log failed: " + e.getMessage(), e);
            appends.forEach(append -> append.future.completeExceptionally(failure));
            return Written.FAILED;
        }
        logs.forEach(BrokerLog::commitStaged);
        return Written.WRITTEN;
    }

    /** RocksDB refuses a no-slowdown write it would have stalled with {@code Incomplete}. */
    private static boolean isStall(RocksDBException e) {
        return e.getStatus() != null && e.getStatus().getCode() == Status.Code.Incomplete;
    }

    private static void complete(List<Append> appends) {
        for (Append append : appends) {
            append.future.complete(append.offset);
        }
    }

    /** Writes everything queued so far, then stops the writer thread. Later appends fail with CLOSED. */
    @Override
    public void close() {
        closing.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            queue.add(STOP);
        } finally {
            closing.writeLock().unlock();
        }
        try {
            thread.join();
            syncedCompletions.shutdown();
            syncedCompletions.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            noStallOptions.close();
        }
    }

    /**
     * A {@link PublishGroup} of this writer: the appends of the current turn, written by {@link
     * #writeGroup} when the turn's executor runs the write its first append scheduled.
     */
    private static final class Group implements PublishGroup {
        private final LogWriter writer;
        private final Executor endOfTurn;
        private List<Append> appends = new ArrayList<>();

        Group(LogWriter writer, Executor endOfTurn) {
            this.writer = writer;
            this.endOfTurn = endOfTurn;
        }

        LogWriter writer() {
            return writer;
        }

        void add(Append append) {
            appends.add(append);
            if (appends.size() == 1) {
                endOfTurn.execute(this::write);
            } else if (appends.size() >= writer.maxBatchEvents) {
                write(); // a group commit's bound; the turn's scheduled write takes what follows
            }
        }

        private void write() {
            if (appends.isEmpty()) {
                return;
            }
            List<Append> turn = appends;
            // A new list: continuations of this turn's appends may publish into the next turn.
            appends = new ArrayList<>();
            writer.writeGroup(turn);
        }
    }

    private static final class Append {
        final BrokerLog log;
        final byte[][] records;
        final CloudEvent[] events;
        final boolean sync;
        final CompletableFuture<Long> future = new CompletableFuture<>();
        long offset;

        Append(BrokerLog log, byte[][] records, CloudEvent[] events, boolean sync) {
            this.log = log;
            this.records = records;
            this.events = events;
            this.sync = sync;
        }
    }

    private static final class Task<T> {
        final Callable<T> body;
        final CompletableFuture<T> future = new CompletableFuture<>();

        Task(Callable<T> body) {
            this.body = body;
        }

        void run() {
            try {
                future.complete(body.call());
            } catch (Exception | Error e) {
                future.completeExceptionally(e);
            }
        }
    }
}
