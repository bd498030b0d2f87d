package dev.switchboard.core.dispatch;

import dev.switchboard.core.EventFilter;
import dev.switchboard.core.log.LogRecord;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.function.BiConsumer;

/**
 * One dispatcher's membership in its broker's {@link FanOut}: the records the fan-out matched for it,
 * in log order, and where the membership stands.
 *
 * <p>A dispatcher that has caught up with the log asks to join at its read position; the fan-out
 * either accepts (and from then on hands it every matching record from that position on) or refuses
 * because it has already passed that position, and the dispatcher reads on by itself. A member that
 * lets {@link #CAPACITY} records pile up is detached at the first record it was not handed, and reads
 * the log by itself from there until it catches up again.
 *
 * <p>The counters and the state are volatile fields with field updaters rather than atomic objects: a broker holds one feed per trigger, ten thousand of them in large installations.
 */
final class Feed {
    /** Records a member may have waiting before it is detached (a slow or paused sink). */
    static final int CAPACITY = 1024;

    enum State {
        /** Reading the log by itself. */
        OUT,
        /** Asked to join, no answer yet. */
        JOINING,
        /** Handed every matching record from {@link #from()} on. */
        JOINED,
        /** The fan-out passed the asked position; read on and ask again. */
        REFUSED,
        /** Handed no records from {@link #detachedAt()} on. */
        DETACHED
    }

    private static final AtomicIntegerFieldUpdater<Feed> WAITING =
            AtomicIntegerFieldUpdater.newUpdater(Feed.class, "waiting");
    private static final AtomicIntegerFieldUpdater<Feed> UNFINISHED =
            AtomicIntegerFieldUpdater.newUpdater(Feed.class, "unfinished");
    private static final AtomicReferenceFieldUpdater<Feed, State> STATE =
            AtomicReferenceFieldUpdater.newUpdater(Feed.class, State.class, "state");

    private final EventFilter filter;
    private final BiConsumer<LogRecord, RuntimeException> filterFailed;
    private final Runnable wake;
    private final Queue<LogRecord> inbox = new ConcurrentLinkedQueue<>();
    private volatile int waiting;
    /**
     * Records the member holds that are not final: queued here, or read by itself, or with its sink.
     * With none, and the membership {@link State#JOINED}, everything the fan-out passed is final for
     * the member.
     */
    private volatile int unfinished;

    private volatile State state = State.OUT;
    private volatile boolean closed;
    private volatile long from;
    private volatile long detachedAt;
    /** Set by the fan-out while it batches wake-ups; only the fan-out's loop touches it. */
    boolean wakePending;

    Feed(EventFilter filter, BiConsumer<LogRecord, RuntimeException> filterFailed, Runnable wake) {
        this.filter = filter;
        this.filterFailed = filterFailed;
        this.wake = wake;
    }

    EventFilter filter() {
        return filter;
    }

    /** Asks the member's own filter; a filter that throws counts as no match and is reported. */
    boolean wants(LogRecord record) {
        try {
            return filter.test(record.event());
        } catch (RuntimeException e) {
            filterFailed.accept(record, e);
            return false;
        }
    }

    State state() {
        return state;
    }

    int unfinished() {
        return unfinished;
    }

    /** Counts records the member took on ({@code delta > 0}) or finished ({@code delta < 0}). */
    void addUnfinished(int delta) {
        UNFINISHED.getAndAdd(this, delta);
    }

    long from() {
        return from;
    }

    long detachedAt() {
        return detachedAt;
    }

    /** Called by the dispatcher: it has read everything below {@code offset} and wants the rest handed. */
    void askToJoin(long offset) {
        from = offset; // before the state: a reader that sees the new state sees this
        state = State.JOINING;
    }

    /** The dispatcher stopped: the fan-out must not take the feed in, whatever it asked before. */
    void close() {
        closed = true;
        state = State.OUT;
    }

    boolean isClosed() {
        return closed;
    }

    /** Called by the dispatcher after a refusal or a detachment, before it reads by itself. */
    void leave() {
        state = State.OUT;
    }

    /** False if the member gave up asking meanwhile (it closed): then it must not be taken in. */
    boolean joined() {
        if (!STATE.compareAndSet(this, State.JOINING, State.JOINED)) {
            return false;
        }
        wake.run();
        return true;
    }

    void refused() {
        if (STATE.compareAndSet(this, State.JOINING, State.REFUSED)) {
            wake.run();
        }
    }

    /**
     * Queues a matched record; false, and nothing queued, when the member already has {@link
     * #CAPACITY} waiting.
     */
    boolean offer(LogRecord record) {
        if (waiting >= CAPACITY) {
            return false;
        }
        WAITING.getAndAdd(this, 1);
        UNFINISHED.getAndAdd(this, 1);
        inbox.add(record);
        return true;
    }

    /** Stops handing records from {@code offset} on; what is queued stays for the member. */
    void detach(long offset) {
        detachedAt = offset;
        state = State.DETACHED;
        wake.run();
    }

    /** The oldest queued record, or null. */
    LogRecord poll() {
        LogRecord record = inbox.poll();
        if (record != null) {
            WAITING.getAndAdd(this, -1);
        }
        return record;
    }

    void wake() {
        wake.run();
    }
}
