package dev.switchboard.core.dispatch;

import dev.switchboard.core.CallerLoops;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads every dispatcher shares: a small pool that runs drain loops (reading the log, filtering,
 * handing events to sinks; never waiting on a sink) and one scheduler for redelivery timers and
 * periodic broker work. With {@link CallerLoops}, a pass signalled on a quiet event loop runs there.
 */
public final class DispatchRuntime implements AutoCloseable {
    private final ExecutorService drains;
    private final ScheduledExecutorService scheduler;
    private final CallerLoops callerLoops;

    public DispatchRuntime(int drainThreads) {
        this(drainThreads, CallerLoops.NONE);
    }

    /** Passes signalled on a quiet event loop of {@code callerLoops} run there instead of on the pool. */
    public DispatchRuntime(int drainThreads, CallerLoops callerLoops) {
        this.drains = Executors.newFixedThreadPool(drainThreads, daemon("switchboard-dispatch"));
        this.scheduler = Executors.newSingleThreadScheduledExecutor(daemon("switchboard-scheduler"));
        this.callerLoops = Objects.requireNonNull(callerLoops, "callerLoops");
    }

    /** The calling thread's event loop if a pass may run there now, else {@code null}. */
    Executor quietLoopOfCaller() {
        return callerLoops.quietLoopOfCaller();
    }

    public ExecutorService drains() {
        return drains;
    }

    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        drains.shutdown();
        try {
            drains.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static ThreadFactory daemon(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
