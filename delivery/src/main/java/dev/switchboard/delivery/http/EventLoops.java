package dev.switchboard.delivery.http;

import dev.switchboard.core.CallerLoops;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxInternal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.IntStream;

/**
 * Hands out Vert.x's event loops in turn, as one context per loop, to whatever should keep to one
 * loop: each HTTP subscriber. A loop can be {@linkplain #reserve() reserved} (a server's ingress):
 * it is then handed to nobody else while another loop is left.
 *
 * <p>Work may also stay on the loop that is already running it instead of waking another thread:
 * a subscriber's attempt {@linkplain #tryBorrow(int) borrows} the calling loop, and a broker's pass
 * runs there ({@link CallerLoops}), while that loop is quiet: fewer than {@value #BUSY_AT} things in
 * flight on it (its own subscribers' attempts, borrowed ones, and requests it serves: {@link
 * #startHere}). At low rates an event then goes from ingress to its subscriber and back on one loop,
 * woken twice like a bare forwarder's; under load the loops fill up and the work spreads over them as
 * handed out, passes on the dispatch threads, except the pass a sink's answer signals: that one stays
 * on the loop that heard the answer ({@link #loopOfCaller()}), where its next attempts go anyway.
 *
 * <p>Vert.x's public API gives a thread outside Vert.x one context for good and otherwise picks the
 * next loop of its own round, shared with everything else that makes a context; choosing the loop
 * needs its internal API.
 */
public final class EventLoops implements CallerLoops {
    /** A loop with this many attempts in flight is busy: nothing more is borrowed or run on it. */
    static final int BUSY_AT = 4;

    private final VertxInternal vertx;
    private final List<EventLoop> loops;
    // One context per loop, made when the loop is first handed out: 10,000 subscribers share a few.
    private final AtomicReferenceArray<Context> contexts;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicIntegerArray inFlight;
    private final Executor[] runners;
    /** The indexes of the loops handed out in turn: every loop but the reserved ones. */
    private volatile int[] open;

    public EventLoops(Vertx vertx) {
        this.vertx = (VertxInternal) Objects.requireNonNull(vertx, "vertx");
        List<EventLoop> all = new ArrayList<>();
        for (EventExecutor executor : this.vertx.getEventLoopGroup()) {
            all.add((EventLoop) executor);
        }
        this.loops = List.copyOf(all);
        this.contexts = new AtomicReferenceArray<>(loops.size());
        this.open = IntStream.range(0, loops.size()).toArray();
        this.inFlight = new AtomicIntegerArray(loops.size());
        this.runners = new Executor[loops.size()];
        for (int i = 0; i < runners.length; i++) {
            int index = i;
            runners[i] = task -> context(index).runOnContext(ignored -> task.run());
        }
    }

    /** The index of the loop the calling thread runs, or -1 off the loops. */
    public int current() {
        for (int i = 0; i < loops.size(); i++) {
            if (loops.get(i).inEventLoop()) {
                return i;
            }
        }
        return -1;
    }

    /** Counts an attempt in flight on loop {@code index}, its own; {@link #done} ends it. */
    void start(int index) {
        inFlight.incrementAndGet(index);
    }

    /**
     * Counts other work in flight on the calling thread's loop (a server's request until it is
     * answered), so that the loop reads as busy under load; returns the index to hand to {@link
     * #done}, or -1 off the loops.
     */
    public int startHere() {
        int index = current();
        if (index >= 0) {
            start(index);
        }
        return index;
    }

    /** Counts a borrowed attempt in flight on loop {@code index} unless it is busy. */
    boolean tryBorrow(int index) {
        int now;
        do {
            now = inFlight.get(index);
            if (now >= BUSY_AT) {
                return false;
            }
        } while (!inFlight.compareAndSet(index, now, now + 1));
        return true;
    }

    /** Ends what {@link #start}, {@link #tryBorrow} or {@link #startHere} counted on loop {@code index}. */
    public void done(int index) {
        if (index >= 0) {
            inFlight.decrementAndGet(index);
        }
    }

    @Override
    public Executor quietLoopOfCaller() {
        int index = current();
        return index >= 0 && inFlight.get(index) < BUSY_AT ? runners[index] : null;
    }

    @Override
    public Executor loopOfCaller() {
        int index = current();
        return index >= 0 ? runners[index] : null;
    }

    /** These loops, for a sink whose attempts keep to loop {@code index}: that loop is its home. */
    public CallerLoops keptTo(int index) {
        Executor home = runners[index];
        return new CallerLoops() {
            @Override
            public Executor quietLoopOfCaller() {
                return EventLoops.this.quietLoopOfCaller();
            }

            @Override
            public Executor loopOfCaller() {
                return EventLoops.this.loopOfCaller();
            }

            @Override
            public Executor home() {
                return home;
            }
        };
    }

    /** The index of the next open loop; after the last one, the first again. */
    public int nextIndex() {
        int[] indexes = open;
        return indexes[Math.floorMod(next.getAndIncrement(), indexes.length)];
    }

    /**
     * A loop of its own for the caller, which {@link #nextIndex()} no longer hands out, unless it was the
     * last open loop (then it is shared).
     */
    public synchronized Context reserve() {
        int[] indexes = open;
        if (indexes.length > 1) {
            open = Arrays.copyOfRange(indexes, 1, indexes.length);
        }
        return context(indexes[0]);
    }

    /** The context of loop {@code index}: one per loop, shared by everything kept to that loop. */
    public Context context(int index) {
        Context context = contexts.get(index);
        if (context == null) {
            Context made = vertx.createEventLoopContext(
                    loops.get(index),
                    vertx.getWorkerPool(),
                    Thread.currentThread().getContextClassLoader());
            context = contexts.compareAndExchange(index, null, made);
            if (context == null) {
                context = made;
            }
        }
        return context;
    }

    /** How many event loops Vert.x runs. */
    public int all() {
        return loops.size();
    }

    /** How many event loops {@link #nextIndex()} hands out in turn. */
    public int size() {
        return open.length;
    }
}
