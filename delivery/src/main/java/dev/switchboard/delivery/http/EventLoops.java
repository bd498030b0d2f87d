package dev.switchboard.delivery.http;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxInternal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Hands out Vert.x's event loops in turn, as one context per loop, to whatever should keep to one
 * loop: a server's ingress, each HTTP subscriber. Whoever asks first gets the first loop, so the
 * ingress asks before any subscriber is made and the next subscribers are put on the other loops.
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

    public EventLoops(Vertx vertx) {
        this.vertx = (VertxInternal) Objects.requireNonNull(vertx, "vertx");
        List<EventLoop> all = new ArrayList<>();
        for (EventExecutor executor : this.vertx.getEventLoopGroup()) {
            all.add((EventLoop) executor);
        }
        this.loops = List.copyOf(all);
        this.contexts = new AtomicReferenceArray<>(loops.size());
    }

    /** The next loop's context; after the last loop, the first again. */
    public Context next() {
        int index = Math.floorMod(next.getAndIncrement(), loops.size());
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

    /** How many event loops there are to hand out. */
    public int size() {
        return loops.size();
    }
}
