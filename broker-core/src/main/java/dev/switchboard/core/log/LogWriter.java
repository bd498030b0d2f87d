package dev.switchboard.core.log;

import dev.switchboard.core.BrokerException;
import io.cloudevents.CloudEvent;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
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
 * they complete on the writer thread itself: handing them to another thread cost a third of the
 * append throughput with 64 blocking publishers. After a synced batch they complete on a separate
 * thread, so the writer starts the next fsync while the last batch's publishers are woken. Either
 * way, continuations that do real work must run asynchronously; the HTTP layer only hops to its
 * event loop.
 *
 * <p>Other mutations of the logs (retention, cursor writes) run as tasks on the same thread, which keeps
 * offset assignment, segment statistics and deletion free of locks.
 */
public final class LogWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LogWriter.class);
    private static final Object STOP = new Object();

    private final RocksDB db;
    private final int maxBatchEvents;
    private final WriteOptions walOptions;
    private final WriteOptions syncOptions;
    private final ExecutorService syncedCompletions;
    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final ReadWriteLock closing = new ReentrantReadWriteLock();
    private final WriteBatchBuilder batch = new WriteBatchBuilder();
    private final Thread thread;
    private boolean closed;

    LogWriter(RocksDB db, int maxBatchEvents, WriteOptions walOptions, WriteOptions syncOptions) {
        this.db = db;
        this.maxBatchEvents = maxBatchEvents;
        this.walOptions = walOptions;
        this.syncOptions = syncOptions;
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
        if (events.length != records.length) {
            throw new IllegalArgumentException(records.length + " records but " + events.length + " events");
        }
        Append append = new Append(log, records, events, sync);
        enqueue(append, append.future);
        return append.future;
    }

    /** Runs a task on the writer thread, in order with the appends queued before it. */
    public <T> CompletableFuture<T> submit(Callable<T> task) {
        Task<T> wrapped = new Task<>(task);
        enqueue(wrapped, wrapped.future);
        return wrapped.future;
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
            queue.add(op);
        } finally {
            closing.readLock().unlock();
        }
    }

    private void run() {
        List<Object> ops = new ArrayList<>(maxBatchEvents);
        boolean stopping = false;
        while (!stopping) {
            try {
                ops.add(queue.take());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            queue.drainTo(ops, maxBatchEvents - 1);
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
                    writeAppends(ops.subList(i, j));
                    i = j;
                }
            }
            ops.clear();
        }
    }

    private void writeAppends(List<Object> appends) {
        long now = System.currentTimeMillis();
        Set<BrokerLog> logs = new LinkedHashSet<>();
        boolean sync = false;
        batch.clear();
        for (Object op : appends) {
            Append append = (Append) op;
            append.offset = append.log.stage(batch, append.records[0], append.events[0], now);
            for (int i = 1; i < append.records.length; i++) {
                append.log.stage(batch, append.records[i], append.events[i], now);
            }
            logs.add(append.log);
            sync |= append.sync;
        }
        for (BrokerLog log : logs) {
            log.stageSegmentStats(batch);
        }
        try (WriteBatch writeBatch = batch.build()) {
            db.write(sync ? syncOptions : walOptions, writeBatch);
        } catch (RocksDBException | RuntimeException e) {
            LOG.error("group commit of {} events failed", appends.size(), e);
            logs.forEach(BrokerLog::abortStaged);
            BrokerException failure = BrokerException.storage("write to the event log failed: " + e.getMessage(), e);
            appends.forEach(op -> ((Append) op).future.completeExceptionally(failure));
            return;
        }
        logs.forEach(BrokerLog::commitStaged);
        if (sync) {
            List<Object> done = List.copyOf(appends);
            syncedCompletions.execute(() -> complete(done));
        } else {
            complete(appends);
        }
    }

    private static void complete(List<Object> appends) {
        for (Object op : appends) {
            Append append = (Append) op;
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
