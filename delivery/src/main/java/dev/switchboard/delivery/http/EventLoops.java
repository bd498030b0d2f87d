package dev.switchboard.delivery.http;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxInternal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.IntStream;

/**
 * Hands out Vert.x's event loops in turn, as one context per loop, to whatever should keep to one
 * loop: each HTTP subscriber. A loop can be {@linkplain #reserve() reserved} (a server's ingress):
 * it is then handed to nobody else while another loop is left.
 *
 * <p>Vert.x's public API gives a thread outside Vert.x one context for good and otherwise picks the
 * next loop of its own round, shared with everything else that makes a context; choosing the loop
 * needs its internal API.
 */
public final class EventLoops {
    private final VertxInternal vertx;
    private final List<EventLoop> loops;
    // One context per loop, made when the loop is first handed out: 10,000 subscribers share a few.
    private final AtomicReferenceArray<Context> contexts;
    private final AtomicInteger next = new AtomicInteger();
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
    }

    /** The next open loop's context; after the last one, the first again. */
    public Context next() {
        int[] indexes = open;
        return contextOf(indexes[Math.floorMod(next.getAndIncrement(), indexes.length)]);
    }

    /**
     * A loop of its own for the caller, which {@link #next()} no longer hands out, unless it was the
     * last open loop (then it is shared).
     */
    public synchronized Context reserve() {
        int[] indexes = open;
        if (indexes.length > 1) {
            open = Arrays.copyOfRange(indexes, 1, indexes.length);
        }
        return contextOf(indexes[0]);
    }

    private Context contextOf(int index) {
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

    /** How many event loops {@link #next()} hands out in turn. */
    public int size() {
        return open.length;
    }
}
