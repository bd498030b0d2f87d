package dev.switchboard.core.dispatch;

import dev.switchboard.core.CallerLoops;
import dev.switchboard.core.DeliveryOutcome;
import dev.switchboard.core.Subscription;
import dev.switchboard.core.SubscriptionSpec;
import dev.switchboard.core.SubscriptionStats;
import dev.switchboard.core.log.BrokerLog;
import dev.switchboard.core.log.LogRecord;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves one subscription's events from the broker's log to its sink.
 *
 * <p>Where the events come from: while the subscription is behind the end of the log it reads the log
 * itself and applies its filter; once it reaches the end it joins the broker's {@link FanOut}, which
 * hands it only the records its filter matches, read and decoded once for every subscription. A member
 * that falls {@link Feed#CAPACITY} records behind is detached and reads by itself again.
 *
 * <p>All state is owned by a drain loop that runs on the shared {@link DispatchRuntime} pool (or on a
 * quiet event loop that signalled it, see {@link SerialPass}), one pass at a time per dispatcher:
 * {@link #signal()} (after an append, a sink completion or a due retry) schedules a pass unless one is
 * already running, in which case that pass loops once more. Nothing here ever waits: sinks answer with
 * a stage, retries wait on the scheduler.
 *
 * <p>The window: at most {@code maxInFlight} events are with the sink or waiting for redelivery. Events
 * the filter rejects are final at once. In unordered mode a failing event keeps its slot while later
 * events flow past it; in ordered mode the window is one, so the subscription waits for it.
 */
public final class Dispatcher implements Subscription {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    private static final int READ_CHUNK = 256;
    // Volatile fields with updaters, not atomic objects: a broker holds one dispatcher per trigger.
    private static final AtomicLongFieldUpdater<Dispatcher> SKIP_REQUEST =
            AtomicLongFieldUpdater.newUpdater(Dispatcher.class, "skipRequest");
    private static final AtomicLongFieldUpdater<Dispatcher> COMMITTED_FLOOR =
            AtomicLongFieldUpdater.newUpdater(Dispatcher.class, "committedFloor");

    private final String broker;
    private final SubscriptionSpec spec;
    private final BrokerLog log;
    private final FanOut fanOut;
    private final Feed feed;
    private final DispatchRuntime runtime;
    private final SerialPass passes;
    /** Where the sink's answers arrive: a pass they signal may run there (see EventSink#answerLoops). */
    private final CallerLoops answerLoops;
    /** Attempts that came back: finished by the sink, or due for another try. */
    private final Queue<Attempt> returned = new ConcurrentLinkedQueue<>();
    /** The offset retention asked to skip to, or -1. */
    private volatile long skipRequest = -1;

    private final DispatchCounters counters = new DispatchCounters();
    private volatile boolean closed;
    private volatile boolean paused;
    private volatile long committedView;
    private volatile long seenView;
    /** The highest offset the sink finished with (delivered, dead-lettered or dropped), or -1. */
    private volatile long lastFinished = -1;
    /** The cursor last queued for writing; kept here so that checkpoints need no lookup. */
    private volatile long writtenCursor;
    /** Never hand out a lower committed offset than once before (see {@link #committedOffset()}). */
    private volatile long committedFloor;

    // Owned by the drain loop.
    private final CompletionTracker tracker;
    /** Starts empty (idle subscriptions never read by themselves) and grows to a read chunk. */
    private final ArrayDeque<LogRecord> readAhead = new ArrayDeque<>(0);
    /** Every offset below this was read, handed over or passed over. */
    private long nextRead;

    private int inFlight;
    private volatile int inFlightView;
    private final TokenBucket rate;
    private LogRecord waitingForRate;

    public Dispatcher(
            String broker,
            SubscriptionSpec spec,
            BrokerLog log,
            FanOut fanOut,
            DispatchRuntime runtime,
            long startOffset) {
        this.broker = broker;
        this.spec = spec;
        this.answerLoops = Objects.requireNonNull(spec.sink().answerLoops(), "answerLoops");
        this.log = log;
        this.fanOut = fanOut;
        this.feed = new Feed(spec.filter(), this::filterFailed, this::signal);
        this.runtime = runtime;
        this.passes = new SerialPass(
                runtime,
                this::drainOnce,
                fanOut.activity(),
                () -> "subscription '" + spec.name() + "' on broker '" + broker + "'",
                answerLoops.home());
        this.tracker = new CompletionTracker(startOffset);
        this.nextRead = startOffset;
        this.committedView = startOffset;
        this.seenView = startOffset;
        this.committedFloor = startOffset;
        this.rate = spec.rateLimit()
                .map(limit -> new TokenBucket(limit, System.nanoTime()))
                .orElse(null);
    }

    /**
     * Starts delivering from the start offset: handed over by the fan-out if it has not passed that
     * offset yet (after a restart it waits a while for returning subscriptions), else read here.
     */
    public void start() {
        feed.askToJoin(nextRead);
        fanOut.join(feed);
    }

    @Override
    public String name() {
        return spec.name();
    }

    @Override
    public String broker() {
        return broker;
    }

    public SubscriptionSpec spec() {
        return spec;
    }

    /**
     * Every offset below this is final for the subscription.
     *
     * <p>A member of the fan-out that holds no unfinished record has passed everything the fan-out
     * passed, without its drain loop running: the thousands of subscriptions that match nothing move
     * along with the log at no cost. The reads are ordered: the fan-out's position first, then the
     * membership (a detachment below that position would show), then the unfinished count.
     */
    public long committedOffset() {
        long value = committedView;
        long passed = fanOut.position();
        long from = feed.from(); // before the state: a newer join request cannot pair with an old JOINED
        if (feed.state() == Feed.State.JOINED && feed.unfinished() == 0) {
            value = Math.max(value, Math.max(from, passed));
        }
        long floor = committedFloor;
        return value <= floor ? floor : COMMITTED_FLOOR.accumulateAndGet(this, value, Math::max);
    }

    public long writtenCursor() {
        return writtenCursor;
    }

    public void cursorWritten(long offset) {
        this.writtenCursor = offset;
    }

    /**
     * Whether the sink finished an event at or above {@code offset}: a cursor saved below it would
     * deliver that event again after a crash.
     */
    public boolean finishedAtOrAbove(long offset) {
        return lastFinished >= offset;
    }

    @Override
    public SubscriptionStats stats() {
        long committed = committedOffset();
        long end = log.endOffset();
        // What the fan-out passed while the drain loop slept is filtered out, though not yet counted.
        long passedOver = Math.max(0, committed - seenView);
        return counters.snapshot(committed, end, inFlightView, passedOver, committed < end ? arrivalOf(committed) : 0);
    }

    /** When the oldest event not yet final arrived (its record's header only; no decoding). */
    private long arrivalOf(long offset) {
        try {
            return Math.max(0, log.arrivalAt(offset));
        } catch (RuntimeException e) {
            return 0; // closed or unreadable: no age to report
        }
    }

    /**
     * Retention deleted everything below {@code offset}: move past it and count what was never
     * delivered.
     */
    public void skipTo(long offset) {
        SKIP_REQUEST.accumulateAndGet(this, offset, Math::max);
        signal();
    }

    @Override
    public void pause() {
        paused = true;
    }

    @Override
    public void resume() {
        paused = false;
        signal();
    }

    @Override
    public boolean isPaused() {
        return paused;
    }

    @Override
    public void close() {
        committedOffset(); // keeps the fan-out's progress as the floor before the membership ends
        closed = true;
        feed.close();
        fanOut.leave(feed);
    }

    private void signal() {
        passes.signal();
    }

    private void drainOnce() {
        applySkip();
        for (Attempt attempt; (attempt = returned.poll()) != null; ) {
            if (!attempt.due) {
                onFinished(attempt);
            } else if (closed || attempt.record.offset() < tracker.committed()) {
                inFlight--;
                releaseOne();
            } else {
                counters.redelivery();
                send(attempt);
            }
        }
        while (!closed && !paused && inFlight < spec.maxInFlight()) {
            LogRecord record = waitingForRate != null ? waitingForRate : wantedRecord();
            waitingForRate = null;
            if (record == null) {
                break;
            }
            if (rate != null && !rate.tryTake(System.nanoTime())) {
                waitingForRate = record;
                wakeForRate();
                break;
            }
            inFlight++;
            send(new Attempt(record, 0));
        }
        publishViews();
    }

    /** The next record the subscription wants; records it does not want are final at once. */
    private LogRecord wantedRecord() {
        while (true) {
            LogRecord record = readAhead.poll();
            if (record != null) {
                if (wants(record)) {
                    return record;
                }
                finish(record.offset());
                continue;
            }
            switch (feed.state()) {
                case JOINED, DETACHED -> {
                    return handedRecord();
                }
                case JOINING -> {
                    return null; // the fan-out answers with a wake-up
                }
                case REFUSED -> feed.leave();
                case OUT -> {
                    if (passes.onLoop() && !log.inMemoryFrom(nextRead)) {
                        passes.moveToPool(); // the read would touch the store
                        return null;
                    }
                    if (!readAhead()) {
                        feed.askToJoin(nextRead);
                        fanOut.join(feed);
                        return null;
                    }
                }
            }
        }
    }

    /**
     * The next record the fan-out handed over (already matched), or null; passes over what lies between.
     * Once detached and drained, goes back to reading the log from where the hand-over stopped.
     */
    private LogRecord handedRecord() {
        long passed = fanOut.position(); // before the membership and the queue: see committedOffset()
        Feed.State state = feed.state();
        for (LogRecord record; (record = feed.poll()) != null; ) {
            passOver(record.offset());
            nextRead = Math.max(nextRead, record.offset() + 1);
            if (record.offset() < tracker.committed()) {
                releaseOne(); // retention moved past it
            } else if (record.isCorrupt()) {
                countCorrupt(record);
                finish(record.offset());
            } else {
                return record;
            }
        }
        if (state == Feed.State.JOINED) {
            passOver(passed);
        } else if (state == Feed.State.DETACHED) {
            passOver(feed.detachedAt());
            feed.leave();
            return wantedRecord();
        }
        return null;
    }

    /** Offsets from the read position up to {@code offset} were not for this subscription. */
    private void passOver(long offset) {
        if (offset > nextRead) {
            counters.filtered(offset - nextRead);
            tracker.completeRange(nextRead, offset);
            nextRead = offset;
        }
    }

    /** Reads the next chunk of the log into the read-ahead; false at the end of the log. */
    private boolean readAhead() {
        if (nextRead >= log.endOffset()) {
            return false;
        }
        List<LogRecord> records = log.read(nextRead, READ_CHUNK);
        if (records.isEmpty()) {
            nextRead = Math.max(nextRead, log.startOffset()); // retention passed us
            return true;
        }
        feed.addUnfinished(records.size());
        readAhead.addAll(records);
        nextRead = records.get(records.size() - 1).offset() + 1;
        return true;
    }

    /** The record is final for this subscription. */
    private void finish(long offset) {
        tracker.complete(offset);
        releaseOne();
    }

    /** A record this subscription held is gone from it (final, skipped, or dropped on close). */
    private void releaseOne() {
        feed.addUnfinished(-1);
    }

    private void wakeForRate() {
        if (!rate.wakeScheduled.compareAndSet(false, true)) {
            return;
        }
        runtime.scheduler()
                .schedule(
                        () -> {
                            rate.wakeScheduled.set(false);
                            signal();
                        },
                        Math.max(1, rate.nanosUntilToken(System.nanoTime())),
                        TimeUnit.NANOSECONDS);
    }

    private boolean wants(LogRecord record) {
        if (record.isCorrupt()) {
            countCorrupt(record);
            return false;
        }
        boolean wanted = feed.wants(record);
        if (!wanted) {
            counters.filtered(1);
        }
        return wanted;
    }

    private void countCorrupt(LogRecord record) {
        counters.corrupt();
        LOG.error(
                "subscription '{}' passes over an unreadable record: {}",
                spec.name(),
                record.corruption().getMessage());
    }

    private void filterFailed(LogRecord record, RuntimeException e) {
        counters.filterError();
        LOG.warn(
                "subscription '{}' on broker '{}': filter failed on event {} at offset {}; counted as no match",
                spec.name(),
                broker,
                record.event().getId(),
                record.offset(),
                e);
    }

    private void send(Attempt attempt) {
        CompletionStage<DeliveryOutcome> stage;
        try {
            stage = spec.sink().deliver(attempt.record.event());
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        if (stage == null) {
            stage = CompletableFuture.failedFuture(new NullPointerException("sink returned no outcome"));
        }
        stage.whenComplete((outcome, error) -> {
            returned.add(attempt.withResult(outcome, error));
            passes.signalAnswered(answerLoops);
        });
    }

    private void onFinished(Attempt attempt) {
        DeliveryOutcome outcome = attempt.outcome;
        if (outcome != null && outcome.isFinal()) {
            inFlight--;
            counters.count(outcome);
            finish(attempt.record.offset());
            lastFinished = Math.max(lastFinished, attempt.record.offset());
            return;
        }
        if (closed) {
            inFlight--;
            releaseOne();
            return;
        }
        int failures = attempt.failures + 1;
        Duration delay = spec.backoff().delayAfter(failures);
        if (outcome instanceof DeliveryOutcome.Retry retry && retry.notBefore().compareTo(delay) > 0) {
            delay = retry.notBefore();
        }
        if (failures == 1 || LOG.isDebugEnabled()) {
            LOG.info(
                    "subscription '{}' on broker '{}': event {} at offset {} not delivered ({}); retry {} in {} ms",
                    spec.name(),
                    broker,
                    attempt.record.event().getId(),
                    attempt.record.offset(),
                    attempt.error != null ? attempt.error.toString() : outcome,
                    failures,
                    delay.toMillis());
        }
        Attempt next = new Attempt(attempt.record, failures);
        runtime.scheduler()
                .schedule(
                        () -> {
                            returned.add(next.due());
                            signal();
                        },
                        delay.toNanos(),
                        TimeUnit.NANOSECONDS);
    }

    private void applySkip() {
        long target = SKIP_REQUEST.getAndSet(this, -1);
        if (target < 0 || target <= tracker.committed()) {
            return;
        }
        long lost = tracker.skipTo(target);
        counters.expired(lost);
        readAhead.removeIf(record -> {
            boolean gone = record.offset() < target;
            if (gone) {
                releaseOne();
            }
            return gone;
        });
        nextRead = Math.max(nextRead, target);
        if (lost > 0) {
            LOG.warn(
                    "subscription '{}' on broker '{}': {} undelivered events below offset {} were deleted by the age limit",
                    spec.name(),
                    broker,
                    lost,
                    target);
        }
    }

    private void publishViews() {
        committedView = tracker.committed();
        seenView = nextRead;
        inFlightView = inFlight;
    }

    /** One delivery attempt of one record, and (once finished) its result. */
    private static final class Attempt {
        final LogRecord record;
        final int failures;
        DeliveryOutcome outcome;
        Throwable error;
        /** Back for another try, not with a result. */
        boolean due;

        Attempt(LogRecord record, int failures) {
            this.record = record;
            this.failures = failures;
        }

        Attempt due() {
            this.due = true;
            return this;
        }

        Attempt withResult(DeliveryOutcome outcome, Throwable error) {
            this.outcome = outcome;
            this.error = error;
            this.due = false; // a retried attempt comes back with its result
            return this;
        }
    }
}
