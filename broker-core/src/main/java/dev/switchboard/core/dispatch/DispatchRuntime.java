package dev.switchboard.core.dispatch;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads every dispatcher shares: a small pool that runs drain loops (reading the log, filtering,
 * handing events to sinks; never waiting on a sink) and one scheduler for redelivery timers and
 * periodic broker work.
 */
public final class DispatchRuntime implements AutoCloseable {
    private final ExecutorService drains;
    private final ScheduledExecutorService scheduler;

    public DispatchRuntime(int drainThreads) {
        this.drains = Executors.newFixedThreadPool(drainThreads, daemon("switchboard-dispatch"));
        this.scheduler = Executors.newSingleThreadScheduledExecutor(daemon("switchboard-scheduler"));
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
