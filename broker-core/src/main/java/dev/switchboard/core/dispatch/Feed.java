package dev.switchboard.core.dispatch;

import dev.switchboard.core.EventFilter;
import dev.switchboard.core.log.LogRecord;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
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

    private final EventFilter filter;
    private final BiConsumer<LogRecord, RuntimeException> filterFailed;
    private final Runnable wake;
    private final Queue<LogRecord> inbox = new ConcurrentLinkedQueue<>();
    private final AtomicInteger waiting = new AtomicInteger();
    /**
     * Records the member holds that are not final: queued here, or read by itself, or with its sink.
     * With none, and the membership {@link State#JOINED}, everything the fan-out passed is final for
     * the member.
     */
    final AtomicInteger unfinished = new AtomicInteger();

    private final AtomicReference<State> state = new AtomicReference<>(State.OUT);
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
        return state.get();
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
        state.set(State.JOINING);
    }

    /** The dispatcher stopped: the fan-out must not take the feed in, whatever it asked before. */
    void close() {
        closed = true;
        state.set(State.OUT);
    }

    boolean isClosed() {
        return closed;
    }

    /** Called by the dispatcher after a refusal or a detachment, before it reads by itself. */
    void leave() {
        state.set(State.OUT);
    }

    /** False if the member gave up asking meanwhile (it closed): then it must not be taken in. */
    boolean joined() {
        if (!state.compareAndSet(State.JOINING, State.JOINED)) {
            return false;
        }
        wake.run();
        return true;
    }

    void refused() {
        if (state.compareAndSet(State.JOINING, State.REFUSED)) {
            wake.run();
        }
    }

    /**
     * Queues a matched record; false, and nothing queued, when the member already has {@link
     * #CAPACITY} waiting.
     */
    boolean offer(LogRecord record) {
        if (waiting.get() >= CAPACITY) {
            return false;
        }
        waiting.incrementAndGet();
        unfinished.incrementAndGet();
        inbox.add(record);
        return true;
    }

    /** Stops handing records from {@code offset} on; what is queued stays for the member. */
    void detach(long offset) {
        detachedAt = offset;
        state.set(State.DETACHED);
        wake.run();
    }

    /** The oldest queued record, or null. */
    LogRecord poll() {
        LogRecord record = inbox.poll();
        if (record != null) {
            waiting.decrementAndGet();
        }
        return record;
    }

    void wake() {
        wake.run();
    }
}
