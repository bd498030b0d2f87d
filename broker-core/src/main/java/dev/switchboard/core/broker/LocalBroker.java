package dev.switchboard.core.broker;

import dev.switchboard.core.Broker;
import dev.switchboard.core.BrokerConfig;
import dev.switchboard.core.BrokerException;
import dev.switchboard.core.BrokerStats;
import dev.switchboard.core.Durability;
import dev.switchboard.core.FilterIndex;
import dev.switchboard.core.PublishGroup;
import dev.switchboard.core.StartPosition;
import dev.switchboard.core.StoredEvent;
import dev.switchboard.core.Subscription;
import dev.switchboard.core.SubscriptionSpec;
import dev.switchboard.core.SubscriptionStats;
import dev.switchboard.core.dispatch.DispatchRuntime;
import dev.switchboard.core.dispatch.Dispatcher;
import dev.switchboard.core.dispatch.FanOut;
import dev.switchboard.core.log.BrokerLog;
import dev.switchboard.core.log.LogRecord;
import dev.switchboard.core.log.RecordCodec;
import dev.switchboard.core.log.RocksStore;
import io.cloudevents.CloudEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A broker on the embedded RocksDB store: publish with backpressure, subscriptions with durable
 * cursors, batched cursor writes and retention.
 */
public final class LocalBroker implements Broker, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalBroker.class);

    private final String name;
    private final RocksStore store;
    private final BrokerLog log;
    private final DispatchRuntime runtime;
    private final FanOut fanOut;
    private final Clock clock;
    private final Map<String, Dispatcher> running = new ConcurrentHashMap<>();
    /** Durable cursors of every subscription this broker knows, running or not, as last written. */
    private final Map<String, Long> savedCursors;

    private final AtomicLong unconsumedAtLastCheck = new AtomicLong();
    /** Bytes the fastest running subscription had not passed at the last checkpoint. */
    private final AtomicLong aheadOfFastestAtLastCheck = new AtomicLong();
    // Racy by design: publishers may each compute it; any recent value will do.
    private volatile ExactBacklog exactBacklog = new ExactBacklog(0, 0, System.nanoTime() - 1_000_000_000L);

    /**
     * Bytes published while subscriptions ran, since the broker opened: one counter for both backlog
     * estimates, each subtracting the count it was taken at.
     */
    private final AtomicLong publishedWhileRunning = new AtomicLong();
    /** {@link #publishedWhileRunning} when the last checkpoint began reading the positions. */
    private volatile long publishedAtLastCheck;

    private final AtomicLong deletedByRetention = new AtomicLong();
    private final AtomicLong expiredUndelivered = new AtomicLong();
    private final List<ScheduledFuture<?>> periodic = new ArrayList<>();
    /**
     * How often cursors that moved only past events their subscription did not want are written. They
     * move with every append (thousands of idle triggers); written late, a crash costs them a second of
     * filtering again, never a duplicate delivery.
     */
    private final long quietCursorNanos;

    private long lastQuietWrite = System.nanoTime();
    /** A moved cursor the last checkpoint did not write (its sink had not finished past it yet). */
    private boolean cursorsHeldBack;
    /** Checkpoints that read the subscriptions, for tests. */
    private volatile long checkpointScans;
    /**
     * For a while after the broker opens, its fan-out does not read past the cursor of a subscription
     * that has not come back yet: after a restart the subscriptions then join where they stopped and
     * the backlog is read and decoded once for all of them, not once each.
     */
    private static final Duration RETURN_GRACE = Duration.ofSeconds(10);

    private final long holdUntil;
    private volatile boolean holding = true;
    private volatile BrokerConfig config;
    private volatile boolean closed;

    public LocalBroker(
            String name,
            BrokerConfig config,
            RocksStore store,
            DispatchRuntime runtime,
            BrokerTimings timings,
            FilterIndex.Factory indexes,
            Clock clock) {
        this.name = Objects.requireNonNull(name, "name");
        this.config = Objects.requireNonNull(config, "config");
        this.store = Objects.requireNonNull(store, "store");
        this.runtime = Objects.requireNonNull(runtime, "runtime");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.log = store.log(name);
        this.savedCursors = new ConcurrentHashMap<>(store.loadCursors(name));
        this.holdUntil = System.nanoTime() + RETURN_GRACE.toNanos();
        this.fanOut = new FanOut(
                name, log, runtime, indexes.create(), lowestWaitingCursor(), this::holdForReturningSubscriptions);
        periodic.add(runtime.scheduler().schedule(fanOut::signal, RETURN_GRACE.toMillis(), TimeUnit.MILLISECONDS));
        long flushMillis = timings.cursorFlushInterval().toMillis();
        this.quietCursorNanos = Math.max(
                TimeUnit.SECONDS.toNanos(1), 10 * timings.cursorFlushInterval().toNanos());
        long retentionMillis = timings.retentionInterval().toMillis();
        periodic.add(runtime.scheduler()
                .scheduleWithFixedDelay(this::checkpoint, flushMillis, flushMillis, TimeUnit.MILLISECONDS));
        periodic.add(runtime.scheduler()
                .scheduleWithFixedDelay(this::retentionTick, retentionMillis, retentionMillis, TimeUnit.MILLISECONDS));
    }

    @Override
    public String name() {
        return name;
    }

    private long holdForReturningSubscriptions() {
        if (holding && System.nanoTime() - holdUntil >= 0) {
            holding = false;
        }
        return holding ? lowestWaitingCursor() : Long.MAX_VALUE;
    }

    @Override
    public void subscriptionsResumed() {
        holding = false;
        fanOut.signal();
    }

    /** The lowest saved cursor of a subscription that is not running, or {@link Long#MAX_VALUE}. */
    private long lowestWaitingCursor() {
        long lowest = Long.MAX_VALUE;
        for (Map.Entry<String, Long> saved : savedCursors.entrySet()) {
            if (!running.containsKey(saved.getKey())) {
                lowest = Math.min(lowest, saved.getValue());
            }
        }
        return lowest;
    }

    @Override
    public BrokerConfig config() {
        return config;
    }

    /** Applies new settings; they take effect with the next publish and the next retention pass. */
    public void reconfigure(BrokerConfig newConfig) {
        this.config = Objects.requireNonNull(newConfig, "newConfig");
    }

    @Override
    public CompletionStage<Long> publish(CloudEvent event) {
        Objects.requireNonNull(event, "event");
        return publishAll(List.of(event));
    }

    @Override
    public CompletionStage<Long> publishAll(List<CloudEvent> events) {
        return publishAll(events, null);
    }

    @Override
    public CompletionStage<Long> publishAll(List<CloudEvent> events, PublishGroup group) {
        if (events.isEmpty()) {
            throw new IllegalArgumentException("nothing to publish");
        }
        if (closed) {
            return CompletableFuture.failedFuture(BrokerException.closed("broker '" + name + "'"));
        }
        // Pushed back when no subscription keeps up, or when a lagging one pins too much of the disk;
        // one slow sink alone does not stop the others.
        long sinceCheck = publishedWhileRunning.get() - publishedAtLastCheck;
        long aheadOfFastest = aheadOfFastestAtLastCheck.get() + sinceCheck;
        long unconsumed = unconsumedAtLastCheck.get() + sinceCheck;
        BrokerConfig config = this.config;
        if (aheadOfFastest > config.pushBackStartBytes()) {
            // The estimate assumes nothing was delivered since the last checkpoint; look again.
            aheadOfFastest = aheadOfFastestNow();
        }
        if (aheadOfFastest > config.bufferLimitBytes()) {
            return CompletableFuture.failedFuture(
                    BrokerException.bufferFull(name, aheadOfFastest, config.bufferLimitBytes()));
        }
        if (pushedBackEarly(aheadOfFastest, config)) {
            return CompletableFuture.failedFuture(BrokerException.bufferFilling(
                    name, aheadOfFastest, config.pushBackStartBytes(), config.bufferLimitBytes()));
        }
        if (unconsumed > config.lagLimitBytes()) {
            return CompletableFuture.failedFuture(BrokerException.bufferFull(name, unconsumed, config.lagLimitBytes()));
        }
        byte[][] records = new byte[events.size()][];
        CloudEvent[] readBack = new CloudEvent[records.length];
        long bytes = 0;
        try {
            for (int i = 0; i < records.length; i++) {
                CloudEvent event = events.get(i);
                records[i] = store.codec().encode(event);
                readBack[i] = RecordCodec.readsBackAs(event) ? event : null;
                bytes += records[i].length;
            }
        } catch (BrokerException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (!running.isEmpty()) {
            publishedWhileRunning.addAndGet(bytes);
        }
        return store.writer().appendAll(log, records, readBack, config.durability() == Durability.FSYNC, group);
    }

    /**
     * Whether a publish is refused before the buffer limit: with a probability that rises linearly from
     * 0 where push-back starts to 1 at the limit. Publishers that keep sending after a refusal then
     * find the backlog where the rate they are let in matches the rate delivery keeps up with, instead
     * of filling the buffer and being refused all at once (random early detection, as routers drop
     * packets before their queues are full).
     */
    private static boolean pushedBackEarly(long aheadOfFastest, BrokerConfig config) {
        long start = config.pushBackStartBytes();
        if (aheadOfFastest <= start) {
            return false;
        }
        long span = config.bufferLimitBytes() - start;
        return ThreadLocalRandom.current().nextLong(span) < aheadOfFastest - start;
    }

    /**
     * The bytes the fastest running subscription has not passed, from the subscriptions' positions
     * at most a millisecond ago (reading them visits every subscription) plus what was published
     * since: a publisher that publishes many events within the millisecond must see them add up.
     */
    private long aheadOfFastestNow() {
        long now = System.nanoTime();
        ExactBacklog last = exactBacklog;
        if (now - last.checkedAt() < 1_000_000L) {
            return last.aheadOfFastest() + publishedWhileRunning.get() - last.publishedMark();
        }
        long mark = publishedWhileRunning.get(); // before the positions: may count a publish twice, never zero times
        long fastest = Long.MIN_VALUE;
        for (Dispatcher dispatcher : running.values()) {
            fastest = Math.max(fastest, dispatcher.committedOffset());
        }
        long ahead = fastest == Long.MIN_VALUE ? 0 : log.bytesFrom(fastest);
        exactBacklog = new ExactBacklog(ahead, mark, now);
        return ahead;
    }

    /** The backlog ahead of the fastest subscription as last read, with the publish count at that time. */
    private record ExactBacklog(long aheadOfFastest, long publishedMark, long checkedAt) {}

    /** Bytes that running subscriptions have not passed yet, as of the last checkpoint plus since. */
    private long unconsumedBytes() {
        return unconsumedAtLastCheck.get() + publishedWhileRunning.get() - publishedAtLastCheck;
    }

    @Override
    public synchronized Subscription subscribe(SubscriptionSpec spec) {
        Objects.requireNonNull(spec, "spec");
        if (closed) {
            throw BrokerException.closed("broker '" + name + "'");
        }
        if (running.containsKey(spec.name())) {
            throw BrokerException.duplicateSubscription(name, spec.name());
        }
        Long saved = savedCursors.get(spec.name());
        long start = saved != null ? Math.max(saved, log.startOffset()) : resolve(spec.start());
        if (saved == null) {
            // Queued ahead of every later append, so any event that survives a crash finds the cursor.
            savedCursors.put(spec.name(), start);
            store.saveCursors(name, Map.of(spec.name(), start));
        }
        Dispatcher dispatcher = new Dispatcher(name, spec, log, fanOut, runtime, start);
        dispatcher.cursorWritten(saved != null ? saved : start);
        if (spec.startPaused()) {
            dispatcher.pause();
        }
        // Asks to join the fan-out before it counts as running: until then the fan-out holds at its
        // cursor (after a restart), so the join finds it there.
        dispatcher.start();
        running.put(spec.name(), dispatcher);
        fanOut.signal(); // it may have held for this one
        LOG.info("subscription '{}' on broker '{}' starts at offset {}", spec.name(), name, start);
        return new RunningSubscription(dispatcher);
    }

    private long resolve(StartPosition position) {
        if (position instanceof StartPosition.Earliest) {
            return log.startOffset();
        }
        if (position instanceof StartPosition.Latest) {
            return log.endOffset();
        }
        if (position instanceof StartPosition.AtTime at) {
            return log.offsetAt(at.time());
        }
        long offset = ((StartPosition.AtOffset) position).offset();
        return Math.max(log.startOffset(), Math.min(offset, log.endOffset()));
    }

    @Override
    public Set<String> subscriptionNames() {
        Set<String> names = new TreeSet<>(savedCursors.keySet());
        names.addAll(running.keySet());
        return names;
    }

    @Override
    public synchronized void deleteSubscription(String subscription) {
        Dispatcher dispatcher = running.remove(subscription);
        if (dispatcher != null) {
            dispatcher.close();
        }
        savedCursors.remove(subscription);
        store.deleteCursor(name, subscription);
    }

    /**
     * Moves a running subscription's cursor to {@code position} (earlier to replay, later to skip)
     * and restarts its delivery from there; a paused subscription stays paused.
     *
     * @return the offset it now starts at
     * @throws IllegalArgumentException if no subscription of that name is running
     */
    public synchronized long rewind(String subscription, StartPosition position) {
        Dispatcher old = running.get(subscription);
        if (old == null) {
            throw new IllegalArgumentException(
                    "no running subscription '" + subscription + "' on broker '" + name + "'");
        }
        long start = resolve(position);
        old.close();
        Dispatcher fresh = new Dispatcher(name, old.spec(), log, fanOut, runtime, start);
        fresh.cursorWritten(start);
        if (old.isPaused()) {
            fresh.pause();
        }
        fresh.start();
        running.put(subscription, fresh);
        savedCursors.put(subscription, start);
        store.saveCursors(name, Map.of(subscription, start));
        LOG.info("subscription '{}' on broker '{}' rewound to offset {}", subscription, name, start);
        return start;
    }

    /** The running subscription with that name, if any. */
    public Dispatcher dispatcher(String subscription) {
        return running.get(subscription);
    }

    @Override
    public List<StoredEvent> read(long fromOffset, int max) {
        List<StoredEvent> events = new ArrayList<>();
        for (LogRecord record : log.read(fromOffset, max)) {
            if (!record.isCorrupt()) {
                events.add(new StoredEvent(
                        record.offset(), java.time.Instant.ofEpochMilli(record.arrivalMillis()), record.event()));
            }
        }
        return events;
    }

    @Override
    public BrokerStats stats() {
        return new BrokerStats(
                log.startOffset(),
                log.endOffset(),
                log.retainedBytes(),
                running.isEmpty() ? 0 : unconsumedBytes(),
                deletedByRetention.get(),
                expiredUndelivered.get());
    }

    public BrokerLog log() {
        return log;
    }

    /**
     * Writes the cursors that moved past a delivery since the last checkpoint (one batch), every moved
     * cursor once in a while, and recomputes the bytes that running subscriptions have not passed.
     */
    void checkpoint() {
        checkpoint(false);
    }

    private void checkpoint(boolean everyMovedCursor) {
        try {
            long now = System.nanoTime();
            boolean quietDue = everyMovedCursor || now - lastQuietWrite >= quietCursorNanos;
            boolean ran = fanOut.activity().take();
            if (!ran && !everyMovedCursor && !(quietDue && cursorsHeldBack)) {
                return; // no pass ran and no moved cursor waits: what the last checkpoint read stands
            }
            if (quietDue) {
                lastQuietWrite = now;
            }
            // Before the positions: a publish may be counted twice in the estimate, never zero times.
            long publishedMark = publishedWhileRunning.get();
            Map<String, Long> changed = new HashMap<>();
            boolean heldBack = false;
            long slowest = Long.MAX_VALUE;
            long fastest = Long.MIN_VALUE;
            for (Dispatcher dispatcher : running.values()) {
                long committed = dispatcher.committedOffset();
                slowest = Math.min(slowest, committed);
                fastest = Math.max(fastest, committed);
                long written = dispatcher.writtenCursor();
                if (written != committed) {
                    if (quietDue || dispatcher.finishedAtOrAbove(written)) {
                        changed.put(dispatcher.name(), committed);
                        dispatcher.cursorWritten(committed);
                    } else {
                        heldBack = true;
                    }
                }
            }
            cursorsHeldBack = heldBack;
            checkpointScans++;
            savedCursors.putAll(changed);
            store.saveCursors(name, changed);
            unconsumedAtLastCheck.set(slowest == Long.MAX_VALUE ? 0 : log.bytesFrom(slowest));
            aheadOfFastestAtLastCheck.set(fastest == Long.MIN_VALUE ? 0 : log.bytesFrom(fastest));
            publishedAtLastCheck = publishedMark; // last: meanwhile the estimate errs high, not low
        } catch (RuntimeException e) {
            LOG.error("broker '{}': cursor checkpoint failed", name, e);
        }
    }

    /** How many checkpoints read the subscriptions (the others found nothing had run). */
    long checkpointScans() {
        return checkpointScans;
    }

    private void retentionTick() {
        enforceRetention().exceptionally(e -> {
            LOG.error("broker '{}': retention failed", name, e);
            return null;
        });
    }

    /**
     * Runs retention now. Deletes what the size limit allows below every subscription's cursor, and
     * what the age limit forces; subscriptions whose undelivered events were deleted move past them
     * and count them.
     *
     * @return the log's start offset afterwards
     */
    public CompletableFuture<Long> enforceRetention() {
        if (closed) {
            return CompletableFuture.completedFuture(log.startOffset());
        }
        long safeEnd = log.endOffset();
        for (Dispatcher dispatcher : running.values()) {
            safeEnd = Math.min(safeEnd, dispatcher.committedOffset());
        }
        for (Map.Entry<String, Long> saved : savedCursors.entrySet()) {
            if (!running.containsKey(saved.getKey())) {
                safeEnd = Math.min(safeEnd, saved.getValue());
            }
        }
        long before = log.startOffset();
        long cursorsEnd = safeEnd;
        return store.trim(log, config.retention(), safeEnd, clock.millis())
                .thenApplyAsync(newStart -> afterTrim(before, newStart, cursorsEnd), runtime.drains());
    }

    private long afterTrim(long before, long newStart, long cursorsEnd) {
        if (newStart <= before) {
            return newStart;
        }
        deletedByRetention.addAndGet(newStart - before);
        expiredUndelivered.addAndGet(Math.max(0, newStart - Math.max(before, cursorsEnd)));
        LOG.info("broker '{}': retention deleted offsets [{}, {})", name, before, newStart);
        Map<String, Long> moved = new HashMap<>();
        for (Map.Entry<String, Long> saved : savedCursors.entrySet()) {
            Dispatcher dispatcher = running.get(saved.getKey());
            if (dispatcher != null) {
                if (dispatcher.committedOffset() < newStart) {
                    dispatcher.skipTo(newStart);
                }
            } else if (saved.getValue() < newStart) {
                long lost = newStart - saved.getValue();
                moved.put(saved.getKey(), newStart);
                LOG.warn(
                        "broker '{}': {} events of stopped subscription '{}' were deleted by the age limit before delivery",
                        name,
                        lost,
                        saved.getKey());
            }
        }
        savedCursors.putAll(moved);
        store.saveCursors(name, moved);
        return newStart;
    }

    /**
     * Stops dispatching and queues a last cursor write; the store's close then finishes every queued
     * write before RocksDB closes.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        periodic.forEach(task -> task.cancel(false));
        running.values().forEach(Dispatcher::close);
        fanOut.close();
        checkpoint(true);
        running.clear();
    }

    /** A handle that follows its subscription across rewinds. */
    private final class RunningSubscription implements Subscription {
        private final String subscription;
        private final Dispatcher first;

        RunningSubscription(Dispatcher dispatcher) {
            this.subscription = dispatcher.name();
            this.first = dispatcher;
        }

        private Dispatcher current() {
            Dispatcher dispatcher = running.get(subscription);
            return dispatcher != null ? dispatcher : first;
        }

        @Override
        public String name() {
            return subscription;
        }

        @Override
        public String broker() {
            return name;
        }

        @Override
        public SubscriptionStats stats() {
            return current().stats();
        }

        @Override
        public void pause() {
            current().pause();
        }

        @Override
        public void resume() {
            current().resume();
        }

        @Override
        public boolean isPaused() {
            return current().isPaused();
        }

        @Override
        public void close() {
            synchronized (LocalBroker.this) {
                Dispatcher dispatcher = running.remove(subscription);
                if (dispatcher != null) {
                    dispatcher.close();
                    long committed = dispatcher.committedOffset();
                    savedCursors.put(subscription, committed);
                    store.saveCursors(name, Map.of(subscription, committed));
                }
            }
        }
    }
}
